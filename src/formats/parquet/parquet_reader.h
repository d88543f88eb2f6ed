// ParquetFile: a Parquet reader that decodes column chunks straight into engine Vectors.
//
// open() reads the footer (one read of the file's tail when the metadata is small), maps the
// schema to engine types (see ColumnInfo) and keeps per-row-group statistics for pruning.
// read_row_group() reads the byte range of each chosen column chunk once and decodes page by
// page into Chunks of up to kChunkCapacity rows.
//
// Errors: a corrupt or truncated file throws Error(SOURCE_ERROR, "<file>: <what> at offset N");
// features the reader lacks (MAP or struct columns, BROTLI/LZO, nested lists) throw
// Error(NOT_SUPPORTED, ...) when such a column is read. I/O failures throw SOURCE_ERROR.
// Thread-safety: a ParquetFile is immutable after open() and may be shared by threads as long as
// its RandomAccessFile's read() is thread-safe (open_local_file's is); a RowGroupReader is used
// by one thread at a time.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "vector/vector.h"

namespace tributary::parquet {

// Positioned reads of a file wherever it lives. read() returns exactly `length` bytes or throws
// Error(SOURCE_ERROR) (a short read is an error).
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  virtual uint64_t size() = 0;
  virtual std::string read(uint64_t offset, uint64_t length) = 0;
  // The name used in error messages (a path or URL, never a credential).
  virtual std::string name() const = 0;
  // True when each read is a network request (object stores): the reader then merges the
  // column chunks of a row group that lie close together into one read and issues the reads
  // of a row group in parallel. Local files read adjacent chunks in one read only.
  virtual bool remote() const { return false; }
};

// A local file read with pread(2); throws Error(SOURCE_ERROR) when it cannot be opened.
std::shared_ptr<RandomAccessFile> open_local_file(const std::string& path);

// One top-level column of the file as the engine sees it.
struct ColumnInfo {
  std::string name;
  Type type;  // engine type; VARCHAR (JSON text such as [1,2,null]) for a list
  int max_definition_level = 0;
  int max_repetition_level = 0;
  bool is_list = false;
  Type element_type;         // the list's element type when is_list
  std::string unsupported;   // non-empty: why this column cannot be read (type is then VARCHAR)
};

// Statistics of one column chunk, in the column's engine type (absent when the file has none,
// for lists, or when they cannot be trusted, e.g. legacy min/max of strings).
struct ColumnStatistics {
  std::optional<Value> min, max;
  std::optional<int64_t> null_count;
};

struct RowGroupInfo {
  int64_t num_rows = 0;
  int64_t total_compressed_bytes = 0;
  std::vector<ColumnStatistics> stats;  // per top-level column
  std::vector<uint64_t> column_bytes;   // compressed bytes per top-level column
};

class RowGroupReader;
struct FileState;

class ParquetFile {
 public:
  // Reads and validates the footer. Throws as described above.
  static std::shared_ptr<ParquetFile> open(std::shared_ptr<RandomAccessFile> file);
  ~ParquetFile();

  const std::vector<ColumnInfo>& columns() const;
  const std::vector<RowGroupInfo>& row_groups() const;
  int64_t num_rows() const;
  const std::string& name() const;
  // The writer as recorded in the footer ("DuckDB version ...").
  const std::string& created_by() const;
  // Whether reads are network requests (RandomAccessFile::remote()).
  bool remote() const;

  // Reads the chosen top-level columns (indexes into columns(), in the order of the output
  // chunk's columns) of one row group. Only those columns' byte ranges are read, one read per
  // column chunk. Throws Error(INVALID_ARGUMENT) for a bad index, NOT_SUPPORTED for an
  // unsupported column.
  std::unique_ptr<RowGroupReader> read_row_group(int row_group, const std::vector<int>& column_indexes);

 private:
  ParquetFile() = default;
  std::shared_ptr<FileState> state_;
};

class ColumnChunkReader;

class RowGroupReader {
 public:
  ~RowGroupReader();
  // Fills `out` (re-initialised with the selected columns' types) with the next rows; returns
  // false, leaving out.size == 0, when the row group is exhausted.
  bool next(Chunk& out);
  // As next(), but writes into out's vectors in place when they already have the selected
  // columns' types and room for a chunk: the caller guarantees that no one else holds them
  // (e.g. a chunk it has just initialised).
  bool next_into(Chunk& out);
  // Compressed bytes read from the file so far (Athena's DataScannedInBytes).
  uint64_t bytes_read() const { return bytes_read_; }

  // Column at a time, for late materialization: begin_rows() gives the size of the next batch
  // (0 when the row group is exhausted); every selected column is then either read into a
  // vector of its type with room for the batch or skipped, once, and end_rows() moves on.
  size_t begin_rows() const;
  void read_column(size_t column, Vector& out, size_t count);
  void skip_column(size_t column, size_t count);
  // read_column() of a string column that, when every row of the batch is a non-NULL
  // dictionary value, also gives the rows' dictionary indices in codes[0, count) and the
  // chunk's dictionary (the same for the whole row group), and returns true.
  bool read_column_codes(size_t column, Vector& out, size_t count, uint32_t* codes,
                         const std::vector<std::string_view>** dictionary);
  void end_rows(size_t count);

 private:
  friend class ParquetFile;
  RowGroupReader() = default;
  bool next_chunk(Chunk& out, bool may_reuse);

  std::shared_ptr<FileState> file_;
  std::vector<std::unique_ptr<ColumnChunkReader>> columns_;
  std::vector<Type> types_;
  int64_t rows_left_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace tributary::parquet
