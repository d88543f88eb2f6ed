// Query results as Athena keeps them: `<OutputLocation><QueryExecutionId>.csv` (every value
// quoted, NULL an empty unquoted field, a header row) for queries, `<id>.txt` (tab-separated,
// no header) for DDL and utility statements, and beside each a `.metadata` object describing
// the columns (ours is JSON; Athena's is a private binary format). Locations are
// `s3://bucket/prefix/` (through aws::S3Client; endpoint from the server options or
// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL) or a local directory (`file:///dir/` or `/dir/`).
// Objects are written whole and appear only when complete (local files: written under a
// temporary name, then renamed).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "engine/engine.h"

namespace tributary::aws {
class S3Client;
}

namespace tributary::service {

// Athena's ColumnInfo.
struct ResultColumn {
  std::string name;
  std::string type;  // Athena's type name: varchar, integer, decimal, timestamp, ...
  int precision = 0;
  int scale = 0;
  bool case_sensitive = false;
};

struct StoredResult {
  std::vector<ResultColumn> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // without the header; nullopt = NULL
  bool tabular = true;  // .csv with a header row (SELECT); false: .txt, no header (DDL, UTILITY)
  int64_t update_count = 0;  // rows written by CREATE TABLE AS / INSERT INTO (GetQueryResults' UpdateCount)
  size_t memory_bytes() const;
};

// Athena's type name, precision and scale for an engine type.
ResultColumn result_column(const std::string& name, const Type& type);
StoredResult to_stored_result(const engine::StatementResult& result, bool tabular);

std::string render_csv(const StoredResult& result);
std::string render_txt(const StoredResult& result);
std::string render_metadata(const StoredResult& result);
// Inverse of render_csv/render_txt + render_metadata. Throws INTERNAL_ERROR on malformed input.
StoredResult parse_stored_result(const std::string& body, const std::string& metadata, bool tabular);

struct ResultStoreOptions {
  std::string s3_endpoint;  // empty: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, then AWS
  std::string region;       // empty: the usual resolution
  aws::Credentials credentials;  // empty access key: the usual resolution (env, profile)
};

class ResultStore {
 public:
  explicit ResultStore(ResultStoreOptions options);
  ~ResultStore();
  // `location` is a folder (`s3://b/p/`, `file:///d/`, `/d/`); a missing trailing '/' is
  // added. Throws INVALID_ARGUMENT for another scheme.
  static std::string normalize_folder(const std::string& location);
  // Writes `body` at the object URI (s3://b/k or file:///path or /path) atomically.
  void write(const std::string& uri, const std::string& body);
  std::string read(const std::string& uri);
  bool exists(const std::string& uri);

 private:
  aws::S3Client& s3();
  ResultStoreOptions options_;
  std::mutex mutex_;
  std::unique_ptr<aws::S3Client> s3_;
};

}  // namespace tributary::service
