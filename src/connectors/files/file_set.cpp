#include "connectors/files/file_set.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/partitions.h"

namespace tributary::files {

namespace {

bool strip_suffix(std::string* name, const std::string& suffix) {
  if (name->size() > suffix.size() && name->compare(name->size() - suffix.size(), suffix.size(), suffix) == 0) {
    name->resize(name->size() - suffix.size());
    return true;
  }
  return false;
}

std::string join(const std::string& folder, const std::string& name) {
  if (!folder.empty() && folder.back() == '/') return folder + name;
  return folder + "/" + name;
}

// Walks the partition folders below a table folder (depth first, in name order).
class PartitionWalk {
 public:
  explicit PartitionWalk(FileSet& set) : set_(set) {}

  void walk(const std::string& folder, const std::vector<StorageEntry>& entries, size_t level) {
    std::vector<std::pair<const StorageEntry*, PartitionFolder>> children;
    for (const auto& e : entries)
      if (e.directory)
        if (auto parsed = parse_partition_folder(e.name)) children.emplace_back(&e, std::move(*parsed));
    if (children.empty()) {
      if (!depth_) depth_ = level;  // the first path down fixes the depth
      if (level == *depth_) {
        add_partition(folder, &entries);
      } else {
        for (const auto& e : entries) ignore(folder, e);  // above the partitions' depth
      }
      return;
    }
    for (const auto& e : entries) ignore(folder, e);
    for (const auto& [entry, parsed] : children) {
      if (level == set_.partition_keys.size()) {
        for (const auto& key : set_.partition_keys)
          if (key == parsed.key)
            throw_error(ErrorCode::SOURCE_ERROR, "Partition key '" + parsed.key + "' appears twice in '" +
                                                     join(folder, entry->name) + "'");
        set_.partition_keys.push_back(parsed.key);
      } else if (level > set_.partition_keys.size() || set_.partition_keys[level] != parsed.key) {
        throw_error(ErrorCode::SOURCE_ERROR,
                    "Partition folder '" + join(folder, entry->name) + "' does not match the partition keys (" +
                        key_list() + ") of '" + set_.path + "'");
      }
      values_.push_back(parsed.value);
      std::string child = join(folder, entry->name);
      if (depth_ && level + 1 == *depth_) {
        add_partition(child, nullptr);  // a deepest folder: listed when a scan reads it
      } else {
        walk(child, set_.storage->list(child), level + 1);
      }
      values_.pop_back();
    }
  }

 private:
  void add_partition(const std::string& folder, const std::vector<StorageEntry>* entries) {
    set_.partitions.push_back({folder, values_});
    if (!entries || !set_.files.empty()) return;
    for (const auto& e : *entries) {
      if (e.directory) continue;
      if (auto file = data_file(folder, e, set_.family)) {
        if (!set_.family) set_.family = family_of(file->format);
        set_.files.push_back(std::move(*file));
      }
    }
    if (!set_.files.empty()) set_.first_with_files = set_.partitions.size() - 1;
  }
  void ignore(const std::string& folder, const StorageEntry& e) {
    if (!e.directory && data_file(folder, e, std::nullopt)) set_.ignored_files++;
  }
  std::string key_list() const {
    std::string text;
    for (const auto& key : set_.partition_keys) text += (text.empty() ? "" : ", ") + key;
    return text;
  }

  FileSet& set_;
  std::optional<size_t> depth_;
  std::vector<std::string> values_;
};

}  // namespace

FormatFamily family_of(FileFormat format) {
  switch (format) {
    case FileFormat::JSON: return FormatFamily::JSON;
    case FileFormat::PARQUET: return FormatFamily::PARQUET;
    default: return FormatFamily::TEXT;
  }
}

bool classify_file(const std::string& filename, FileFormat* format, Compression* compression, std::string* stem) {
  std::string name = to_lower_ascii(filename);
  *compression = Compression::NONE;
  if (strip_suffix(&name, ".gz") || strip_suffix(&name, ".gzip")) *compression = Compression::GZIP;
  else if (strip_suffix(&name, ".zst") || strip_suffix(&name, ".zstd")) *compression = Compression::ZSTD;
  if (*compression == Compression::NONE && strip_suffix(&name, ".parquet")) *format = FileFormat::PARQUET;
  else if (strip_suffix(&name, ".csv")) *format = FileFormat::CSV;
  else if (strip_suffix(&name, ".tsv")) *format = FileFormat::TSV;
  else if (strip_suffix(&name, ".jsonl") || strip_suffix(&name, ".ndjson") || strip_suffix(&name, ".json"))
    *format = FileFormat::JSON;
  else return false;
  *stem = name;
  return true;
}

std::optional<DataFile> data_file(const std::string& folder, const StorageEntry& entry,
                                  std::optional<FormatFamily> family) {
  DataFile file;
  std::string stem;
  if (entry.directory || !classify_file(entry.name, &file.format, &file.compression, &stem)) return std::nullopt;
  if (family && family_of(file.format) != *family) return std::nullopt;
  file.path = join(folder, entry.name);
  file.size = entry.size;
  file.version = std::to_string(entry.mtime) + entry.etag;
  return file;
}

bool holds_table(const std::vector<StorageEntry>& entries) {
  for (const auto& e : entries) {
    if (e.directory ? parse_partition_folder(e.name).has_value() : data_file("", e, std::nullopt).has_value())
      return true;
  }
  return false;
}

FileSet discover_folder(std::shared_ptr<Storage> storage, const std::string& folder,
                        const std::vector<StorageEntry>& entries, std::optional<FormatFamily> family) {
  FileSet set;
  set.path = folder;
  set.storage = std::move(storage);
  set.family = family;
  bool has_partitions = std::any_of(entries.begin(), entries.end(), [](const StorageEntry& e) {
    return e.directory && parse_partition_folder(e.name).has_value();
  });
  if (!has_partitions) {
    for (const auto& e : entries) {
      auto file = data_file(folder, e, set.family);
      if (!file) continue;
      if (!set.family) set.family = family_of(file->format);
      set.files.push_back(std::move(*file));
    }
    return set;
  }
  PartitionWalk(set).walk(folder, entries, 0);
  // The first deepest folder was empty: the columns come from the first one with files.
  for (size_t i = 1; set.files.empty() && i < set.partitions.size(); i++) {
    set.files = partition_files(set, set.partitions[i]);
    if (!set.files.empty()) {
      set.first_with_files = i;
      if (!set.family) set.family = family_of(set.files[0].format);
    }
  }
  return set;
}

std::vector<DataFile> partition_files(const FileSet& set, const Partition& partition) {
  std::vector<DataFile> files;
  std::optional<FormatFamily> family = set.family;
  for (const auto& e : set.storage->list(partition.folder)) {
    auto file = data_file(partition.folder, e, family);
    if (!file) continue;
    if (!family) family = family_of(file->format);
    files.push_back(std::move(*file));
  }
  return files;
}

}  // namespace tributary::files
