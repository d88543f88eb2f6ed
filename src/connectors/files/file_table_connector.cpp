#include "connectors/files/file_table_connector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/parquet_source.h"
#include "connectors/files/partition_columns_source.h"
#include "connectors/files/partitions.h"

namespace tributary::files {

namespace {

constexpr uint64_t kMinSplitBytes = 1 << 20;


std::string trim(const std::string& s) { return trim_ascii(s); }

const char* format_name(FileFormat f, JsonFlavor flavor) {
  switch (f) {
    case FileFormat::CSV: return "csv";
    case FileFormat::TSV: return "tsv";
    case FileFormat::JSON: return flavor == JsonFlavor::DYNAMODB ? "dynamodb-json" : "json";
    case FileFormat::PARQUET: return "parquet";
  }
  return "?";
}

std::string human_bytes(uint64_t bytes) {
  char buffer[64];
  if (bytes >= (1ULL << 30)) std::snprintf(buffer, sizeof buffer, "%.1f GB", bytes / 1073741824.0);
  else if (bytes >= (1ULL << 20)) std::snprintf(buffer, sizeof buffer, "%.1f MB", bytes / 1048576.0);
  else if (bytes >= 1024) std::snprintf(buffer, sizeof buffer, "%.1f KB", bytes / 1024.0);
  else std::snprintf(buffer, sizeof buffer, "%llu B", (unsigned long long)bytes);
  return buffer;
}

class FileSplit : public Split {
 public:
  DataFile file;
  std::shared_ptr<Storage> storage;
  std::shared_ptr<parquet::ParquetFile> parquet;  // Parquet: the opened footer
  int row_group = -1;                              // Parquet: the row group of this split
  JsonFlavor flavor = JsonFlavor::LINES;
  uint64_t start = 0;
  uint64_t end = UINT64_MAX;
  bool skip_header = false;
  size_t file_columns = 0;
  std::shared_ptr<const std::vector<int>> csv_fields;
  std::shared_ptr<const std::vector<Value>> partition_values;  // one per key; null when unpartitioned

  std::string describe() const override {
    std::string s = file.path;
    if (row_group >= 0) return s + " row group " + std::to_string(row_group);
    if (start != 0 || end != UINT64_MAX)
      s += " [" + std::to_string(start) + ", " + (end == UINT64_MAX ? std::string("end") : std::to_string(end)) + ")";
    return s;
  }
};

// The table column indexes of the partition columns.
std::vector<int> partition_column_indexes(size_t file_columns, size_t columns) {
  std::vector<int> indexes;
  for (size_t c = file_columns; c < columns; c++) indexes.push_back((int)c);
  return indexes;
}

// The requested rows of a split all satisfy the request: a LIMIT may stop reading early.
bool rows_all_match(const ScanRequest& request, size_t file_columns, size_t columns) {
  if (!request.order.empty()) return false;  // top-N needs every row
  if (request.constraint.is_all() && request.expressions.empty()) return true;
  auto pushdown = partition_pushdown(partition_column_indexes(file_columns, columns), request);
  if (!request.constraint.is_all() && !pushdown.constraint_enforced) return false;
  return std::all_of(pushdown.expressions_enforced.begin(), pushdown.expressions_enforced.end(),
                     [](bool enforced) { return enforced; });
}

}  // namespace

const std::vector<std::string>& read_option_keys() {
  static const std::vector<std::string> keys = {"csv.delimiter",   "csv.quote", "csv.header",      "csv.null-string",
                                                "csv.sample-rows", "csv.split", "files.split-size"};
  return keys;
}

FileReadOptions read_options(const ConnectorProperties& properties, const std::string& catalog) {
  auto invalid = [&](const std::string& what) {
    throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog + "': " + what);
  };
  auto single_char = [&](const std::string& key, const std::string& def) {
    std::string v = get_property(properties, key, def);
    if (to_lower_ascii(v) == "tab" || v == "\\t") return '\t';
    if (v.size() != 1) invalid("property '" + key + "' must be a single character, got '" + v + "'");
    return v[0];
  };
  auto boolean = [&](const std::string& key, bool def) {
    std::string v = to_lower_ascii(get_property(properties, key, def ? "true" : "false"));
    if (v != "true" && v != "false") invalid("property '" + key + "' must be true or false, got '" + v + "'");
    return v == "true";
  };
  auto positive = [&](const std::string& key, uint64_t def) -> uint64_t {
    std::string v = get_property(properties, key, std::to_string(def));
    try {
      size_t used = 0;
      long long n = std::stoll(v, &used);
      if (used == v.size() && n > 0) return (uint64_t)n;
    } catch (...) {
    }
    invalid("property '" + key + "' must be a positive integer, got '" + v + "'");
    return 0;
  };
  FileReadOptions o;
  o.csv.delimiter = single_char("csv.delimiter", ",");
  std::string quote = get_property(properties, "csv.quote", "\"");
  o.quote_set = properties.count("csv.quote") > 0;
  o.csv.quote = to_lower_ascii(quote) == "none" || quote.empty() ? '\0' : single_char("csv.quote", "\"");
  o.csv.header = boolean("csv.header", true);
  o.csv.null_string = get_property(properties, "csv.null-string", "");
  o.split_csv = boolean("csv.split", true);
  o.sample_rows = (size_t)positive("csv.sample-rows", 1000);
  o.split_size = std::max<uint64_t>(kMinSplitBytes, positive("files.split-size", 32ull << 20));
  return o;
}

