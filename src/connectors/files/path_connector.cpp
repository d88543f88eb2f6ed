// Path tables: the hidden catalog behind read_parquet / read_csv / read_json. A "table" is
// get_table(format, path); its files are found here and read by FileTableConnector like any
// files-catalog table (see files_connector.h for the contract).
#include <algorithm>
#include <mutex>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/file_set.h"
#include "connectors/files/file_table_connector.h"
#include "connectors/files/files_connector.h"
#include "connectors/files/storage.h"

namespace tributary {

namespace {

using files::DataFile;
using files::FileFormat;
using files::FileSet;
using files::FormatFamily;

constexpr const char* kAllowedRoots = "local.allowed-roots";

files::FileReadOptions checked_options(const std::string& catalog, const ConnectorProperties& properties) {
  static const std::vector<std::string> known = [] {
    std::vector<std::string> keys = {"connector.name", kAllowedRoots};
    for (const auto& key : files::read_option_keys()) keys.push_back(key);
    for (const auto& key : files::storage_property_keys()) keys.push_back(key);
    return keys;
  }();
  check_property_keys(properties, known, "Catalog '" + catalog + "'");
  return files::read_options(properties, catalog);
}

// '*' matches any run of characters (a name holds no '/').
bool glob_match(const std::string& pattern, const std::string& name) {
  size_t p = 0, n = 0, star = std::string::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      p++;
      n++;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') p++;
  return p == pattern.size();
}

class PathConnector : public files::FileTableConnector {
 public:
  PathConnector(const std::string& catalog, const ConnectorProperties& properties)
      : FileTableConnector(catalog, checked_options(catalog, properties)), properties_(properties) {
    auto roots = properties.find(kAllowedRoots);
    if (roots == properties.end()) return;  // the CLI: the user's own files
    files::LocalPathPolicy policy;
    policy.any = false;
    size_t start = 0;
    const std::string& text = roots->second;
    while (start < text.size()) {
      size_t colon = text.find(':', start);
      if (colon == std::string::npos) colon = text.size();
      std::string root = trim_ascii(text.substr(start, colon - start));
      start = colon + 1;
      if (root.empty()) continue;
      if (root[0] != '/') invalid("property '" + std::string(kAllowedRoots) + "' must list absolute folders, got '" + root + "'");
      policy.roots.push_back(root);
    }
    local_paths_ = std::move(policy);
  }

  std::string type() const override { return "files"; }
  std::vector<std::string> list_schemas() override { return {}; }
  std::vector<std::string> list_tables(const std::string& schema) override { return {}; }

 protected:
  std::optional<LocatedTable> locate(const std::string& format_name, const std::string& path) override {
    std::string format = to_lower_ascii(format_name);
    std::optional<FormatFamily> family;
    if (format == "csv") family = FormatFamily::TEXT;
    else if (format == "json") family = FormatFamily::JSON;
    else if (format == "parquet") family = FormatFamily::PARQUET;
    else if (format != "auto")
      throw_error(ErrorCode::INVALID_ARGUMENT, "Unknown file format '" + format_name + "' (parquet, csv, json or auto)");
    if (path.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "The path is empty");
    LocatedTable located;
    located.schema = format;
    located.name = path;
    bool s3 = files::is_s3_location(path);
    std::shared_ptr<files::Storage> storage = s3 ? s3_storage() : files::local_storage();
    // Nothing outside the allowed roots is even looked at ('..' and symlinks resolved).
    if (!s3 && local_paths_) files::check_local_location(path, *local_paths_, "local path");
    std::string target = !s3 && path.rfind("file://", 0) == 0 ? path.substr(7) : path;
    size_t last_slash = target.find_last_of('/');
    std::string last = last_slash == std::string::npos ? target : target.substr(last_slash + 1);
    std::string parent = last_slash == std::string::npos ? "." : target.substr(0, std::max<size_t>(last_slash, 1));
    if (target.find('*') != std::string::npos) {
      if (last.find('*') == std::string::npos || parent.find('*') != std::string::npos)
        throw_error(ErrorCode::INVALID_ARGUMENT, describe_table(format, path) + ": '*' is allowed only in the last path component");
      located.files = glob(storage, parent, last, family, format, path);
    } else if (auto file = single_file(storage, target, last)) {
      located.files.storage = storage;
      located.files.files.push_back(typed_file(*file, family, path));
      located.files.family = files::family_of(located.files.files[0].format);
    } else if (storage->is_folder(target)) {
      std::string folder = target;
      while (folder.size() > 1 && folder.back() == '/' && folder.compare(0, 5, "s3://") != 0) folder.pop_back();
      located.files = files::discover_folder(storage, folder, storage->list(folder), family);
      if (located.files.files.empty())
        throw_error(ErrorCode::NOT_FOUND, describe_table(format, path) + ": no " +
                                              (family ? format : std::string("data")) + " files in the folder");
    } else {
      throw_error(ErrorCode::NOT_FOUND, describe_table(format, path) + ": no such file or folder");
    }
    located.files.path = path;
    check_files(located.files.files);
    return located;
  }

