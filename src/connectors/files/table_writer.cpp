#include "connectors/files/table_writer.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
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

// Encodes rows as one text/JSON file body.
std::string encode_text(const std::vector<const Chunk*>& chunks, const std::vector<std::string>& names,
                        size_t data_columns, const WriteOptions& options) {
  std::string out;
  if (options.format == WriteFormat::CSV) {
    for (size_t c = 0; c < data_columns; c++) {
      if (c) out += ',';
      out += names[c];
    }
    out += '\n';
  }
  std::vector<std::string> keys;
  for (size_t c = 0; c < data_columns; c++) {
    std::string key;
    append_json_string(key, names[c]);
    keys.push_back(key + ":");
  }
  for (const Chunk* chunk : chunks) {
    for (size_t r = 0; r < chunk->size; r++) {
      if (options.format == WriteFormat::JSON) {
        out += '{';
        for (size_t c = 0; c < data_columns; c++) {
          if (c) out += ',';
          out += keys[c];
          append_json_field(out, chunk->columns[c], r);
        }
        out += "}\n";
      } else if (options.format == WriteFormat::CSV) {
        for (size_t c = 0; c < data_columns; c++) {
          if (c) out += ',';
          append_csv_field(out, chunk->columns[c], r);
        }
        out += '\n';
      } else {
        for (size_t c = 0; c < data_columns; c++) {
          if (c) out += options.delimiter;
          append_text_field(out, chunk->columns[c], r, options, data_columns == 1);
        }
        out += '\n';
      }
    }
  }
  return out;
}

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

// The rows of one partition (or of the whole table), as chunks of the data columns.
struct PartitionRows {
  std::vector<std::string> values;
  std::vector<Chunk> chunks;
  uint64_t rows = 0;
};

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

WriteOutcome write_table_files(Storage& storage, const std::string& folder, const std::vector<std::string>& names,
                               const std::vector<Type>& types, size_t partition_count, const std::vector<Chunk>& rows,
                               const WriteOptions& options, const std::string& file_prefix) {
  if (partition_count > types.size() || names.size() != types.size())
    throw_error(ErrorCode::INTERNAL_ERROR, "table writer: bad column layout");
  size_t data_columns = types.size() - partition_count;
  if (data_columns == 0)
    throw_error(ErrorCode::INVALID_ARGUMENT, "A table needs at least one column besides its partition columns");
  std::string compression = checked_compression(options.format, options.compression);
  std::vector<Type> data_types(types.begin(), types.begin() + (long)data_columns);

  // Group rows by partition values (first-seen order).
  std::vector<PartitionRows> partitions;
  std::unordered_map<std::string, size_t> index;
  if (partition_count == 0) partitions.emplace_back();
  for (const Chunk& chunk : rows) {
    if (chunk.size == 0) continue;
    if (partition_count == 0) {
      Chunk data;
      data.columns.assign(chunk.columns.begin(), chunk.columns.begin() + (long)data_columns);
      data.size = chunk.size;
      partitions[0].rows += chunk.size;
      partitions[0].chunks.push_back(std::move(data));
      continue;
    }
    std::vector<std::vector<uint32_t>> selections(partitions.size());
    for (size_t r = 0; r < chunk.size; r++) {
      std::vector<std::string> values;
      std::string key;  // length-prefixed values: no two value lists share a key
      for (size_t p = 0; p < partition_count; p++) {
        const Vector& v = chunk.columns[data_columns + p];
        values.push_back(v.is_null(r) ? kHiveDefaultPartition : value_text(v, r));
        key += std::to_string(values.back().size()) + ":" + values.back();
      }
      auto [it, inserted] = index.emplace(key, partitions.size());
      if (inserted) {
        partitions.emplace_back();
        partitions.back().values = values;
        selections.emplace_back();
      }
      selections[it->second].push_back((uint32_t)r);
    }
    Chunk data;
    data.columns.assign(chunk.columns.begin(), chunk.columns.begin() + (long)data_columns);
    data.size = chunk.size;
    for (size_t p = 0; p < selections.size(); p++) {
      if (selections[p].empty()) continue;
      partitions[p].rows += selections[p].size();
      partitions[p].chunks.push_back(data.select(selections[p].data(), selections[p].size()));
    }
  }

  WriteOutcome outcome;
  try {
    int file_number = 0;
    for (const auto& partition : partitions) {
      std::string target = folder;
      if (!target.empty() && target.back() == '/') target.pop_back();
      for (size_t p = 0; p < partition_count; p++)
        target = folder_path(target, escape_path_name(names[data_columns + p]) + "=" + escape_path_name(partition.values[p]));
      if (partition_count > 0 && options.partition_folder) {
        std::string custom = options.partition_folder(partition.values);
        if (!custom.empty()) target = custom;
      }
      while (target.size() > 1 && target.back() == '/') target.pop_back();
      // Cut the partition's chunks into files of at most max_rows_per_file rows.
      size_t next_chunk = 0;
      do {
        std::vector<const Chunk*> file_chunks;
        uint64_t file_rows = 0;
        while (next_chunk < partition.chunks.size() &&
               (file_chunks.empty() || file_rows + partition.chunks[next_chunk].size <= options.max_rows_per_file)) {
          file_rows += partition.chunks[next_chunk].size;
          file_chunks.push_back(&partition.chunks[next_chunk++]);
        }
        std::string body;
        if (options.format == WriteFormat::PARQUET) {
          std::vector<parquet::WriterColumn> columns;
          for (size_t c = 0; c < data_columns; c++) columns.push_back({names[c], types[c]});
          parquet::WriterOptions writer_options;
          writer_options.codec = parquet::parse_write_codec(compression);
          // Row groups of 128K rows (DuckDB writes 122,880): min/max pruning stays selective and
          // a scan has enough splits for every core.
          writer_options.row_group_rows = 128 * 1024;
          parquet::ParquetWriter writer(columns, writer_options, [&](std::string_view bytes) { body.append(bytes); });
          for (const Chunk* chunk : file_chunks) writer.write(*chunk);
          writer.finish();
        } else {
          std::string text = encode_text(file_chunks, names, data_columns, options);
          int32_t codec = text_codec(compression);
          if (codec == parquet::codec::UNCOMPRESSED) body = std::move(text);
          else parquet::compress(codec, text, &body);
        }
        // An empty table still gets one (empty) Parquet file so its schema travels with it;
        // empty text files are not written.
        if (file_rows > 0 || (options.write_empty_file && options.format == WriteFormat::PARQUET && partition_count == 0)) {
          std::string path =
              folder_path(target, file_prefix + "_" + std::to_string(file_number++) + extension(options, compression));
          storage.write(path, body);
          outcome.files.push_back(path);
          outcome.bytes += body.size();
        }
        outcome.rows += file_rows;
      } while (next_chunk < partition.chunks.size());
      if (partition_count > 0) outcome.partitions.push_back({partition.values, target + "/", partition.rows});
    }
  } catch (...) {
    remove_files(storage, outcome.files);
    throw;
  }
  return outcome;
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
