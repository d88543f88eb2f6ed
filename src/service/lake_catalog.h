// The AwsDataCatalog connector: the metastore's databases and external tables (files under an
// s3:// or local location, in PARQUET, TEXTFILE (CSV/TSV) or JSON, with Hive-style partitions
// `key=value/`), plus the `default` database and the schemas views live in (the engine lists
// views itself). DDL (CREATE DATABASE / EXTERNAL TABLE, DROP, MSCK REPAIR TABLE, partitions)
// writes the metastore; files are never touched.
//
// Scans: the registered partitions whose values can satisfy the filter (partition pruning),
// then the files directly in each partition folder (hidden `.`/`_` files skipped), one split
// per text/JSON file and per Parquet row group (pruned by min/max statistics). Partition
// columns are filled from the partition values. S3 access uses the process's AWS settings
// (AWS_ENDPOINT_URL_S3, credentials chain).
#pragma once
#include <memory>
#include <string>

#include "connector/connector.h"
#include "connectors/files/storage.h"
#include "service/metastore.h"

namespace tributary::service {

// `catalog` is the metastore key of the catalog (lower case, e.g. "awsdatacatalog"). Table and
// partition locations that are local paths must satisfy `policy` (checked at DDL and on every
// read and write).
std::shared_ptr<Connector> make_lake_catalog(Metastore& metastore, const std::string& catalog,
                                             const files::LocalPathPolicy& policy = {});

// Athena/Hive column type -> engine type: string -> varchar, int -> integer, float -> real,
// binary -> varbinary, the rest as in SQL. Throws NOT_SUPPORTED for array/map/struct.
Type hive_type(const std::string& text);

}  // namespace tributary::service
