// File sets: the files one table reads — one file, a folder of files of one format family,
// the matches of a glob, or a folder of Hive partition folders (`key=value/...`) whose
// deepest folders hold the files.
//
// Discovering a partitioned folder lists the partition folders above the deepest level (so
// every key's values, and thus its type, are known) and the first deepest folder (its files
// give the columns); the other deepest folders are listed only when a scan reads them, after
// pruning (partition_files()).
//
// Layout rules (as Hive and Athena read a partitioned table):
//   - the first path down from the table folder fixes the keys and their order; a partition
//     folder of another key at some level is an error (SOURCE_ERROR naming both);
//   - data files beside partition folders (in the table folder, or in a folder above the
//     deepest level) belong to no partition and are not read; they are counted in
//     `ignored_files` for EXPLAIN;
//   - subfolders of a deepest partition folder are not read.
//
// Not thread-safe to build; immutable and shareable once built. Storage errors propagate.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/files/compressed_input.h"
#include "connectors/files/storage.h"

namespace tributary::files {

enum class FileFormat { CSV, TSV, JSON, PARQUET };
// The files of one table share a family: text (CSV/TSV), JSON or Parquet.
enum class FormatFamily { TEXT, JSON, PARQUET };
FormatFamily family_of(FileFormat format);

struct DataFile {
  std::string path;
  FileFormat format = FileFormat::CSV;
  Compression compression = Compression::NONE;
  uint64_t size = 0;
  std::string version;  // mtime (local) or ETag (S3): part of schema and footer cache keys
};

// Recognizes a data file by its extensions (.csv, .tsv, .jsonl/.ndjson/.json, .parquet;
// text formats optionally followed by .gz/.gzip or .zst/.zstd). `stem` is the lower-cased
// name without those extensions.
bool classify_file(const std::string& filename, FileFormat* format, Compression* compression, std::string* stem);
// A DataFile for the listed file `entry` of `folder`, if its extension is a data format of
// `family` (any family when unset).
std::optional<DataFile> data_file(const std::string& folder, const StorageEntry& entry,
                                  std::optional<FormatFamily> family);

struct Partition {
  std::string folder;               // full path of the deepest partition folder
  std::vector<std::string> values;  // unescaped folder values, one per key
};

struct FileSet {
  std::string path;  // the file, folder or glob the table reads (EXPLAIN, messages)
  std::shared_ptr<Storage> storage;
  // Files of other families are skipped; set by the first data file found unless given.
  std::optional<FormatFamily> family;
  // Unpartitioned: every file. Partitioned: the files of partitions[first_with_files] (the
  // columns come from the first of them), empty when no partition holds a data file.
  std::vector<DataFile> files;
  std::vector<std::string> partition_keys;  // lower case, in folder order; empty: not partitioned
  std::vector<Partition> partitions;        // in name order
  size_t first_with_files = 0;
  size_t ignored_files = 0;  // data files outside the partition folders (not read)

  bool partitioned() const { return !partition_keys.empty(); }
};

// True when a folder with these entries is a table: it holds a data file or a partition folder.
bool holds_table(const std::vector<StorageEntry>& entries);

// The file set of the folder `folder` whose listing is `entries`: its data files, or its
// partitions when it holds `key=value` folders. `family` restricts the files (else the first
// data file decides). Throws Error(SOURCE_ERROR) for partition folders of mixed keys.
FileSet discover_folder(std::shared_ptr<Storage> storage, const std::string& folder,
                        const std::vector<StorageEntry>& entries, std::optional<FormatFamily> family);

// The data files of one partition of `set` (of the set's family), in name order.
std::vector<DataFile> partition_files(const FileSet& set, const Partition& partition);

}  // namespace tributary::files
