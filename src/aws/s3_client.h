// S3Client: the S3 REST API (objects and buckets) over HttpClient and SigV4, for writing
// query results and reading data-lake files. Objects are whole strings in memory: one
// PUT (no multipart upload, so at most 5 GB) and one GET (or a byte range) each.
//
// Errors: every failure throws tributary::Error with the message
// "<error_context>: <S3 code>: <S3 message> (s3://bucket/key)". NoSuchKey, NoSuchBucket
// and any other 404 are NOT_FOUND; everything else (AccessDenied, InvalidAccessKeyId,
// SignatureDoesNotMatch, transport failures naming host:port) is SOURCE_ERROR.
// Credentials never appear in a message.
//
// Thread-safety: an S3Client is safe to share between threads (the options are fixed at
// construction, the HTTP pool and the stats are thread-safe).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.h"
#include "common/error.h"

namespace tributary::aws {

struct S3Location {
  std::string bucket;
  std::string key;  // may be empty ("s3://bucket", "s3://bucket/") or end with '/' (a prefix)
};

// Splits "s3://bucket/key...". Throws Error(INVALID_ARGUMENT), quoting `uri`, when the
// scheme is not s3:// or the bucket is empty or holds characters a bucket name cannot.
S3Location parse_s3_uri(const std::string& uri);

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;           // without the surrounding quotes
  std::string last_modified;  // ISO 8601 as S3 lists it, e.g. "2024-05-01T12:00:00.000Z"
  std::string content_type;   // head_object only
};

struct ListPage {
  std::vector<ObjectInfo> objects;           // in key order (content_type empty)
  std::vector<std::string> common_prefixes;  // with a delimiter: "dir/" rolled-up prefixes
  std::string next_continuation_token;       // empty on the last page
  bool truncated = false;
};

class S3Client {
 public:
  struct Options {
    std::string endpoint;     // empty = resolve_endpoint("", "S3", "s3", region)
    std::string region;       // empty = resolve_region("", "")
    Credentials credentials;  // empty access_key_id = anonymous (unsigned) requests
    RetryPolicy retry;
    std::string error_context;  // e.g. "result writer": prefixes every error message
    bool path_style = true;     // endpoint/bucket/key; false = bucket.endpoint-host/key
  };
  explicit S3Client(Options options);

  // Every method below retries 5xx answers, SlowDown/RequestTimeout and transport
  // failures with full-jitter backoff (aws/retry.h) up to options.retry.max_attempts,
  // and throws Error as described at the top of this file. An empty bucket (or, for the
  // object methods, key) throws Error(INVALID_ARGUMENT) before any request.

  // Stores `body` under the key (replacing any object there); Content-Type when given.
  void put_object(const std::string& bucket, const std::string& key, const std::string& body,
                  const std::string& content_type = "");
  // The whole object. NOT_FOUND for a missing key or bucket.
  std::string get_object(const std::string& bucket, const std::string& key);
  // Bytes [offset, offset + length) of the object, fewer when it ends sooner; "" for
  // length 0 (no request). An offset at or past the end is S3's InvalidRange (SOURCE_ERROR).
  std::string get_object_range(const std::string& bucket, const std::string& key, uint64_t offset, uint64_t length);
  // Size, ETag, Last-Modified and Content-Type; nullopt when the key (or bucket) is missing.
  std::optional<ObjectInfo> head_object(const std::string& bucket, const std::string& key);
  // Deleting a missing key succeeds (S3 semantics).
  void delete_object(const std::string& bucket, const std::string& key);
  // One ListObjectsV2 page: keys starting with `prefix`, rolled up at `delimiter` (none
  // when empty), after `continuation_token` (none when empty); max_keys <= 0 = S3's 1000.
  ListPage list_objects_v2(const std::string& bucket, const std::string& prefix, const std::string& delimiter = "",
                           const std::string& continuation_token = "", int max_keys = 0);
  // Every object under `prefix`, following continuation tokens.
  std::vector<ObjectInfo> list_all(const std::string& bucket, const std::string& prefix = "");
  // Creates the bucket (with a LocationConstraint outside us-east-1). A bucket this
  // account already owns is not an error.
  void create_bucket(const std::string& bucket);
  // true on 200, false on 404; other answers (403 ...) throw.
  bool bucket_exists(const std::string& bucket);

  const ServiceStats& stats() const { return stats_; }
  const Options& options() const { return options_; }

 private:
  struct Call;     // one request: method, bucket, key, query, headers, body
  struct Outcome;  // the final answer and how many attempts it took
  // Sends `call`, retrying as above; returns the first 2xx or non-retryable answer, or the
  // last one. Throws only transport failures.
  Outcome execute(const Call& call);
  [[noreturn]] void raise(const Outcome& outcome, const Call& call) const;

  Options options_;
  HttpClient http_;
  ServiceStats stats_;
};

// Pure pieces of the client, exposed for unit tests.
namespace detail {

// The text between the first <name ...> and its </name> in `xml` (no entity decoding),
// or nullopt; `<name/>` yields "". Elements are assumed not to nest in themselves.
std::optional<std::string_view> xml_element(std::string_view xml, std::string_view name);
// Every <name> element's inner text, in document order.
std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view name);
// Decodes &amp; &lt; &gt; &quot; &apos; and numeric references (&#233; &#xE9;, as UTF-8);
// anything else is kept as written.
std::string xml_decode(std::string_view text);

struct S3ErrorBody {
  std::string code;     // e.g. "NoSuchKey"; "HTTP <status>" when the body has none
  std::string message;  // S3's Message, or the start of a non-XML body, or "HTTP status N"
};
S3ErrorBody parse_error_body(int status, const std::string& body);
// NOT_FOUND for NoSuchKey, NoSuchBucket and status 404; SOURCE_ERROR otherwise.
ErrorCode error_code_for(int status, const std::string& s3_code);
// Whether an answer with this status and S3 code is worth retrying.
bool retryable(int status, const std::string& s3_code);

// Throws Error(SOURCE_ERROR) for a malformed page (a Size that is not a number).
ListPage parse_list_objects_v2(const std::string& xml);

// S3's URI encoding of an object key in a path: unreserved characters and '/' stay,
// every other byte becomes %XX; "." and ".." segments become %2E / %2E%2E so that no
// HTTP layer resolves them.
std::string encode_key(std::string_view key);
// Encoding of a query parameter name or value ('/' encoded too).
std::string encode_query_value(std::string_view value);
// "https://host[:port][/base]/bucket/key[?query]" (path style) or
// "https://bucket.host[:port][/base]/key[?query]"; `query` is already encoded.
std::string object_url(const std::string& endpoint, const std::string& bucket, const std::string& key,
                       const std::string& query, bool path_style);
// An HTTP-date ("Wed, 01 May 2024 12:00:00 GMT") as "2024-05-01T12:00:00.000Z";
// unparseable text is returned unchanged.
std::string http_date_to_iso8601(const std::string& http_date);

}  // namespace detail
}  // namespace tributary::aws
