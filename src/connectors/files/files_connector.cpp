#include "connectors/files/files_connector.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/compressed_input.h"
#include "connectors/files/csv_reader.h"
#include "connectors/files/json_reader.h"
#include "connectors/files/parquet_source.h"
#include "connectors/files/storage.h"

namespace tributary {

namespace {

using files::Compression;
using files::CsvOptions;
using files::JsonFlavor;

enum class FileFormat { CSV, TSV, JSON, PARQUET };

// Files of one folder table must share a family: text (CSV/TSV), JSON or Parquet.
int format_family(FileFormat f) { return f == FileFormat::JSON ? 1 : f == FileFormat::PARQUET ? 2 : 0; }

constexpr uint64_t kMinSplitBytes = 1 << 20;

std::string lower(std::string s) {
  for (char& c : s) c = (char)std::tolower((unsigned char)c);
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool strip_suffix(std::string* name, const std::string& suffix) {
  if (name->size() > suffix.size() && name->compare(name->size() - suffix.size(), suffix.size(), suffix) == 0) {
    name->resize(name->size() - suffix.size());
    return true;
  }
  return false;
}

// Recognizes a data file by its extensions; `stem` is the table name it gives.
bool classify_file(const std::string& filename, FileFormat* format, Compression* compression, std::string* stem) {
  std::string name = lower(filename);
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

const char* format_name(FileFormat f, JsonFlavor flavor) {
  switch (f) {
    case FileFormat::CSV: return "csv";
    case FileFormat::TSV: return "tsv";
    case FileFormat::JSON: return flavor == JsonFlavor::DYNAMODB ? "dynamodb-json" : "json";
    case FileFormat::PARQUET: return "parquet";
  }
  return "?";
}

struct DataFile {
  std::string path;
  FileFormat format;
  Compression compression;
  uint64_t size = 0;
  std::string version;  // mtime (local) or ETag (S3): part of the schema cache key
};

// A table found on disk: one file, or a folder of files of one format family.
struct TableEntry {
  std::string name;      // lower case
  std::string path;      // the file or the folder
  std::string sidecar;   // <dir>/<stem>.schema, if it exists
  std::vector<DataFile> files;
  FileFormat format = FileFormat::CSV;
  bool folder = false;
};

std::string human_bytes(uint64_t bytes) {
  char buffer[64];
  if (bytes >= (1ULL << 30)) std::snprintf(buffer, sizeof buffer, "%.1f GB", bytes / 1073741824.0);
  else if (bytes >= (1ULL << 20)) std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1048576.0);
  else if (bytes >= 1024) std::snprintf(buffer, sizeof buffer, "%.1f KB", bytes / 1024.0);
  else std::snprintf(buffer, sizeof buffer, "%llu B", (unsigned long long)bytes);
  return buffer;
}

// Splits "a int, b decimal(10,2)" at commas outside parentheses.
std::vector<std::string> split_column_list(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

class FileSplit : public Split {
 public:
  DataFile file;
  std::shared_ptr<parquet::ParquetFile> parquet;  // Parquet: the opened footer
  int row_group = -1;                              // Parquet: the row group of this split
  JsonFlavor flavor = JsonFlavor::LINES;
  uint64_t start = 0;
  uint64_t end = UINT64_MAX;
  bool skip_header = false;

  std::string describe() const override {
    std::string s = file.path;
    if (row_group >= 0) return s + " row group " + std::to_string(row_group);
    if (start != 0 || end != UINT64_MAX)
      s += " [" + std::to_string(start) + ", " + (end == UINT64_MAX ? std::string("end") : std::to_string(end)) + ")";
    return s;
  }
};

struct ResolvedTable {
  TableEntry entry;
  std::vector<ColumnMetadata> columns;
  JsonFlavor flavor = JsonFlavor::LINES;
  std::optional<double> row_estimate;
};

class FilesConnector : public Connector {
 public:
  FilesConnector(std::string catalog, const ConnectorProperties& properties) : catalog_(std::move(catalog)) {
    location_ = require_property(properties, "location", catalog_);
    while (location_.size() > 1 && location_.back() == '/') location_.pop_back();
    static std::vector<std::string> known = [] {
      std::vector<std::string> keys = {"connector.name", "location",        "csv.delimiter",
                                       "csv.quote",      "csv.header",      "csv.null-string",
                                       "csv.sample-rows", "csv.split",      "files.split-size"};
      for (const auto& key : files::storage_property_keys()) keys.push_back(key);
      return keys;
    }();
    for (const auto& [key, value] : properties) {
      if (key.rfind("table.", 0) == 0) {
        if (key.size() < 8 || key.compare(key.size() - 8, 8, ".columns") != 0)
          invalid("property '" + key + "' is not of the form table.<schema>.<table>.columns");
        table_columns_[lower(key.substr(6, key.size() - 14))] = value;
        continue;
      }
      if (std::find(known.begin(), known.end(), key) == known.end())
        invalid("unknown property '" + key + "'." + did_you_mean(key, known));
    }
    try {
      storage_ = files::storage_for(location_, properties, catalog_);
    } catch (const Error& e) {
      invalid(e.message());
    }
    if (files::is_s3_location(location_)) {
      // Checked at the first query instead: the bucket may be created after the catalog.
    } else if (!storage_->is_folder(location_)) {
      invalid("property 'location' must name an existing directory, got '" + location_ + "'");
    }
    csv_.delimiter = single_char(properties, "csv.delimiter", ",");
    std::string quote = get_property(properties, "csv.quote", "\"");
    quote_set_ = properties.count("csv.quote") > 0;
    csv_.quote = lower(quote) == "none" || quote.empty() ? '\0' : single_char(properties, "csv.quote", "\"");
    csv_.header = boolean(properties, "csv.header", true);
    csv_.null_string = get_property(properties, "csv.null-string", "");
    split_csv_ = boolean(properties, "csv.split", true);
    sample_rows_ = (size_t)positive(properties, "csv.sample-rows", 1000);
    split_size_ = std::max<uint64_t>(kMinSplitBytes, positive(properties, "files.split-size", 32ull << 20));
  }

  std::string type() const override { return "files"; }

  uint64_t rejected_values() const { return rejected_.load(); }

  std::vector<std::string> list_schemas() override {
    std::vector<std::string> schemas;
    for (const auto& e : storage_->list(location_))
      if (e.directory) schemas.push_back(lower(e.name));
    std::sort(schemas.begin(), schemas.end());
    schemas.erase(std::unique(schemas.begin(), schemas.end()), schemas.end());
    return schemas;
  }

  std::vector<std::string> list_tables(const std::string& schema) override {
    std::string dir = schema_dir(schema);
    if (dir.empty()) return {};
    std::vector<std::string> names;
    for (const auto& t : scan_tables(dir)) names.push_back(t.name);
    return names;
  }

  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override {
    auto resolved = resolve(schema, table);
    if (!resolved) return std::nullopt;
    TableMetadata meta;
    meta.schema = lower(schema);
    meta.name = resolved->entry.name;
    meta.columns = resolved->columns;
    meta.location = resolved->entry.path;
    meta.row_count = resolved->row_estimate;
    return meta;
  }

  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override {
    PushdownResult result;
    auto resolved = resolve(table.schema, table.name);
    if (!resolved) return result;
    uint64_t total = 0;
    for (const auto& f : resolved->entry.files) total += f.size;
    std::string format = format_name(resolved->entry.format, resolved->flavor);
    if (!resolved->entry.files.empty()) {
      Compression c = resolved->entry.files[0].compression;
      if (c == Compression::GZIP) format += ".gz";
      if (c == Compression::ZSTD) format += ".zst";
    }
    size_t n = resolved->entry.files.size();
    result.details.push_back("files: " + resolved->entry.path + " (" + format + ", " + std::to_string(n) +
                             (n == 1 ? " file, " : " files, ") + human_bytes(total) + ")");
    if (resolved->entry.format == FileFormat::PARQUET) {
      size_t groups = 0, kept = 0;
      uint64_t kept_bytes = 0;
      for (const auto& file : resolved->entry.files) {
        auto footer = parquet_footer(file);
        auto mapping = files::pruning_columns(*footer, table.columns);
        for (int g = 0; g < (int)footer->row_groups().size(); g++) {
          groups++;
          if (!files::row_group_may_match(*footer, g, mapping, request.constraint)) continue;
          kept++;
          for (int c : request.columns)
            if (mapping[c] >= 0) kept_bytes += footer->row_groups()[g].column_bytes[mapping[c]];
        }
      }
      result.details.push_back("parquet: " + std::to_string(kept) + " of " + std::to_string(groups) +
                               " row groups after min/max pruning, " + human_bytes(kept_bytes) +
                               " of projected column chunks");
    }
    return result;
  }

  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override {
    (void)request;
    auto resolved = resolve(table.schema, table.name);
    if (!resolved) throw_error(ErrorCode::NOT_FOUND, "Table '" + qualified(table.schema, table.name) + "' does not exist");
    uint64_t total = 0;
    for (const auto& f : resolved->entry.files) total += f.size;
    uint64_t ways = (uint64_t)std::max(1, max_parallelism);
    uint64_t target = (total + ways - 1) / ways;
    target = std::clamp<uint64_t>(target, kMinSplitBytes, split_size_);
    std::vector<std::shared_ptr<Split>> splits;
    if (resolved->entry.format == FileFormat::PARQUET) {
      // One split per row group that its min/max statistics do not rule out.
      for (const auto& file : resolved->entry.files) {
        auto footer = parquet_footer(file);
        auto mapping = files::pruning_columns(*footer, table.columns);
        for (int g = 0; g < (int)footer->row_groups().size(); g++) {
          if (!files::row_group_may_match(*footer, g, mapping, request.constraint)) continue;
          auto split = std::make_shared<FileSplit>();
          split->file = file;
          split->parquet = footer;
          split->row_group = g;
          splits.push_back(std::move(split));
        }
      }
      return splits;
    }
    for (const auto& file : resolved->entry.files) {
      bool header = file.format != FileFormat::JSON && csv_.header;
      bool splittable = file.compression == Compression::NONE &&
                        (file.format == FileFormat::JSON || split_csv_) && file.size > target;
      uint64_t parts = splittable ? (file.size + target - 1) / target : 1;
      for (uint64_t i = 0; i < parts; i++) {
        auto split = std::make_shared<FileSplit>();
        split->file = file;
        split->flavor = resolved->flavor;
        if (splittable) {
          split->start = file.size * i / parts;
          split->end = i + 1 == parts ? UINT64_MAX : file.size * (i + 1) / parts;
        }
        split->skip_header = header && split->start == 0;
        splits.push_back(std::move(split));
      }
    }
    return splits;
  }

  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override {
    const auto* file_split = dynamic_cast<const FileSplit*>(&split);
    if (!file_split) throw_error(ErrorCode::INTERNAL_ERROR, "files connector was given a foreign split");
    files::TextRange range{file_split->file.path, file_split->file.compression, file_split->start, file_split->end,
                           storage_};
    std::optional<int64_t> limit;
    // A limit alone may stop reading early; with a requested order (top-N) every row is needed.
    if (request.constraint.is_all() && request.order.empty()) limit = request.limit;
    try {
      if (file_split->file.format == FileFormat::PARQUET) {
        std::vector<ColumnMetadata> wanted;
        std::vector<Type> types;
        for (int c : request.columns) {
          wanted.push_back(table.columns.at(c));
          types.push_back(table.columns.at(c).type);
        }
        auto mapping = files::map_parquet_columns(*file_split->parquet, wanted);
        for (size_t i = 0; i < mapping.size(); i++)
          if (mapping[i] >= 0 && !(file_split->parquet->columns()[mapping[i]].type == types[i]))
            throw_error(ErrorCode::TYPE_MISMATCH,
                        "column '" + wanted[i].name + "' is " + file_split->parquet->columns()[mapping[i]].type.to_string() +
                            " in '" + file_split->file.path + "' but " + types[i].to_string() + " in the table");
        return files::make_parquet_page_source(file_split->parquet, file_split->row_group, std::move(mapping),
                                               std::move(types));
      }
      if (file_split->file.format == FileFormat::JSON) {
        files::JsonScan scan;
        scan.range = range;
        scan.flavor = file_split->flavor;
        for (int c : request.columns) {
          scan.names.push_back(lower(table.columns.at(c).name));
          scan.types.push_back(table.columns.at(c).type);
        }
        scan.limit = limit;
        scan.rejected_values = &rejected_;
        return files::make_json_page_source(std::move(scan));
      }
      files::CsvScan scan;
      scan.range = range;
      scan.skip_header = file_split->skip_header;
      scan.options = options_for(file_split->file.format);
      for (int c : request.columns) {
        scan.field_indexes.push_back(c);
        scan.types.push_back(table.columns.at(c).type);
      }
      scan.limit = limit;
      scan.rejected_values = &rejected_;
      return files::make_csv_page_source(std::move(scan));
    } catch (const Error& e) {
      throw_error(e.code(), "Catalog '" + catalog_ + "', table '" + qualified(table.schema, table.name) +
                                "': " + e.message());
    }
  }

 private:
  [[noreturn]] void invalid(const std::string& what) const {
    throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog_ + "': " + what);
  }
  std::string qualified(const std::string& schema, const std::string& table) const {
    return catalog_ + "." + lower(schema) + "." + lower(table);
  }

  char single_char(const ConnectorProperties& p, const std::string& key, const std::string& def) const {
    std::string v = get_property(p, key, def);
    if (lower(v) == "tab" || v == "\\t") return '\t';
    if (v.size() != 1) invalid("property '" + key + "' must be a single character, got '" + v + "'");
    return v[0];
  }
  bool boolean(const ConnectorProperties& p, const std::string& key, bool def) const {
    std::string v = lower(get_property(p, key, def ? "true" : "false"));
    if (v == "true") return true;
    if (v == "false") return false;
    invalid("property '" + key + "' must be true or false, got '" + v + "'");
  }
  uint64_t positive(const ConnectorProperties& p, const std::string& key, uint64_t def) const {
    std::string v = get_property(p, key, std::to_string(def));
    try {
      size_t used = 0;
      long long n = std::stoll(v, &used);
      if (used == v.size() && n > 0) return (uint64_t)n;
    } catch (...) {
    }
    invalid("property '" + key + "' must be a positive integer, got '" + v + "'");
  }

  CsvOptions options_for(FileFormat format) const {
    CsvOptions o = csv_;
    if (format == FileFormat::TSV) {
      o.delimiter = '\t';
      if (!quote_set_) o.quote = '\0';
    }
    return o;
  }

  std::string schema_dir(const std::string& schema) const {
    for (const auto& e : storage_->list(location_))
      if (e.directory && lower(e.name) == lower(schema)) return location_ + "/" + e.name;
    return "";
  }

  std::vector<TableEntry> scan_tables(const std::string& dir) const {
    std::vector<TableEntry> tables;
    auto add = [&](TableEntry t) {
      for (const auto& existing : tables)
        if (existing.name == t.name) return;  // first by file name wins
      tables.push_back(std::move(t));
    };
    auto entries = storage_->list(dir);
    std::set<std::string> names;
    for (const auto& e : entries)
      if (!e.directory) names.insert(e.name);
    for (const auto& e : entries) {
      std::string full = dir + "/" + e.name;
      if (e.directory) {
        TableEntry t;
        t.name = lower(e.name);
        t.path = full;
        t.folder = true;
        for (const auto& inner : storage_->list(full)) {
          if (inner.directory) continue;
          DataFile f;
          std::string stem;
          if (!classify_file(inner.name, &f.format, &f.compression, &stem)) continue;
          if (!t.files.empty() && format_family(f.format) != format_family(t.files[0].format)) continue;
          f.path = full + "/" + inner.name;
          f.size = inner.size;
          f.version = std::to_string(inner.mtime) + inner.etag;
          t.files.push_back(f);
        }
        if (t.files.empty()) continue;
        t.format = t.files[0].format;
        if (names.count(e.name + ".schema")) t.sidecar = full + ".schema";
        add(std::move(t));
      } else {
        DataFile f;
        std::string stem;
        if (!classify_file(e.name, &f.format, &f.compression, &stem) || stem.empty()) continue;
        f.path = full;
        f.size = e.size;
        f.version = std::to_string(e.mtime) + e.etag;
        TableEntry t;
        t.name = stem;
        t.path = full;
        t.format = f.format;
        t.files.push_back(f);
        // The sidecar keeps the file's own spelling of the stem: Orders.csv -> Orders.schema.
        std::string base = e.name.substr(0, stem.size());
        if (names.count(base + ".schema")) t.sidecar = dir + "/" + base + ".schema";
        add(std::move(t));
      }
    }
    std::sort(tables.begin(), tables.end(), [](const TableEntry& a, const TableEntry& b) { return a.name < b.name; });
    return tables;
  }

  std::vector<ColumnMetadata> parse_column_list(const std::vector<std::string>& items, const std::string& origin,
                                                const std::string& table) const {
    std::vector<ColumnMetadata> columns;
    for (const auto& raw : items) {
      std::string item = trim(raw);
      if (item.empty() || item[0] == '#') continue;
      size_t space = item.find_first_of(" \t");
      if (space == std::string::npos)
        invalid("table '" + table + "': column definition '" + item + "' in " + origin + " needs a name and a type");
      ColumnMetadata c;
      c.name = lower(item.substr(0, space));
      if (c.name.size() >= 2 && c.name.front() == '"' && c.name.back() == '"') c.name = c.name.substr(1, c.name.size() - 2);
      try {
        c.type = parse_type_name(trim(item.substr(space + 1)));
      } catch (const Error& e) {
        invalid("table '" + table + "': " + e.message() + " (in " + origin + ")");
      }
      columns.push_back(std::move(c));
    }
    if (columns.empty()) invalid("table '" + table + "': " + origin + " defines no columns");
    return columns;
  }

  std::optional<ResolvedTable> resolve(const std::string& schema, const std::string& table) {
    std::string dir = schema_dir(schema);
    if (dir.empty()) return std::nullopt;
    std::optional<TableEntry> found;
    for (auto& t : scan_tables(dir))
      if (t.name == lower(table)) found = std::move(t);
    if (!found) return std::nullopt;
    ResolvedTable resolved;
    resolved.entry = std::move(*found);
    std::string signature = resolved.entry.sidecar;
    uint64_t total = 0;
    for (auto& f : resolved.entry.files) {
      total += f.size;
      signature += "|" + f.path + ":" + std::to_string(f.size) + ":" + f.version;
    }
    std::string qualified_name = qualified(schema, table);
    std::string key = lower(schema) + "." + lower(table);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = cache_.find(resolved.entry.path);
      if (it != cache_.end() && it->second.signature == signature) {
        resolved.columns = it->second.columns;
        resolved.flavor = it->second.flavor;
        resolved.row_estimate = it->second.row_estimate;
        return resolved;
      }
    }
    // Explicit columns first: the catalog property, then the sidecar file.
    std::optional<std::vector<ColumnMetadata>> explicit_columns;
    auto property = table_columns_.find(key);
    if (property != table_columns_.end()) {
      explicit_columns = parse_column_list(split_column_list(property->second), "property 'table." + key + ".columns'",
                                           qualified_name);
    } else if (!resolved.entry.sidecar.empty()) {
      std::istringstream in(storage_->read_all(resolved.entry.sidecar));
      std::vector<std::string> lines;
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      explicit_columns = parse_column_list(lines, "'" + resolved.entry.sidecar + "'", qualified_name);
    }
    try {
      const DataFile& first = resolved.entry.files[0];
      files::TextRange range{first.path, first.compression, 0, UINT64_MAX, storage_};
      uint64_t sample_rows = 0, sample_bytes = 0;
      if (first.format == FileFormat::PARQUET) {
        // The first file's footer gives the columns (explicit columns are for text formats).
        auto footer = parquet_footer(first);
        for (const auto& c : footer->columns()) resolved.columns.push_back({to_lower_ascii(c.name), c.type, true, ""});
        explicit_columns.reset();
        sample_rows = (uint64_t)footer->num_rows();
        sample_bytes = std::max<uint64_t>(first.size, 1);
      } else if (first.format == FileFormat::JSON) {
        files::JsonSample sample = files::infer_json_schema(range, explicit_columns ? 1 : sample_rows_, true);
        resolved.flavor = sample.flavor;
        sample_rows = sample.rows;
        sample_bytes = sample.bytes;
        if (!explicit_columns)
          for (size_t i = 0; i < sample.names.size(); i++) resolved.columns.push_back({sample.names[i], sample.types[i], true, ""});
      } else if (explicit_columns) {
        // Explicit columns: no inference, but a small sample still gives the row estimate
        // the optimizer uses to order joins.
        files::CsvSample sample = files::infer_csv_schema(range, options_for(first.format), 100);
        sample_rows = sample.rows;
        sample_bytes = sample.bytes;
      } else {
        files::CsvSample sample = files::infer_csv_schema(range, options_for(first.format), sample_rows_);
        sample_rows = sample.rows;
        sample_bytes = sample.bytes;
        for (size_t i = 0; i < sample.names.size(); i++) resolved.columns.push_back({sample.names[i], sample.types[i], true, ""});
      }
      if (explicit_columns) resolved.columns = *explicit_columns;
      bool compressed = first.compression != Compression::NONE && first.format != FileFormat::PARQUET;
      if (sample_rows > 0 && sample_bytes > 0 && !compressed)
        resolved.row_estimate = std::round((double)total * (double)sample_rows / (double)sample_bytes);
    } catch (const Error& e) {
      throw_error(e.code(), "Catalog '" + catalog_ + "', table '" + qualified_name + "': " + e.message());
    }
    if (resolved.columns.empty())
      throw_error(ErrorCode::SOURCE_ERROR,
                  "Catalog '" + catalog_ + "', table '" + qualified_name + "': no columns found in '" +
                      resolved.entry.files[0].path + "'");
    std::lock_guard<std::mutex> lock(mutex_);
    cache_[resolved.entry.path] = {signature, resolved.columns, resolved.flavor, resolved.row_estimate};
    return resolved;
  }

  struct CachedSchema {
    std::string signature;
    std::vector<ColumnMetadata> columns;
    JsonFlavor flavor;
    std::optional<double> row_estimate;
  };

  // Parquet footers, opened once per file version.
  std::shared_ptr<parquet::ParquetFile> parquet_footer(const DataFile& file) {
    std::string key = file.path + "|" + std::to_string(file.size) + "|" + file.version;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = footers_.find(key);
      if (it != footers_.end()) return it->second;
    }
    auto footer = files::open_parquet(storage_, file.path, file.size);
    std::lock_guard<std::mutex> lock(mutex_);
    if (footers_.size() > 4096) footers_.clear();
    footers_[key] = footer;
    return footer;
  }

  const std::string catalog_;
  std::string location_;
  std::shared_ptr<files::Storage> storage_;
  CsvOptions csv_;
  bool quote_set_ = false;
  bool split_csv_ = true;
  size_t sample_rows_ = 1000;
  uint64_t split_size_ = 32ull << 20;
  std::unordered_map<std::string, std::string> table_columns_;  // "schema.table" -> column list
  std::atomic<uint64_t> rejected_{0};
  std::mutex mutex_;
  std::unordered_map<std::string, CachedSchema> cache_;  // GUARDED_BY(mutex_), by table path
  std::unordered_map<std::string, std::shared_ptr<parquet::ParquetFile>> footers_;  // GUARDED_BY(mutex_)
};

}  // namespace

std::shared_ptr<Connector> make_files_connector(const std::string& catalog_name, const ConnectorProperties& properties) {
  return std::make_shared<FilesConnector>(catalog_name, properties);
}

uint64_t files_rejected_values(const Connector& connector) {
  const auto* files = dynamic_cast<const FilesConnector*>(&connector);
  return files ? files->rejected_values() : 0;
}

void register_files_connector() { register_connector_factory("files", make_files_connector); }

}  // namespace tributary
