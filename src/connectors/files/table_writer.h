// Table writer: rows -> data files in a folder (local or s3://), for CREATE TABLE AS and
// INSERT INTO. Formats: PARQUET (SNAPPY by default), TEXTFILE (Hive LazySimpleSerDe style:
// one line per row, fields split by a delimiter, NULL written as \N; a field holding the
// delimiter, a quote or a line break is quoted with '"'), JSON (one object per line). Text
// and JSON are GZIP-compressed by default, as Athena's CTAS does.
//
// Hive-style partitions: the last `partition_count` columns are not written into the files;
// each combination of their values gets a folder <folder>/k1=v1/k2=v2/ (values escaped as
// Hive escapes path names; NULL is __HIVE_DEFAULT_PARTITION__).
//
// Errors: a failed write deletes the files this call already wrote, then throws (the table
// is left as it was). Storage errors are Error(SOURCE_ERROR) naming the path.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/types.h"
#include "connector/connector.h"
#include "connectors/files/storage.h"
#include "vector/vector.h"

namespace tributary::files {

// CSV: RFC 4180 with a header line, ',' between fields, NULL as an empty field, an empty
// string as "" (what the files connector reads back by default).
enum class WriteFormat { PARQUET, TEXTFILE, JSON, CSV };

struct WriteOptions {
  WriteFormat format = WriteFormat::PARQUET;
  // PARQUET: SNAPPY, GZIP, ZSTD, LZ4, NONE. TEXTFILE/JSON/CSV: GZIP, ZSTD, NONE. Empty: the default.
  std::string compression;
  char delimiter = '\001';  // TEXTFILE
  // TEXTFILE: the quote for fields holding the delimiter, a quote or a line break ('\0': the
  // table has none, and such a value is an error), and the text of NULL.
  char quote = '"';
  std::string null_text = "\\N";
  // An unpartitioned write of no rows still leaves one (empty) Parquet file, so a CTAS table's
  // schema travels with its data; INSERT of no rows writes nothing.
  bool write_empty_file = true;
  // One file holds at most this many rows (more rows make more files).
  uint64_t max_rows_per_file = 8u << 20;
  // Where a partition's files go (values unescaped, in partition order); unset or returning ""
  // = <folder>/k1=v1/k2=v2. INSERT INTO uses it for partitions registered at another location.
  std::function<std::string(const std::vector<std::string>&)> partition_folder;
};

// Checks a compression name for a format (upper-cases it, fills the default when empty);
// throws Error(INVALID_ARGUMENT) naming the accepted values.
std::string checked_compression(WriteFormat format, const std::string& compression);
// "PARQUET", "TEXTFILE", "JSON", "CSV" (any case; empty = PARQUET); throws NOT_SUPPORTED naming
// the accepted ones for `what` (e.g. "CREATE TABLE AS").
WriteFormat parse_write_format(const std::string& format, const std::string& what);

struct WrittenPartition {
  std::vector<std::string> values;  // unescaped; "__HIVE_DEFAULT_PARTITION__" for NULL
  std::string folder;               // ends with '/'
  uint64_t rows = 0;
};

struct WriteOutcome {
  uint64_t rows = 0;
  uint64_t bytes = 0;
  std::vector<std::string> files;
  std::vector<WrittenPartition> partitions;  // in first-seen order; empty when not partitioned
};

class TextEncoder;

// Writes rows (columns named `names`, typed `types`, partition columns last) under `folder` as
// they come: each partition keeps one file open (a Parquet writer flushing row groups of 128K
// rows, or text lines), a file is stored when it reaches max_rows_per_file rows or at
// finish(); files are named <file_prefix>_<n><extension>. Memory: the open files' encoded
// bytes, never the rows. A writer destroyed before finish() (an error, a cancel) deletes the
// files it stored. Not thread-safe.
class TableFileWriter {
 public:
  TableFileWriter(Storage& storage, std::string folder, std::vector<std::string> names, std::vector<Type> types,
                  size_t partition_count, WriteOptions options, std::string file_prefix);
  ~TableFileWriter();
  TableFileWriter(const TableFileWriter&) = delete;
  TableFileWriter& operator=(const TableFileWriter&) = delete;

  void write(const Chunk& rows);
  // Stores the open files; the files are then the caller's (remove_files() to undo).
  WriteOutcome finish();

 private:
  struct Partition;
  std::unique_ptr<Partition> new_partition(std::vector<std::string> values);
  void append(Partition& partition, const Chunk& data);
  void open_file(Partition& partition);
  void close_file(Partition& partition);

  Storage& storage_;
  std::string folder_;
  std::vector<std::string> names_;
  std::vector<Type> types_;
  size_t partition_count_;
  size_t data_columns_ = 0;
  WriteOptions options_;
  std::string file_prefix_;
  std::string compression_;
  std::unique_ptr<TextEncoder> text_;
  std::vector<std::unique_ptr<Partition>> partitions_;
  std::unordered_map<std::string, size_t> index_;
  int file_number_ = 0;
  WriteOutcome outcome_;
  bool finished_ = false;
};

// A connector's TableWriteSession over a TableFileWriter: `prepare` (optional) adapts each
// chunk before it is written, `on_commit` (optional) registers the outcome after the files are
// stored; when it throws, the files are deleted. `keep` lives as long as the session (e.g. a
// claim on the location).
class FilesWriteSession : public TableWriteSession {
 public:
  FilesWriteSession(std::shared_ptr<Storage> storage, std::unique_ptr<TableFileWriter> writer,
                    std::function<void(const WriteOutcome&)> on_commit = nullptr,
                    std::function<Chunk(const Chunk&)> prepare = nullptr, std::shared_ptr<void> keep = nullptr)
      : keep_(std::move(keep)),
        storage_(std::move(storage)),
        writer_(std::move(writer)),
        on_commit_(std::move(on_commit)),
        prepare_(std::move(prepare)) {}
  void write(const Chunk& rows) override;
  uint64_t commit() override;

 private:
  std::shared_ptr<void> keep_;
  std::shared_ptr<Storage> storage_;
  std::unique_ptr<TableFileWriter> writer_;
  std::function<void(const WriteOutcome&)> on_commit_;
  std::function<Chunk(const Chunk&)> prepare_;
};

// All of `rows` through one TableFileWriter.
WriteOutcome write_table_files(Storage& storage, const std::string& folder, const std::vector<std::string>& names,
                               const std::vector<Type>& types, size_t partition_count, const std::vector<Chunk>& rows,
                               const WriteOptions& options, const std::string& file_prefix);

// Claims `folder` for one CREATE TABLE AS of this process until the returned handle is
// released (a second claim throws ALREADY_EXISTS "Another CREATE TABLE AS is writing into
// <folder>"): the location is checked empty before the query runs and filled after it.
std::shared_ptr<void> claim_write_location(const std::string& folder);

// Deletes files written earlier (undoing a write whose registration failed); errors ignored.
void remove_files(Storage& storage, const std::vector<std::string>& paths) noexcept;

}  // namespace tributary::files