FileTableConnector::FileTableConnector(std::string catalog, FileReadOptions options)
    : catalog_(std::move(catalog)), options_(std::move(options)) {}

void FileTableConnector::invalid(const std::string& what) const {
  throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog_ + "': " + what);
}

std::optional<TableMetadata> FileTableConnector::get_table(const std::string& schema, const std::string& table) {
  auto resolved = resolve(schema, table);
  if (!resolved) return std::nullopt;
  TableMetadata meta;
  meta.schema = resolved->located.schema;
  meta.name = resolved->located.name;
  meta.columns = resolved->columns;
  meta.location = resolved->located.files.path;
  meta.row_count = resolved->row_estimate;
  return meta;
}

PushdownResult FileTableConnector::apply_pushdown(const TableMetadata& table, const ScanRequest& request) {
  PushdownResult result;
  auto resolved = resolve(table.schema, table.name);
  if (!resolved) return result;
  const FileSet& set = resolved->located.files;
  std::vector<DataFile> files;
  std::vector<size_t> partitions;
  if (set.partitioned()) {
    partitions = selected_partitions(*resolved, request);
    for (size_t p : partitions) {
      auto more = files_of_partition(set, p);
      files.insert(files.end(), more.begin(), more.end());
    }
    auto enforced = partition_pushdown(partition_column_indexes(resolved->file_columns, resolved->columns.size()),
                                       request);
    result.constraint_enforced = enforced.constraint_enforced;
    result.expressions_enforced = enforced.expressions_enforced;
  } else {
    files = set.files;
  }
  uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  const DataFile& first = set.files[0];
  std::string format = format_name(first.format, resolved->flavor);
  if (first.compression == Compression::GZIP) format += ".gz";
  if (first.compression == Compression::ZSTD) format += ".zst";
  std::string text = "files: " + set.path + " (" + format + ", " + std::to_string(files.size()) +
                     (files.size() == 1 ? " file, " : " files, ") + human_bytes(total) + ")";
  // The lake catalog's wording, so both read alike in EXPLAIN.
  if (set.partitioned())
    text += ", partitions: " + std::to_string(partitions.size()) + " of " + std::to_string(set.partitions.size()) +
            " after pruning";
  result.details.push_back(text);
  if (set.ignored_files > 0)
    result.details.push_back("ignored: " + std::to_string(set.ignored_files) +
                             (set.ignored_files == 1 ? " data file" : " data files") + " outside the partition folders");
  if (first.format == FileFormat::PARQUET) {
    std::vector<ColumnMetadata> file_columns(table.columns.begin(),
                                             table.columns.begin() + (long)std::min(resolved->file_columns, table.columns.size()));
    size_t groups = 0, kept = 0;
    uint64_t kept_bytes = 0;
    for (const auto& file : files) {
      auto footer = parquet_footer(set, file);
      auto mapping = pruning_columns(*footer, file_columns);
      mapping.resize(table.columns.size(), -1);
      for (int g = 0; g < (int)footer->row_groups().size(); g++) {
        groups++;
        if (!row_group_may_match(*footer, g, mapping, request.constraint)) continue;
        kept++;
        for (int c : request.columns)
          if (c >= 0 && (size_t)c < mapping.size() && mapping[c] >= 0)
            kept_bytes += footer->row_groups()[g].column_bytes[mapping[c]];
      }
    }
    result.details.push_back("parquet: " + std::to_string(kept) + " of " + std::to_string(groups) +
                             " row groups after min/max pruning, " + human_bytes(kept_bytes) +
                             " of projected column chunks");
  }
  return result;
}

