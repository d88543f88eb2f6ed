// FileTableConnector: the part of the files connector that reads a table once its files are
// known, shared by the `files` catalogs (tables under <location>/<schema>/<table>) and the
// path tables of read_parquet / read_csv / read_json (tables named by a path). A subclass
// says where a table's files are (locate()); this class infers or applies the columns (cached
// per file version), answers pushdown, prunes Hive partitions, cuts splits and opens page
// sources.
//
// Columns of a partitioned table: the files' columns, then one per partition key in folder
// order (see partitions.h for their types); a file column named like a partition key is
// replaced by the partition column.
//
// Thread-safe (the caches are guarded by a mutex). Errors: Error(INVALID_ARGUMENT) for bad
// properties, SOURCE_ERROR / NOT_FOUND / TYPE_MISMATCH from the files, each naming the table.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "connector/connector.h"
#include "connectors/files/csv_reader.h"
#include "connectors/files/file_set.h"
#include "connectors/files/json_reader.h"
#include "formats/parquet/parquet_reader.h"

namespace tributary::files {

// How text files are read and scans are split: the csv.* and files.split-size properties.
struct FileReadOptions {
  CsvOptions csv;
  bool quote_set = false;  // csv.quote given (.tsv files otherwise read without quoting)
  bool split_csv = true;
  size_t sample_rows = 1000;
  uint64_t split_size = 32ull << 20;
};
// The property keys read_options() reads.
const std::vector<std::string>& read_option_keys();
// Throws Error(INVALID_ARGUMENT, "Catalog 'NAME': property ...") for a malformed value.
FileReadOptions read_options(const ConnectorProperties& properties, const std::string& catalog);

// The byte-range size a scan of `total_bytes` of text is cut into: enough ranges for
// `max_parallelism` workers, each between 1 MB and `max_split` bytes.
uint64_t split_target(uint64_t total_bytes, int max_parallelism, uint64_t max_split);
// The byte ranges [start, end) of one text file of `size` bytes: one range when it is not
// `splittable` (compressed, quoted fields that may hold line breaks) or not larger than
// `target`; the last range's end is UINT64_MAX. Readers skip the partial first line of a
// range that does not start at 0 and finish the line that crosses its end.
std::vector<std::pair<uint64_t, uint64_t>> text_byte_ranges(uint64_t size, uint64_t target, bool splittable);

class FileTableConnector : public Connector {
 public:
  FileTableConnector(std::string catalog, FileReadOptions options);

  // Values read as NULL because they did not parse as their column type, so far.
  uint64_t rejected_values() const { return rejected_.load(); }

  std::optional<TableMetadata> get_table(const std::string& schema, const std::string& table) override;
  PushdownResult apply_pushdown(const TableMetadata& table, const ScanRequest& request) override;
  std::vector<std::shared_ptr<Split>> plan_splits(const TableMetadata& table, const ScanRequest& request,
                                                  int max_parallelism) override;
  std::unique_ptr<PageSource> open(const TableMetadata& table, const Split& split,
                                   const ScanRequest& request) override;

 protected:
  // Where a table's files are, and its explicit columns if any.
  struct LocatedTable {
    std::string schema;  // as TableMetadata::schema and ::name will hold them
    std::string name;
    FileSet files;
    std::string sidecar;                    // a `.schema` file of "name type" lines, or ""
    std::vector<std::string> column_items;  // explicit "name type" items (used before the sidecar)
    std::string column_origin;              // where column_items come from, for messages
  };
  // nullopt when the table does not exist. May throw (storage errors, refused paths).
  virtual std::optional<LocatedTable> locate(const std::string& schema, const std::string& table) = 0;
  // The prefix of messages about one table, e.g. "Catalog 'lake', table 'lake.s.t'".
  virtual std::string describe_table(const std::string& schema, const std::string& table) const = 0;
  // Called with the files of each partition a scan lists (after locate()): may throw to
  // refuse reading them. Default: nothing.
  virtual void check_files(const std::vector<DataFile>& files) const { (void)files; }

  [[noreturn]] void invalid(const std::string& what) const;

  const std::string catalog_;
  const FileReadOptions options_;

 private:
  struct ResolvedTable {
    LocatedTable located;
    std::vector<ColumnMetadata> columns;  // the files' columns, then the partition columns
    size_t file_columns = 0;
    // Per file column, its field index in a CSV line (a column named like a partition key is
    // not read from the files, so later columns move up).
    std::shared_ptr<const std::vector<int>> csv_fields;
    JsonFlavor flavor = JsonFlavor::LINES;
    std::optional<double> row_estimate;
  };
  struct CachedSchema {
    std::string signature;
    std::vector<ColumnMetadata> columns;
    size_t file_columns = 0;
    std::shared_ptr<const std::vector<int>> csv_fields;
    JsonFlavor flavor = JsonFlavor::LINES;
    std::optional<double> row_estimate;
  };
  std::optional<ResolvedTable> resolve(const std::string& schema, const std::string& table);
  ResolvedTable require(const TableMetadata& table);
  std::vector<size_t> selected_partitions(const ResolvedTable& resolved, const ScanRequest& request) const;
  std::vector<DataFile> files_of_partition(const FileSet& set, size_t partition) const;
  std::vector<ColumnMetadata> parse_column_list(const std::vector<std::string>& items, const std::string& origin,
                                                const std::string& table) const;
  CsvOptions options_for(FileFormat format) const;
  std::shared_ptr<parquet::ParquetFile> parquet_footer(const FileSet& set, const DataFile& file);

  std::atomic<uint64_t> rejected_{0};
  std::mutex mutex_;
  std::unordered_map<std::string, CachedSchema> cache_;  // GUARDED_BY(mutex_), by schema + table
  std::unordered_map<std::string, std::shared_ptr<parquet::ParquetFile>> footers_;  // GUARDED_BY(mutex_)
};

}  // namespace tributary::files
