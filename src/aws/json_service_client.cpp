// JsonServiceClient: the AWS JSON protocol (DynamoDB, Kinesis, Athena) with signing,
// a request-rate limit and retries. Retry policy: throttling error codes, 5xx answers
// and transport failures are retried with full-jitter exponential backoff (AWS's
// recommended scheme, aws/retry.h); everything else is the caller's problem and is
// thrown at once.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "aws/aws_client.h"
#include "aws/retry.h"
#include "common/error.h"

namespace tributary::aws {
namespace {

bool throttling_code(const std::string& code) {
  return code == "ProvisionedThroughputExceededException" || code == "ThrottlingException" ||
         code == "RequestLimitExceeded" || code == "TooManyRequestsException" || code == "Throttling" ||
         code == "ThrottledException" || code == "SlowDown" || code == "LimitExceededException";
}

struct ServiceError {
  std::string code;
  std::string message;
};

// `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"..."}`;
// the code may also come in the x-amzn-ErrorType header ("Code:http://...").
ServiceError parse_error(const HttpResponse& response) {
  ServiceError error;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    auto type = body.find("__type");
    if (type != body.end() && type->is_string()) error.code = type->get<std::string>();
    if (error.code.empty()) {
      auto code = body.find("code");
      if (code != body.end() && code->is_string()) error.code = code->get<std::string>();
    }
    for (const char* key : {"message", "Message"}) {
      auto message = body.find(key);
      if (message != body.end() && message->is_string()) {
        error.message = message->get<std::string>();
        break;
      }
    }
  }
  if (error.code.empty()) error.code = response.header("x-amzn-errortype");
  size_t hash = error.code.rfind('#');
  if (hash != std::string::npos) error.code = error.code.substr(hash + 1);
  size_t colon = error.code.find(':');
  if (colon != std::string::npos) error.code = error.code.substr(0, colon);
  if (error.code.empty()) error.code = "HTTP " + std::to_string(response.status);
  if (error.message.empty()) {
    error.message = body.is_object() || response.body.empty() ? "HTTP status " + std::to_string(response.status)
                                                              : response.body.substr(0, 200);
  }
  return error;
}

}  // namespace

JsonServiceClient::JsonServiceClient(Options options)
    : options_(std::move(options)), limiter_(options_.requests_per_second) {}

std::string JsonServiceClient::call(const std::string& action, const std::string& body) {
  std::string prefix = options_.error_context.empty() ? "" : options_.error_context + ": ";
  std::string url = options_.endpoint;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos || url.find('/', scheme_end + 3) == std::string::npos) url += "/";
  int max_attempts = std::max(1, options_.retry.max_attempts);

  for (int attempt = 0;; ++attempt) {
    bool last_attempt = attempt + 1 >= max_attempts;
    std::string after = attempt > 0 ? " (after " + std::to_string(attempt + 1) + " attempts)" : "";
    limiter_.acquire();
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Content-Type", "application/x-amz-json-" + options_.json_version},
                       {"X-Amz-Target", options_.target_prefix + "." + action}};
    request.body = body;
    sign_v4(request, options_.credentials, options_.region, options_.signing_service);
    ++stats_.requests;

    HttpResponse response;
    try {
      response = http_.send(request, options_.retry.timeout_ms);
    } catch (const Error& error) {
      if (last_attempt) throw_error(error.code(), prefix + action + ": " + error.message() + after);
      ++stats_.retries;
      sleep_backoff(options_.retry, attempt);
      continue;
    }
    stats_.bytes_received += response.body.size();
    if (response.status >= 200 && response.status < 300) return std::move(response.body);

    ServiceError error = parse_error(response);
    bool throttled = throttling_code(error.code) || response.status == 429;
    if (throttled) ++stats_.throttled;
    if ((throttled || response.status >= 500) && !last_attempt) {
      ++stats_.retries;
      sleep_backoff(options_.retry, attempt);
      continue;
    }
    ErrorCode code = error.code == "ResourceNotFoundException" ? ErrorCode::NOT_FOUND : ErrorCode::SOURCE_ERROR;
    throw_error(code, prefix + error.code + ": " + error.message + after);
  }
}

}  // namespace tributary::aws