  std::string describe_table(const std::string& format, const std::string& path) const override {
    return "Path '" + path + "'";
  }

  // A folder may hold symlinks to files elsewhere: each file is checked too.
  void check_files(const std::vector<DataFile>& files) const override {
    if (!local_paths_) return;
    for (const auto& f : files) files::check_local_location(f.path, *local_paths_, "local path");
  }

 private:
  // The file at `path` if it is one (a path ending in '/' names a folder).
  static std::optional<files::StorageEntry> single_file(const std::shared_ptr<files::Storage>& storage,
                                                        const std::string& path, const std::string& last) {
    if (last.empty()) return std::nullopt;
    if (files::is_s3_location(path) && path.find('/', 5) == std::string::npos) return std::nullopt;  // a bucket
    auto entry = storage->stat(path);
    if (!entry) return std::nullopt;
    entry->name = path;  // typed_file() takes the full path
    return entry;
  }

  // A file named explicitly (or by a glob) is read in the requested format whatever its
  // extension (only compression comes from it); "auto" needs a known extension.
  DataFile typed_file(const files::StorageEntry& entry, std::optional<FormatFamily> family,
                      const std::string& shown) const {
    DataFile file;
    file.path = entry.name;
    file.size = entry.size;
    file.version = std::to_string(entry.mtime) + entry.etag;
    std::string name = entry.name.substr(entry.name.find_last_of('/') + 1);
    std::string stem;
    bool known = files::classify_file(name, &file.format, &file.compression, &stem);
    if (known && (!family || files::family_of(file.format) == *family)) return file;
    if (!family)
      throw_error(ErrorCode::INVALID_ARGUMENT, describe_table("auto", shown) + ": cannot tell the format of '" + name +
                                                   "' from its extension (use read_csv, read_json or read_parquet)");
    file.format = *family == FormatFamily::PARQUET ? FileFormat::PARQUET
                  : *family == FormatFamily::JSON  ? FileFormat::JSON
                                                   : FileFormat::CSV;
    file.compression = *family == FormatFamily::PARQUET ? files::Compression::NONE : files::compression_from_path(name);
    return file;
  }

  FileSet glob(const std::shared_ptr<files::Storage>& storage, const std::string& folder, const std::string& pattern,
               std::optional<FormatFamily> family, const std::string& format, const std::string& shown) const {
    FileSet set;
    set.storage = storage;
    set.family = family;
    for (const auto& e : storage->list(folder)) {
      if (e.directory || !glob_match(pattern, e.name)) continue;
      FileFormat known_format;
      files::Compression compression;
      std::string stem;
      bool known = files::classify_file(e.name, &known_format, &compression, &stem);
      // Matches of a known extension must be of the table's family; others are read as the
      // requested format (with "auto", only known extensions count).
      if (known && set.family && files::family_of(known_format) != *set.family) continue;
      if (!known && !family) continue;
      files::StorageEntry named = e;
      named.name = (folder == "/" ? "" : folder) + "/" + e.name;
      DataFile file = typed_file(named, set.family, shown);
      if (!set.family) set.family = files::family_of(file.format);
      set.files.push_back(std::move(file));
    }
    if (set.files.empty()) throw_error(ErrorCode::NOT_FOUND, describe_table(format, shown) + ": no files match");
    return set;
  }

  std::shared_ptr<files::Storage> s3_storage() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!s3_) s3_ = files::storage_for("s3://path-tables", properties_, catalog_);
    return s3_;
  }

  const ConnectorProperties properties_;
  std::optional<files::LocalPathPolicy> local_paths_;  // nullopt: any local path, relative ones too
  std::mutex mutex_;
  std::shared_ptr<files::Storage> s3_;  // GUARDED_BY(mutex_), created at the first s3:// path
};

}  // namespace

std::shared_ptr<Connector> make_path_connector(const std::string& catalog_name, const ConnectorProperties& properties) {
  return std::make_shared<PathConnector>(catalog_name, properties);
}

}  // namespace tributary
