#include "connectors/files/table_writer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <set>
#include <unordered_map>

#include "common/error.h"
#include "common/text.h"
#include "connectors/files/partitions.h"
#include "formats/parquet/codecs.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/parquet_writer.h"
#include "function/cast.h"

namespace tributary::files {

namespace {

std::string upper(std::string text) {
  for (auto& c : text) c = (char)std::toupper((unsigned char)c);
  return text;
}

std::string folder_path(const std::string& folder, const std::string& name) {
  if (!folder.empty() && folder.back() == '/') return folder + name;
  return folder + "/" + name;
}

// Text of one non-null value as Trino's CAST(x AS varchar) gives it (dates yyyy-mm-dd,
// timestamps yyyy-mm-dd hh:mm:ss.fff, decimals with their scale).
std::string value_text(const Vector& vector, size_t row) { return value_to_varchar(vector, row); }

// `only_column`: an empty value would make an empty line, which readers skip.
void append_text_field(std::string& out, const Vector& vector, size_t row, const WriteOptions& options,
                       bool only_column) {
  if (vector.is_null(row)) {
    out += options.null_text;
    return;
  }
  std::string text = value_text(vector, row);
  bool special = text.find_first_of(std::string(1, options.delimiter) + "\r\n") != std::string::npos;
  bool quote = special || (!options.null_text.empty() && text == options.null_text) ||
               (only_column && text.empty()) || (options.quote && !text.empty() && text.front() == options.quote);
  if (!quote) {
    out += text;
    return;
  }
  if (!options.quote) {
    if (special)
      throw_error(ErrorCode::INVALID_ARGUMENT, "The value '" + text.substr(0, 40) +
                                                   "' holds the field delimiter or a line break, and the table has "
                                                   "no quote character (quoteChar) to protect it");
    out += text;  // reads back as NULL/empty: the table's own ambiguity
    return;
  }
  out += options.quote;
  for (char c : text) {
    if (c == options.quote) out += options.quote;
    out += c;
  }
  out += options.quote;
}

void append_json_field(std::string& out, const Vector& vector, size_t row) {
  if (vector.is_null(row)) {
    out += "null";
    return;
  }
  switch (vector.type().id) {
    case TypeId::BOOLEAN: out += vector.data<bool>()[row] ? "true" : "false"; return;
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT:
    case TypeId::DECIMAL: out += value_text(vector, row); return;
    case TypeId::REAL:
    case TypeId::DOUBLE: {
      std::string text = value_text(vector, row);
      // JSON has no NaN/Infinity: written as strings, which Hive's JSON SerDe reads back.
      if (text.find_first_not_of("0123456789.eE+-") != std::string::npos) append_json_string(out, text);
      else out += text;
      return;
    }
    default: append_json_string(out, value_text(vector, row)); return;
  }
}

void append_csv_field(std::string& out, const Vector& vector, size_t row) {
  if (vector.is_null(row)) return;
  std::string text = value_text(vector, row);
  bool quote = text.empty() || text.find_first_of(",\"\r\n") != std::string::npos || text.front() == ' ' ||
               text.back() == ' ';
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

// Encodes rows as text/JSON lines, a chunk at a time.
class TextEncoder {
 public:
  TextEncoder(const std::vector<std::string>& names, size_t data_columns, const WriteOptions& options)
      : names_(names), data_columns_(data_columns), options_(options) {
    for (size_t c = 0; c < data_columns; c++) {
      std::string key;
      append_json_string(key, names[c]);
      keys_.push_back(key + ":");
    }
  }
  // What a file starts with (CSV: the header line).
  void header(std::string& out) const {
    if (options_.format != WriteFormat::CSV) return;
    for (size_t c = 0; c < data_columns_; c++) {
      if (c) out += ',';
      out += names_[c];
    }
    out += '\n';
  }
  void rows(std::string& out, const Chunk& chunk) const {
    for (size_t r = 0; r < chunk.size; r++) {
      if (options_.format == WriteFormat::JSON) {
        out += '{';
        for (size_t c = 0; c < data_columns_; c++) {
          if (c) out += ',';
          out += keys_[c];
          append_json_field(out, chunk.columns[c], r);
        }
        out += "}\n";
      } else if (options_.format == WriteFormat::CSV) {
        for (size_t c = 0; c < data_columns_; c++) {
          if (c) out += ',';
          append_csv_field(out, chunk.columns[c], r);
        }
        out += '\n';
      } else {
        for (size_t c = 0; c < data_columns_; c++) {
          if (c) out += options_.delimiter;
          append_text_field(out, chunk.columns[c], r, options_, data_columns_ == 1);
        }
        out += '\n';
      }
    }
  }

 private:
  const std::vector<std::string>& names_;
  size_t data_columns_;
  const WriteOptions& options_;
  std::vector<std::string> keys_;
};

namespace {

int32_t text_codec(const std::string& compression) {
  if (compression == "GZIP") return parquet::codec::GZIP;
  if (compression == "ZSTD") return parquet::codec::ZSTD;
  return parquet::codec::UNCOMPRESSED;
}

std::string extension(const WriteOptions& options, const std::string& compression) {
  if (options.format == WriteFormat::PARQUET) return ".parquet";
  std::string base = options.format == WriteFormat::JSON ? ".json" : options.format == WriteFormat::CSV ? ".csv" : ".txt";
  if (compression == "GZIP") return base + ".gz";
  if (compression == "ZSTD") return base + ".zst";
  return base;
}

}  // namespace

std::string checked_compression(WriteFormat format, const std::string& compression) {
  std::string name = upper(trim_ascii(compression));
  if (format == WriteFormat::PARQUET) {
    if (name.empty()) return "SNAPPY";
    if (name == "UNCOMPRESSED") name = "NONE";
    if (name == "LZ4_RAW") name = "LZ4";
    if (name == "SNAPPY" || name == "GZIP" || name == "ZSTD" || name == "LZ4" || name == "NONE") return name;
    throw_error(ErrorCode::INVALID_ARGUMENT, "write_compression '" + compression +
                                                 "' is not supported for PARQUET (SNAPPY, GZIP, ZSTD, LZ4, NONE)");
  }
  if (name.empty()) return "GZIP";
  if (name == "UNCOMPRESSED") name = "NONE";
  if (name == "GZIP" || name == "ZSTD" || name == "NONE") return name;
  throw_error(ErrorCode::INVALID_ARGUMENT, "write_compression '" + compression + "' is not supported for " +
                                               std::string(format == WriteFormat::JSON  ? "JSON"
                                                           : format == WriteFormat::CSV ? "CSV"
                                                                                        : "TEXTFILE") +
                                               " (GZIP, ZSTD, NONE)");
}

WriteFormat parse_write_format(const std::string& format, const std::string& what) {
  std::string name = upper(trim_ascii(format));
  if (name.empty() || name == "PARQUET") return WriteFormat::PARQUET;
  if (name == "TEXTFILE") return WriteFormat::TEXTFILE;
  if (name == "JSON") return WriteFormat::JSON;
  if (name == "CSV") return WriteFormat::CSV;
  throw_error(ErrorCode::NOT_SUPPORTED, "format '" + format + "' is not supported for " + what +
                                            " (PARQUET, TEXTFILE, JSON, CSV)");
}

// ---- TableFileWriter ------------------------------------------------------------------------

// One partition (or the whole table) and its open file.
struct TableFileWriter::Partition {
  std::vector<std::string> values;
  std::string target;  // folder, without a trailing '/'
  uint64_t rows = 0;
  // The open file: its rows so far and its body (Parquet: written by `parquet`).
  bool open = false;
  uint64_t file_rows = 0;
  std::string body;
  std::unique_ptr<parquet::ParquetWriter> parquet;
};

TableFileWriter::TableFileWriter(Storage& storage, std::string folder, std::vector<std::string> names,
                                 std::vector<Type> types, size_t partition_count, WriteOptions options,
                                 std::string file_prefix)
    : storage_(storage),
      folder_(std::move(folder)),
      names_(std::move(names)),
      types_(std::move(types)),
      partition_count_(partition_count),
      options_(std::move(options)),
      file_prefix_(std::move(file_prefix)) {
  if (partition_count_ > types_.size() || names_.size() != types_.size())
    throw_error(ErrorCode::INTERNAL_ERROR, "table writer: bad column layout");
  data_columns_ = types_.size() - partition_count_;
  if (data_columns_ == 0)
    throw_error(ErrorCode::INVALID_ARGUMENT, "A table needs at least one column besides its partition columns");
  compression_ = checked_compression(options_.format, options_.compression);
  text_ = std::make_unique<TextEncoder>(names_, data_columns_, options_);
  if (partition_count_ == 0) partitions_.push_back(new_partition({}));
}

TableFileWriter::~TableFileWriter() {
  if (!finished_) remove_files(storage_, outcome_.files);
}

std::unique_ptr<TableFileWriter::Partition> TableFileWriter::new_partition(std::vector<std::string> values) {
  auto partition = std::make_unique<Partition>();
  std::string target = folder_;
  if (!target.empty() && target.back() == '/') target.pop_back();
  for (size_t p = 0; p < partition_count_; p++)
    target = folder_path(target, escape_path_name(names_[data_columns_ + p]) + "=" + escape_path_name(values[p]));
  if (partition_count_ > 0 && options_.partition_folder) {
    std::string custom = options_.partition_folder(values);
    if (!custom.empty()) target = custom;
  }
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  partition->target = std::move(target);
  partition->values = std::move(values);
  return partition;
}

void TableFileWriter::write(const Chunk& rows) {
  if (finished_) throw_error(ErrorCode::INTERNAL_ERROR, "table writer: write after finish");
  if (rows.size == 0) return;
  Chunk data;
  data.columns.assign(rows.columns.begin(), rows.columns.begin() + (long)data_columns_);
  data.size = rows.size;
  if (partition_count_ == 0) {
    append(*partitions_[0], data);
    return;
  }
  // Rows by partition values (partitions in first-seen order).
  std::vector<std::vector<uint32_t>> selections(partitions_.size());
  std::vector<std::string> values(partition_count_);
  std::string key;
  for (size_t r = 0; r < rows.size; r++) {
    key.clear();  // length-prefixed values: no two value lists share a key
    for (size_t p = 0; p < partition_count_; p++) {
      const Vector& v = rows.columns[data_columns_ + p];
      values[p] = v.is_null(r) ? std::string(kHiveDefaultPartition) : value_text(v, r);
      key += std::to_string(values[p].size()) + ":" + values[p];
    }
    auto [it, inserted] = index_.emplace(key, partitions_.size());
    if (inserted) {
      partitions_.push_back(new_partition(values));
      selections.emplace_back();
    }
    selections[it->second].push_back((uint32_t)r);
  }
  for (size_t p = 0; p < selections.size(); p++) {
    if (selections[p].empty()) continue;
    if (selections[p].size() == rows.size) append(*partitions_[p], data);
    else append(*partitions_[p], data.select(selections[p].data(), selections[p].size()));
  }
}

void TableFileWriter::append(Partition& partition, const Chunk& data) {
  // A file holds at most max_rows_per_file rows: a chunk that would pass it starts the next.
  if (partition.open && partition.file_rows > 0 && partition.file_rows + data.size > options_.max_rows_per_file)
    close_file(partition);
  if (!partition.open) open_file(partition);
  if (options_.format == WriteFormat::PARQUET) partition.parquet->write(data);
  else text_->rows(partition.body, data);
  partition.file_rows += data.size;
  partition.rows += data.size;
}

void TableFileWriter::open_file(Partition& partition) {
  partition.open = true;
  partition.file_rows = 0;
  partition.body.clear();
  if (options_.format == WriteFormat::PARQUET) {
    std::vector<parquet::WriterColumn> columns;
    for (size_t c = 0; c < data_columns_; c++) columns.push_back({names_[c], types_[c]});
    parquet::WriterOptions writer_options;
    writer_options.codec = parquet::parse_write_codec(compression_);
    // Row groups of 128K rows (DuckDB writes 122,880): min/max pruning stays selective and a
    // scan has enough splits for every core.
    writer_options.row_group_rows = 128 * 1024;
    std::string* body = &partition.body;
    partition.parquet = std::make_unique<parquet::ParquetWriter>(
        columns, writer_options, [body](std::string_view bytes) { body->append(bytes); });
  } else {
    text_->header(partition.body);
  }
}

void TableFileWriter::close_file(Partition& partition) {
  if (!partition.open) return;
  partition.open = false;
  std::string body;
  if (options_.format == WriteFormat::PARQUET) {
    partition.parquet->finish();
    partition.parquet.reset();
    body = std::move(partition.body);
  } else {
    int32_t codec = text_codec(compression_);
    if (codec == parquet::codec::UNCOMPRESSED) body = std::move(partition.body);
    else parquet::compress(codec, partition.body, &body);
  }
  partition.body.clear();
  partition.body.shrink_to_fit();
  // An empty table still gets one (empty) Parquet file so its schema travels with it; empty
  // text files are not written.
  bool keep = partition.file_rows > 0 ||
              (options_.write_empty_file && options_.format == WriteFormat::PARQUET && partition_count_ == 0);
  if (!keep) return;
  std::string path =
      folder_path(partition.target, file_prefix_ + "_" + std::to_string(file_number_++) + extension(options_, compression_));
  outcome_.files.push_back(path);  // first: a write that fails part way is removed too
  storage_.write(path, body);
  outcome_.bytes += body.size();
}

WriteOutcome TableFileWriter::finish() {
  if (finished_) throw_error(ErrorCode::INTERNAL_ERROR, "table writer: finished twice");
  if (partition_count_ == 0 && !partitions_[0]->open) open_file(*partitions_[0]);  // the empty table's file
  for (auto& partition : partitions_) {
    close_file(*partition);
    outcome_.rows += partition->rows;
    if (partition_count_ > 0) outcome_.partitions.push_back({partition->values, partition->target + "/", partition->rows});
  }
  finished_ = true;
  return outcome_;
}

void FilesWriteSession::write(const Chunk& rows) {
  if (prepare_) writer_->write(prepare_(rows));
  else writer_->write(rows);
}

uint64_t FilesWriteSession::commit() {
  WriteOutcome outcome = writer_->finish();
  if (on_commit_) {
    try {
      on_commit_(outcome);
    } catch (...) {
      remove_files(*storage_, outcome.files);
      throw;
    }
  }
  return outcome.rows;
}

WriteOutcome write_table_files(Storage& storage, const std::string& folder, const std::vector<std::string>& names,
                               const std::vector<Type>& types, size_t partition_count, const std::vector<Chunk>& rows,
                               const WriteOptions& options, const std::string& file_prefix) {
  TableFileWriter writer(storage, folder, names, types, partition_count, options, file_prefix);
  for (const Chunk& chunk : rows) writer.write(chunk);
  return writer.finish();
}

std::shared_ptr<void> claim_write_location(const std::string& folder) {
  static std::mutex mutex;
  static std::set<std::string> claimed;  // GUARDED_BY(mutex)
  std::string key = folder;
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!claimed.insert(key).second)
      throw_error(ErrorCode::ALREADY_EXISTS, "Another CREATE TABLE AS is writing into " + folder);
  }
  return std::shared_ptr<void>(nullptr, [key](void*) {
    std::lock_guard<std::mutex> lock(mutex);
    claimed.erase(key);
  });
}

void remove_files(Storage& storage, const std::vector<std::string>& paths) noexcept {
  for (const auto& path : paths) {
    try {
      storage.remove(path);
    } catch (...) {
    }
  }
}

}  // namespace tributary::files
