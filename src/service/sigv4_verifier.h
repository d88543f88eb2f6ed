// Server-side verification of AWS Signature Version 4 (Authorization header form), as
// the Athena endpoint needs it: the `aws` CLI, boto3 and the AWS SDKs sign every request
// with an access key whose secret the metastore holds. Failures carry the error code and
// message AWS's own JSON services answer with, so clients print what they would print
// against AWS.
//
// What is checked, in AWS's order: an "AWS4-" Authorization header (else
// MissingAuthenticationToken); Credential, SignedHeaders, Signature and an X-Amz-Date or
// Date header present; the date in ISO-8601 basic form (Date: RFC 1123) and within 15
// minutes of now; host signed; algorithm AWS4-HMAC-SHA256; a five-part credential scope
// whose date matches the request date, service is `expected_service` and terminator is
// aws4_request (any region); a known access key; X-Amz-Content-SHA256, when sent, equal
// to the body's hash; and the signature, recomputed over the signed headers only and
// compared in constant time. Not covered: presigned URLs (X-Amz-Algorithm in the query)
// and session tokens (X-Amz-Security-Token is signed like any header but not validated:
// the metastore holds long-term keys only).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tributary::service {

struct IncomingRequest {
  std::string method;
  std::string path;   // raw request-target path as received (still percent-encoded)
  std::string query;  // raw query string without '?', "" when none
  std::vector<std::pair<std::string, std::string>> headers;  // as received, any case, repeats kept
  std::string body;
};

enum class AuthFailure {
  None,
  MissingAuthentication,  // no (AWS4-) Authorization header
  IncompleteSignature,    // malformed Authorization header or date
  UnrecognizedClient,     // unknown access key id
  InvalidSignature,       // wrong signature, scope, unsigned host, body hash mismatch
  SignatureExpired,       // date more than 15 minutes from now (AWS reports it as InvalidSignature)
};

struct AuthResult {
  AuthFailure failure = AuthFailure::None;
  std::string access_key_id;  // from the credential scope, once parsed (also on failure)
  std::string message;        // AWS's message for the failure; never contains a secret

  bool ok() const { return failure == AuthFailure::None; }
  // The JSON "__type": "MissingAuthenticationTokenException", "IncompleteSignatureException",
  // "UnrecognizedClientException" or "InvalidSignatureException" ("" when ok).
  std::string error_code() const;
  // 400 for every failure (as AWS's JSON services answer), 200 when ok.
  int http_status() const;
};

// Returns the secret access key of an access key id, or nullopt when the key is unknown.
using SecretLookup = std::function<std::optional<std::string>(const std::string& access_key_id)>;

inline constexpr int64_t kMaxClockSkewSeconds = 15 * 60;

// Verifies `request` at time `now_epoch_seconds` (UTC). Pure apart from calling
// `lookup_secret` (at most once, only after the header, date and scope checked out);
// thread-safe if the lookup is. Exceptions thrown by the lookup propagate; nothing else
// throws except Error(INTERNAL_ERROR) if OpenSSL fails.
AuthResult verify_sigv4(const IncomingRequest& request, const SecretLookup& lookup_secret, int64_t now_epoch_seconds,
                        const std::string& expected_service = "athena");

}  // namespace tributary::service
