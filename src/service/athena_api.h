// The Amazon Athena API (AWS JSON 1.1, `X-Amz-Target: AmazonAthena.<Action>`) over the
// metastore, the service catalogs and the query manager. Request and response shapes,
// enums, limits and error shapes follow botocore's service model
// (data/athena/2017-05-18/service-2.json). Transport-free: the HTTP server hands each
// request's target and body here. Thread-safe.
#pragma once
#include <string>

#include "engine/engine.h"
#include "service/catalogs.h"
#include "service/metastore.h"
#include "service/query_manager.h"

namespace tributary::service {

struct ApiResponse {
  int status = 200;
  std::string body;           // JSON
  std::string error_type;     // the __type of an error answer ("" on success)
};

// An error answer: HTTP status, the AWS error code (`__type`) and message; Athena's
// InvalidRequestException also carries AthenaErrorCode.
ApiResponse api_error(int status, const std::string& type, const std::string& message,
                      const std::string& athena_error_code = "");

class AthenaApi {
 public:
  AthenaApi(Metastore& metastore, engine::Engine& engine, ServiceCatalogs& catalogs, QueryManager& queries);
  // `target` is the X-Amz-Target header value. Never throws.
  ApiResponse handle(const std::string& target, const std::string& body);

 private:
  Metastore& metastore_;
  engine::Engine& engine_;
  ServiceCatalogs& catalogs_;
  QueryManager& queries_;
};

}  // namespace tributary::service
