// Parquet in the files connector: footers opened through the catalog's Storage (local or
// S3 ranged reads), row groups as splits pruned by min/max statistics against the scan's
// tuple domain, and a page source decoding only the projected columns.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "connector/domain_filter.h"
#include "connectors/files/storage.h"
#include "formats/parquet/parquet_reader.h"

namespace tributary::files {

// Opens the footer of `path` (of `size` bytes) in `storage`.
std::shared_ptr<parquet::ParquetFile> open_parquet(std::shared_ptr<Storage> storage, const std::string& path,
                                                   uint64_t size);

// For each table column, the index of the file column of the same (case-insensitive) name, or -1.
std::vector<int> map_parquet_columns(const parquet::ParquetFile& file, const std::vector<ColumnMetadata>& columns);

// As map_parquet_columns, but -1 also where the file's type differs from the table's: such
// statistics cannot be compared with the filter (reading the column then fails instead).
std::vector<int> pruning_columns(const parquet::ParquetFile& file, const std::vector<ColumnMetadata>& columns);

// False when the row group's statistics prove that no row satisfies `constraint`
// (`file_columns` maps table column indexes to file column indexes).
bool row_group_may_match(const parquet::ParquetFile& file, int row_group, const std::vector<int>& file_columns,
                         const TupleDomain& constraint);

// Reads the requested table columns (`file_columns[c]`, -1 = absent: NULLs) of one row group.
// With `filters` (parallel to the columns, from compile_domain_filters), rows are materialized
// late: each batch's filtered columns are read first, the other columns of a batch without a
// matching row are skipped (whole pages undecoded), and sparse matches are compacted. Rows
// outside the filters may still come back (the engine rechecks).
std::unique_ptr<PageSource> make_parquet_page_source(std::shared_ptr<parquet::ParquetFile> file, int row_group,
                                                     std::vector<int> file_columns, std::vector<Type> types,
                                                     std::vector<std::optional<DomainFilter>> filters = {});

}  // namespace tributary::files
