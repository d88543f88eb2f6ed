// `tributary serve`: one process holding the metastore, the engine, the query manager and an
// HTTP/1.1 server (cpp-httplib, keep-alive, a thread pool) that answers the Athena JSON API
// on POST / and a health check on GET /ping. Requests are authenticated with SigV4 against
// the metastore's users unless the server runs with `--auth none`.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace tributary::service {

struct ServerOptions {
  std::string data_dir;       // metastore.db, results/ (the default output location), logs
  std::string config_dir;     // optional: catalog/*.properties, function/*.properties
  std::string host = "127.0.0.1";
  int http_port = 8080;       // 0 = pick a free port (printed and written to data_dir/server.port)
  bool auth = true;           // false: --auth none
  int max_concurrent_queries = 8;
  int threads = 0;            // engine worker threads per query (0 = all cores)
  std::string results_location;  // default output folder (default: file://<data_dir>/results/)
  std::string s3_endpoint;       // for s3:// result locations (default: AWS_ENDPOINT_URL_S3 ...)
  // Local folders API users may name (table LOCATION, CTAS external_location, OutputLocation,
  // FEDERATED files catalogs), besides the default results folder; nothing else local.
  std::vector<std::string> local_roots;
};

// Runs until SIGTERM or SIGINT; returns the process exit code.
int run_server(const ServerOptions& options);

}  // namespace tributary::service