std::vector<std::shared_ptr<Split>> FileTableConnector::plan_splits(const TableMetadata& table,
                                                                    const ScanRequest& request, int max_parallelism) {
  ResolvedTable resolved = require(table);
  const FileSet& set = resolved.located.files;
  // The files to read, each with its partition's values.
  std::vector<std::pair<DataFile, std::shared_ptr<const std::vector<Value>>>> files;
  if (set.partitioned()) {
    std::vector<Type> types;
    for (size_t c = resolved.file_columns; c < resolved.columns.size(); c++) types.push_back(resolved.columns[c].type);
    for (size_t p : selected_partitions(resolved, request)) {
      auto values = std::make_shared<std::vector<Value>>();
      for (size_t k = 0; k < types.size(); k++) values->push_back(partition_value(set.partitions[p].values[k], types[k]));
      for (auto& f : files_of_partition(set, p))
        files.emplace_back(std::move(f), values);
    }
  } else {
    for (const auto& f : set.files) files.emplace_back(f, nullptr);
  }
  auto make_split = [&](const DataFile& file, const std::shared_ptr<const std::vector<Value>>& values) {
    auto split = std::make_shared<FileSplit>();
    split->file = file;
    split->storage = set.storage;
    split->flavor = resolved.flavor;
    split->file_columns = resolved.file_columns;
    split->csv_fields = resolved.csv_fields;
    split->partition_values = values;
    return split;
  };
  std::vector<std::shared_ptr<Split>> splits;
  if (!files.empty() && files[0].first.format == FileFormat::PARQUET) {
    // One split per row group that its min/max statistics do not rule out.
    std::vector<ColumnMetadata> file_columns(table.columns.begin(), table.columns.begin() + (long)resolved.file_columns);
    for (const auto& [file, values] : files) {
      auto footer = parquet_footer(set, file);
      auto mapping = pruning_columns(*footer, file_columns);
      mapping.resize(table.columns.size(), -1);  // partition columns have no statistics in the file
      for (int g = 0; g < (int)footer->row_groups().size(); g++) {
        if (!row_group_may_match(*footer, g, mapping, request.constraint)) continue;
        auto split = make_split(file, values);
        split->parquet = footer;
        split->row_group = g;
        splits.push_back(std::move(split));
      }
    }
    return splits;
  }
  uint64_t total = 0;
  for (const auto& [file, values] : files) total += file.size;
  uint64_t target = split_target(total, max_parallelism, options_.split_size);
  for (const auto& [file, values] : files) {
    bool header = file.format != FileFormat::JSON && options_.csv.header;
    bool splittable = file.compression == Compression::NONE && (file.format == FileFormat::JSON || options_.split_csv);
    for (const auto& [start, end] : text_byte_ranges(file.size, target, splittable)) {
      auto split = make_split(file, values);
      split->start = start;
      split->end = end;
      split->skip_header = header && split->start == 0;
      splits.push_back(std::move(split));
    }
  }
  return splits;
}

uint64_t split_target(uint64_t total_bytes, int max_parallelism, uint64_t max_split) {
  uint64_t ways = (uint64_t)std::max(1, max_parallelism);
  return std::clamp<uint64_t>((total_bytes + ways - 1) / ways, kMinSplitBytes, std::max(max_split, kMinSplitBytes));
}

