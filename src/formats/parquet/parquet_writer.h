// ParquetWriter: writes engine Chunks as a Parquet file (for CTAS and INSERT INTO).
//
// Every column is OPTIONAL with RLE definition levels, in data pages v1. A column chunk is
// dictionary-encoded (a PLAIN dictionary page, RLE_DICTIONARY data pages) while its dictionary
// stays within 65536 entries and 1 MiB and pays for itself on the first page; from the page
// where it stops doing so, the rest of the chunk is PLAIN. Booleans are always PLAIN. Each
// column chunk carries min_value/max_value (type order: signed for integers and decimals,
// unsigned bytes for strings, NaN ignored) and null_count; the footer sets column_orders.
//
// Type mapping: BOOLEAN; TINYINT/SMALLINT/INTEGER -> INT32 with INT(8/16/32, signed); BIGINT ->
// INT64; REAL -> FLOAT; DOUBLE; DECIMAL(p,s) -> INT32 (p <= 9), INT64 (p <= 18) or
// FIXED_LEN_BYTE_ARRAY of the fewest bytes that hold p digits, with DECIMAL logical and converted
// types; VARCHAR -> BYTE_ARRAY STRING/UTF8; VARBINARY -> BYTE_ARRAY; DATE -> INT32 DATE;
// TIMESTAMP -> INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false) with converted TIMESTAMP_MICROS.
// Other types (intervals, unknown) throw Error(NOT_SUPPORTED) from the constructor.
//
// A row group is buffered in memory (compressed pages) until it holds row_group_rows rows or
// row_group_bytes uncompressed bytes, then handed to the sink. The footer names the writer
// "tributary version 0.1.0". Not thread-safe; the sink is called from write() and finish() only,
// on the caller's thread, and its exceptions propagate; after any exception the file is
// incomplete and the writer must be discarded.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "vector/vector.h"

namespace tributary::parquet {

enum class WriteCodec { UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW };

// "snappy", "gzip", "zstd", "lz4", "lz4_raw", "none", "uncompressed" in any case; "lz4" means
// LZ4_RAW (the framing parquet-format recommends). Throws Error(INVALID_ARGUMENT) naming the
// accepted values otherwise.
WriteCodec parse_write_codec(const std::string& name);

struct WriterOptions {
  WriteCodec codec = WriteCodec::SNAPPY;
  int64_t row_group_rows = 1 << 20;       // a row group is closed after this many rows ...
  int64_t row_group_bytes = 128LL << 20;  // ... or this many buffered (uncompressed) bytes
  int64_t page_rows = 20000;              // rows per data page (a page also closes at 1 MiB of values)
  bool dictionary = true;                 // dictionary-encode columns while the dictionary stays small
};

struct WriterColumn {
  std::string name;
  Type type;
};

class ParquetWriter {
 public:
  // Bytes go to `sink` in file order (a file, a string buffer for an S3 PUT); the first call
  // comes from the first row group or from finish(). Throws Error(NOT_SUPPORTED, "Parquet writer:
  // column X of type T is not supported") for a type outside the mapping above, and
  // Error(INVALID_ARGUMENT) for non-positive row or byte limits.
  ParquetWriter(std::vector<WriterColumn> columns, WriterOptions options, std::function<void(std::string_view)> sink);
  // Abandons an unfinished file (nothing more reaches the sink).
  ~ParquetWriter();
  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Appends the chunk's rows. Its columns are in the order of `columns`, of the same types
  // (decimals with the same precision and scale), else Error(INVALID_ARGUMENT). The chunk is
  // not retained. After finish(), throws Error(INTERNAL_ERROR).
  void write(const Chunk& chunk);
  // Flushes the last row group and writes the footer. Call once (again: INTERNAL_ERROR).
  void finish();

  uint64_t rows_written() const;
  uint64_t bytes_written() const;  // bytes handed to the sink so far

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tributary::parquet
