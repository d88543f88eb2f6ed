// The AWS client layer of tributary (no AWS SDK for C++ exists on Debian): credential
// and region resolution, SigV4 request signing, a pooled HTTP client (libcurl), and a
// JSON-protocol service client with retries, backoff and a rate limit. Used by the
// DynamoDB, Kinesis and S3 connectors and by the result writer.
//
// Thread-safety: HttpClient, RateLimiter and JsonServiceClient are safe to share between
// threads; the free functions are pure.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tributary::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when not temporary credentials
};

// Resolution order: the explicit values (catalog properties) when access_key_id is set;
// else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; else the profile
// (explicit, AWS_PROFILE, or "default") in AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials.
// Throws Error(INVALID_ARGUMENT) when nothing is found, naming where it looked.
Credentials resolve_credentials(const std::string& access_key_id, const std::string& secret_access_key,
                                const std::string& session_token, const std::string& profile);

// Explicit value; else AWS_REGION; else AWS_DEFAULT_REGION; else the profile's region in
// ~/.aws/config; else "us-east-1".
std::string resolve_region(const std::string& explicit_region, const std::string& profile);

// Endpoint for a service: explicit value; else AWS_ENDPOINT_URL_<SERVICE> (e.g.
// AWS_ENDPOINT_URL_DYNAMODB); else AWS_ENDPOINT_URL; else https://<service>.<region>.amazonaws.com.
std::string resolve_endpoint(const std::string& explicit_endpoint, const std::string& service_env_suffix,
                             const std::string& service_host_prefix, const std::string& region);

struct HttpRequest {
  std::string method = "POST";
  std::string url;  // absolute: scheme://host[:port]/path[?query]
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& lower_name) const;
};

// Adds X-Amz-Date, X-Amz-Security-Token (if any), X-Amz-Content-Sha256 (when
// `content_sha256_header`, as S3 requires) and Authorization (AWS4-HMAC-SHA256) to
// `request`. `amz_date` is "YYYYMMDDTHHMMSSZ" (empty = now). Query parameters and the
// path are canonicalized as SigV4 requires (S3: `s3_path` keeps the path unnormalized).
void sign_v4(HttpRequest& request, const Credentials& credentials, const std::string& region,
             const std::string& service, const std::string& amz_date = "", bool content_sha256_header = false,
             bool s3_path = false);

// Lower-case hex SHA-256 of `data` (payload hash).
std::string sha256_hex(const std::string& data);
// The canonical request and string to sign of the last sign_v4 call's algorithm, for tests.
std::string canonical_request(const HttpRequest& request, const std::string& payload_hash, bool s3_path);

// Blocking HTTP/1.1 client with keep-alive connection reuse (a pool of curl handles).
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  // Throws Error(SOURCE_ERROR) on transport failures (connection refused, timeout),
  // with the host:port in the message. HTTP error statuses are returned, not thrown.
  HttpResponse send(const HttpRequest& request, int timeout_ms);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
};

// Token bucket; requests_per_second <= 0 means unlimited.
class RateLimiter {
 public:
  explicit RateLimiter(double requests_per_second);
  void acquire();

 private:
  double rate_;
  std::mutex mutex_;
  double tokens_;
  int64_t last_micros_;
};

struct RetryPolicy {
  int max_attempts = 8;       // including the first
  int base_delay_ms = 25;     // full-jitter exponential backoff: rand(0, min(max, base * 2^attempt))
  int max_delay_ms = 2000;
  int timeout_ms = 30000;     // per HTTP request
};

struct ServiceStats {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> retries{0};
  std::atomic<uint64_t> throttled{0};
  std::atomic<uint64_t> bytes_received{0};
};

// AWS JSON protocol (DynamoDB: JSON 1.0 "DynamoDB_20120810"; Kinesis/Athena: 1.1):
// POST / with X-Amz-Target: <target_prefix>.<Action>.
class JsonServiceClient {
 public:
  struct Options {
    std::string endpoint;        // e.g. http://127.0.0.1:8000
    std::string region;
    std::string signing_service; // "dynamodb", "kinesis", "athena"
    std::string target_prefix;   // "DynamoDB_20120810", "Kinesis_20131202"
    std::string json_version = "1.0";
    Credentials credentials;
    RetryPolicy retry;
    double requests_per_second = 0;
    std::string error_context;   // e.g. "dynamodb catalog 'ddb'": prefixes every error message
  };
  explicit JsonServiceClient(Options options);

  // Calls `action` with a JSON body; returns the response body of a 2xx answer.
  // Retries throttling (ProvisionedThroughputExceededException, ThrottlingException,
  // RequestLimitExceeded, TooManyRequestsException), 5xx and transport errors with
  // backoff. Other errors throw Error(SOURCE_ERROR) "<context>: <ErrorCode>: <message>"
  // (NOT_FOUND for ResourceNotFoundException).
  std::string call(const std::string& action, const std::string& body);

  const ServiceStats& stats() const { return stats_; }
  const Options& options() const { return options_; }

 private:
  Options options_;
  HttpClient http_;
  RateLimiter limiter_;
  ServiceStats stats_;
};

}  // namespace tributary::aws