std::vector<std::pair<uint64_t, uint64_t>> text_byte_ranges(uint64_t size, uint64_t target, bool splittable) {
  if (!splittable || size <= target || target == 0) return {{0, UINT64_MAX}};
  uint64_t parts = (size + target - 1) / target;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (uint64_t i = 0; i < parts; i++)
    ranges.emplace_back(size * i / parts, i + 1 == parts ? UINT64_MAX : size * (i + 1) / parts);
  return ranges;
}

std::unique_ptr<PageSource> FileTableConnector::open(const TableMetadata& table, const Split& split,
                                                     const ScanRequest& request) {
  const auto* file_split = dynamic_cast<const FileSplit*>(&split);
  if (!file_split) throw_error(ErrorCode::INTERNAL_ERROR, "files connector was given a foreign split");
  // Requested columns read from the file, and those filled from the partition's values.
  std::vector<int> data_request;
  std::vector<OutputColumn> outputs;
  for (int c : request.columns) {
    OutputColumn out;
    if ((size_t)c < file_split->file_columns) {
      out.data_column = (int)data_request.size();
      data_request.push_back(c);
    } else {
      size_t key = (size_t)c - file_split->file_columns;
      if (!file_split->partition_values || key >= file_split->partition_values->size())
        throw_error(ErrorCode::INTERNAL_ERROR, "files connector: column " + std::to_string(c) + " is not in the split");
      out.constant = (*file_split->partition_values)[key];
    }
    outputs.push_back(std::move(out));
  }
  std::vector<Type> types;
  for (int c : data_request) types.push_back(table.columns.at(c).type);
  TextRange range{file_split->file.path, file_split->file.compression, file_split->start, file_split->end,
                  file_split->storage};
  std::optional<int64_t> limit;
  if (rows_all_match(request, file_split->file_columns, table.columns.size())) limit = request.limit;
  std::unique_ptr<PageSource> data;
  try {
    if (file_split->file.format == FileFormat::PARQUET) {
      std::vector<ColumnMetadata> wanted;
      for (int c : data_request) wanted.push_back(table.columns.at(c));
      auto mapping = map_parquet_columns(*file_split->parquet, wanted);
      for (size_t i = 0; i < mapping.size(); i++)
        if (mapping[i] >= 0 && !(file_split->parquet->columns()[mapping[i]].type == types[i]))
          throw_error(ErrorCode::TYPE_MISMATCH,
                      "column '" + wanted[i].name + "' is " + file_split->parquet->columns()[mapping[i]].type.to_string() +
                          " in '" + file_split->file.path + "' but " + types[i].to_string() + " in the table");
      data = make_parquet_page_source(file_split->parquet, file_split->row_group, std::move(mapping), types,
                                      compile_domain_filters(request.constraint, data_request, types));
    } else if (file_split->file.format == FileFormat::JSON) {
      JsonScan scan;
      scan.range = range;
      scan.flavor = file_split->flavor;
      for (int c : data_request) scan.names.push_back(to_lower_ascii(table.columns.at(c).name));
      scan.types = types;
      scan.limit = limit;
      scan.rejected_values = &rejected_;
      data = make_json_page_source(std::move(scan));
    } else {
      CsvScan scan;
      scan.range = range;
      scan.skip_header = file_split->skip_header;
      scan.options = options_for(file_split->file.format);
      for (int c : data_request) scan.field_indexes.push_back(file_split->csv_fields ? file_split->csv_fields->at(c) : c);
      scan.types = types;
      scan.limit = limit;
      scan.rejected_values = &rejected_;
      data = make_csv_page_source(std::move(scan));
    }
  } catch (const Error& e) {
    throw_error(e.code(), describe_table(table.schema, table.name) + ": " + e.message());
  }
  if (data_request.size() == request.columns.size()) return data;
  return add_partition_columns(std::move(data), std::move(types), std::move(outputs));
}

CsvOptions FileTableConnector::options_for(FileFormat format) const {
  CsvOptions o = options_.csv;
  if (format == FileFormat::TSV) {
    o.delimiter = '\t';
    if (!options_.quote_set) o.quote = '\0';
  }
  return o;
}

