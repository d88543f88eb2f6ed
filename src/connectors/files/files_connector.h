// The files connector: a directory tree of CSV / TSV / JSON-lines / DynamoDB-JSON
// files (optionally .gz or .zst compressed) exposed as schemas and tables.
//
//   <location>/<schema>/<table>.csv        a table from one file
//   <location>/<schema>/<table>/*.csv      a table from a folder of files (same format)
//   <location>/<schema>/<table>.schema     optional explicit columns, lines "name type"
//
// A table folder may hold Hive-style partition folders instead of files:
//   <location>/<schema>/<table>/year=2024/month=03/part-0.parquet
// each key becomes a column after the files' columns (typed BIGINT, DATE or VARCHAR from its
// values; __HIVE_DEFAULT_PARTITION__ is NULL), and filters on those columns skip whole
// folders before their files are listed (see partitions.h and file_set.h).
//
// Table names are file names without their extensions, in lower case. Formats by
// extension: .csv, .tsv, .jsonl/.ndjson/.json (a .json file whose first line is a
// DynamoDB export item {"Item": {...}} reads as DynamoDB JSON), each optionally
// followed by .gz or .zst.
//
// Catalog properties:
//   connector.name=files
//   location=/abs/dir                      (required, must be a directory)
//   csv.delimiter=,                        (single character or "tab"; .tsv always uses tab)
//   csv.quote="                            (single character, or "none"; .tsv default: none)
//   csv.header=true                        (first line holds column names)
//   csv.null-string=                       (an unquoted field equal to this is NULL; default: empty)
//   csv.sample-rows=1000                   (rows sampled for type inference; also JSON lines)
//   csv.split=true                         (cut large uncompressed CSV files into byte ranges; this
//                                           assumes no newline inside a quoted field - set false if so)
//   files.split-size=33554432              (largest byte range of one split; smallest is 1 MB)
//   table.<schema>.<table>.columns=name type, name type   (explicit columns, used as-is)
//
// Values that do not parse as their column type read as NULL and are counted in
// rejected_values(). Pushdown: filters on partition columns alone are enforced (by pruning
// partitions); other filters only prune Parquet row groups and are left to the engine. The
// LIMIT of a scan whose rows all pass is honoured per split (so not reported as enforced).
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "connector/connector.h"

namespace tributary {

// Creates a files connector; throws Error(INVALID_ARGUMENT) naming the catalog for a
// missing or invalid property.
std::shared_ptr<Connector> make_files_connector(const std::string& catalog_name, const ConnectorProperties& properties);

// A connector for one-off reads of a path (the table functions read_parquet / read_csv /
// read_json): get_table(format, path) where format is "parquet", "csv", "json" or "auto" (by
// extension) and path is a file, a folder (all files of that format inside, Hive partitions
// as above) or a glob with '*' in the last component, local or s3://. `properties` holds the
// s3.*, csv.* and files.split-size keys of the files connector plus
//   local.allowed-roots = /abs/dir[:/abs/dir2]   local paths must be under one of these (after
//                                                resolving '..' and symlinks, realpath); "" =
//                                                local paths refused; absent = any local path
// list_schemas()/list_tables() are empty (the catalog is hidden). get_table() throws
// Error(NOT_FOUND, "Path 'P': no such file or folder"), Error(ACCESS_DENIED, "local path 'P'
// is outside the local folders this server may use (...)", from files::check_local_location),
// Error(INVALID_ARGUMENT) for an unknown format, a relative path when roots are set, or a path
// it cannot read (a glob outside the last component, an extension "auto" does not know); the
// constructor throws Error(INVALID_ARGUMENT) naming the catalog for a bad property. Every file
// a scan lists is checked against the roots too (a symlink out of a root is refused).
// Thread-safe, like every Connector.
std::shared_ptr<Connector> make_path_connector(const std::string& catalog_name, const ConnectorProperties& properties);

// Values read as NULL because they did not parse as their column's type, over the
// connector's lifetime (0 for other connector types).
uint64_t files_rejected_values(const Connector& connector);

// Registers `connector.name=files` with the connector factory registry.
void register_files_connector();

}  // namespace tributary
