// The files connector: a directory tree of CSV / TSV / JSON-lines / DynamoDB-JSON
// files (optionally .gz or .zst compressed) exposed as schemas and tables.
//
//   <location>/<schema>/<table>.csv        a table from one file
//   <location>/<schema>/<table>/*.csv      a table from a folder of files (same format)
//   <location>/<schema>/<table>.schema     optional explicit columns, lines "name type"
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
// rejected_values(). Pushdown: only the LIMIT of a scan without a constraint is
// honoured (per split, so not reported as enforced); filtering is left to the engine.
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "connector/connector.h"

namespace tributary {

// Creates a files connector; throws Error(INVALID_ARGUMENT) naming the catalog for a
// missing or invalid property.
std::shared_ptr<Connector> make_files_connector(const std::string& catalog_name, const ConnectorProperties& properties);

// Values read as NULL because they did not parse as their column's type, over the
// connector's lifetime (0 for other connector types).
uint64_t files_rejected_values(const Connector& connector);

// Registers `connector.name=files` with the connector factory registry.
void register_files_connector();

}  // namespace tributary