std::vector<ColumnMetadata> FileTableConnector::parse_column_list(const std::vector<std::string>& items,
                                                                  const std::string& origin,
                                                                  const std::string& table) const {
  std::vector<ColumnMetadata> columns;
  for (const auto& raw : items) {
    std::string item = trim(raw);
    if (item.empty() || item[0] == '#') continue;
    size_t space = item.find_first_of(" \t");
    if (space == std::string::npos)
      invalid("table '" + table + "': column definition '" + item + "' in " + origin + " needs a name and a type");
    ColumnMetadata c;
    c.name = to_lower_ascii(item.substr(0, space));
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

std::vector<size_t> FileTableConnector::selected_partitions(const ResolvedTable& resolved,
                                                            const ScanRequest& request) const {
  std::vector<size_t> selected;
  const FileSet& set = resolved.located.files;
  if (request.constraint.none) return selected;
  std::vector<Type> types;
  for (size_t c = resolved.file_columns; c < resolved.columns.size(); c++) types.push_back(resolved.columns[c].type);
  std::map<int, Value> values;
  for (size_t p = 0; p < set.partitions.size(); p++) {
    values.clear();
    for (size_t k = 0; k < types.size(); k++)
      values[(int)(resolved.file_columns + k)] = partition_value(set.partitions[p].values[k], types[k]);
    if (partition_may_match(values, request)) selected.push_back(p);
  }
  return selected;
}

std::vector<DataFile> FileTableConnector::files_of_partition(const FileSet& set, size_t partition) const {
  if (partition == set.first_with_files) return set.files;  // listed by locate()
  auto files = partition_files(set, set.partitions[partition]);
  check_files(files);
  return files;
}

FileTableConnector::ResolvedTable FileTableConnector::require(const TableMetadata& table) {
  auto resolved = resolve(table.schema, table.name);
  if (!resolved)
    throw_error(ErrorCode::NOT_FOUND, describe_table(table.schema, table.name) + " does not exist any more");
  // The files changed since the query was planned (a partition key or column appeared).
  if (resolved->columns.size() != table.columns.size())
    throw_error(ErrorCode::SOURCE_ERROR,
                describe_table(table.schema, table.name) + ": the files changed while the query ran; run it again");
  return std::move(*resolved);
}

std::optional<FileTableConnector::ResolvedTable> FileTableConnector::resolve(const std::string& schema,
                                                                             const std::string& table) {
  auto located = locate(schema, table);
  if (!located) return std::nullopt;
  std::string description = describe_table(schema, table);
  ResolvedTable resolved;
  resolved.located = std::move(*located);
  const FileSet& set = resolved.located.files;
  if (set.files.empty())
    throw_error(ErrorCode::SOURCE_ERROR, description + ": no data files in '" + set.path + "'");
  // What the columns depend on: the explicit columns, the partition folders, and the files
  // the columns are read from (all of them when unpartitioned: the row estimate uses them).
  std::string signature = resolved.located.sidecar + "|" + resolved.located.column_origin;
  for (const auto& item : resolved.located.column_items) signature += "|" + item;
  uint64_t total = 0;
  for (const auto& f : set.files) {
    total += f.size;
    signature += "|" + f.path + ":" + std::to_string(f.size) + ":" + f.version;
  }
  for (const auto& key : set.partition_keys) signature += "|key:" + key;
  for (const auto& p : set.partitions) signature += "|" + p.folder;
  std::string cache_key = resolved.located.schema + "\n" + resolved.located.name;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(cache_key);
    if (it != cache_.end() && it->second.signature == signature) {
      resolved.columns = it->second.columns;
      resolved.file_columns = it->second.file_columns;
      resolved.csv_fields = it->second.csv_fields;
      resolved.flavor = it->second.flavor;
      resolved.row_estimate = it->second.row_estimate;
      return resolved;
    }
  }
  // Explicit columns first: the catalog property, then the sidecar file.
  std::optional<std::vector<ColumnMetadata>> explicit_columns;
  if (!resolved.located.column_items.empty()) {
    explicit_columns = parse_column_list(resolved.located.column_items, resolved.located.column_origin, description);
  } else if (!resolved.located.sidecar.empty()) {
    std::istringstream in(set.storage->read_all(resolved.located.sidecar));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    explicit_columns = parse_column_list(lines, "'" + resolved.located.sidecar + "'", description);
  }
  std::vector<ColumnMetadata> file_columns;
  try {
    const DataFile& first = set.files[0];
    TextRange range{first.path, first.compression, 0, UINT64_MAX, set.storage};
    uint64_t sample_rows = 0, sample_bytes = 0;
    if (first.format == FileFormat::PARQUET) {
      // The first file's footer gives the columns (explicit columns are for text formats).
      auto footer = parquet_footer(set, first);
      for (const auto& c : footer->columns()) file_columns.push_back({to_lower_ascii(c.name), c.type, true, ""});
      explicit_columns.reset();
      sample_rows = (uint64_t)footer->num_rows();
      sample_bytes = std::max<uint64_t>(first.size, 1);
    } else if (first.format == FileFormat::JSON) {
      JsonSample sample = infer_json_schema(range, explicit_columns ? 1 : options_.sample_rows, true);
      resolved.flavor = sample.flavor;
      sample_rows = sample.rows;
      sample_bytes = sample.bytes;
      if (!explicit_columns)
        for (size_t i = 0; i < sample.names.size(); i++) file_columns.push_back({sample.names[i], sample.types[i], true, ""});
    } else {
      // With explicit columns a small sample still gives the row estimate the optimizer uses
      // to order joins.
      CsvSample sample = infer_csv_schema(range, options_for(first.format), explicit_columns ? 100 : options_.sample_rows);
      sample_rows = sample.rows;
      sample_bytes = sample.bytes;
      if (!explicit_columns)
        for (size_t i = 0; i < sample.names.size(); i++) file_columns.push_back({sample.names[i], sample.types[i], true, ""});
    }
    if (explicit_columns) file_columns = *explicit_columns;
    bool compressed = first.compression != Compression::NONE && first.format != FileFormat::PARQUET;
    // A partitioned table: the first partition's bytes times the number of partitions.
    double bytes = set.partitioned() ? (double)total * (double)set.partitions.size() : (double)total;
    if (sample_rows > 0 && sample_bytes > 0 && !compressed)
      resolved.row_estimate = std::round(bytes * (double)sample_rows / (double)sample_bytes);
  } catch (const Error& e) {
    throw_error(e.code(), description + ": " + e.message());
  }
  if (file_columns.empty())
    throw_error(ErrorCode::SOURCE_ERROR, description + ": no columns found in '" + set.files[0].path + "'");
  // A file column named like a partition key gives way to the partition column.
  auto fields = std::make_shared<std::vector<int>>();
  for (size_t i = 0; i < file_columns.size(); i++) {
    if (std::find(set.partition_keys.begin(), set.partition_keys.end(), file_columns[i].name) !=
        set.partition_keys.end())
      continue;
    resolved.columns.push_back(file_columns[i]);
    fields->push_back((int)i);
  }
  resolved.file_columns = resolved.columns.size();
  resolved.csv_fields = std::move(fields);
  if (set.partitioned() && resolved.file_columns == 0)
    throw_error(ErrorCode::SOURCE_ERROR, description + ": the files hold only partition columns");
  for (size_t k = 0; k < set.partition_keys.size(); k++) {
    std::vector<std::string> values;
    for (const auto& p : set.partitions) values.push_back(p.values[k]);
    resolved.columns.push_back({set.partition_keys[k], infer_partition_type(values), true, "partition key"});
  }
  std::lock_guard<std::mutex> lock(mutex_);
  cache_[cache_key] = {signature,           resolved.columns, resolved.file_columns, resolved.csv_fields,
                       resolved.flavor,     resolved.row_estimate};
  return resolved;
}

// Parquet footers, opened once per file version.
std::shared_ptr<parquet::ParquetFile> FileTableConnector::parquet_footer(const FileSet& set, const DataFile& file) {
  std::string key = file.path + "|" + std::to_string(file.size) + "|" + file.version;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = footers_.find(key);
    if (it != footers_.end()) return it->second;
  }
  auto footer = open_parquet(set.storage, file.path, file.size);
  std::lock_guard<std::mutex> lock(mutex_);
  if (footers_.size() > 4096) footers_.clear();
  footers_[key] = footer;
  return footer;
}

}  // namespace tributary::files
