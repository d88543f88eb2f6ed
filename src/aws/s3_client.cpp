// S3Client: the S3 REST API over HttpClient and sign_v4. S3's answers are small, flat XML
// documents (ListBucketResult, Error), so a few lines of tag extraction replace an XML
// library; keys come back entity-encoded and are decoded here.
//
// URLs carry the key exactly once percent-encoded, '/' kept, which is also what SigV4
// signs for S3 (sign_v4 with s3_path: no dot-segment normalization, no double encoding).
#include "aws/s3_client.h"

#include "aws/sigv4_internal.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <iterator>
#include <limits>
#include <utility>

#include "aws/retry.h"

namespace tributary::aws {

// ---------------------------------------------------------------------------------------
// Pure pieces.
// ---------------------------------------------------------------------------------------
namespace detail {
namespace {

std::string percent_encode(std::string_view text, bool keep_slash) {
  return sigv4_internal::uri_encode(std::string(text), keep_slash);
}

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// The position just after the name in "<name" at `open`, when the tag really is `name`
// (not a longer name sharing its start, such as <KeyCount> for <Key>).
bool tag_named_at(std::string_view xml, size_t open, std::string_view name) {
  size_t after = open + 1 + name.size();
  if (xml.compare(open + 1, name.size(), name) != 0 || after >= xml.size()) return false;
  char next = xml[after];
  return next == '>' || next == '/' || std::isspace(static_cast<unsigned char>(next));
}

// Finds the element starting at or after `from`: sets [inner_begin, inner_end) and
// returns the position after the element, or npos.
size_t next_element(std::string_view xml, std::string_view name, size_t from, size_t& inner_begin, size_t& inner_end) {
  for (size_t open = xml.find('<', from); open != std::string_view::npos; open = xml.find('<', open + 1)) {
    if (!tag_named_at(xml, open, name)) continue;
    size_t close = xml.find('>', open);
    if (close == std::string_view::npos) return std::string_view::npos;
    if (xml[close - 1] == '/') {  // <name/>
      inner_begin = inner_end = close + 1;
      return close + 1;
    }
    std::string closing = "</" + std::string(name) + ">";
    size_t end = xml.find(closing, close + 1);
    if (end == std::string_view::npos) return std::string_view::npos;
    inner_begin = close + 1;
    inner_end = end;
    return end + closing.size();
  }
  return std::string_view::npos;
}

std::string strip_quotes(std::string text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
  return text;
}

uint64_t parse_size(std::string_view text, const char* what) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw_error(ErrorCode::SOURCE_ERROR, std::string("malformed S3 answer: ") + what + " is '" +
                                             std::string(text.substr(0, 40)) + "', not a byte count");
  }
  return value;
}

}  // namespace

std::optional<std::string_view> xml_element(std::string_view xml, std::string_view name) {
  size_t begin = 0;
  size_t end = 0;
  if (next_element(xml, name, 0, begin, end) == std::string_view::npos) return std::nullopt;
  return xml.substr(begin, end - begin);
}

std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  size_t end = 0;
  for (size_t position = next_element(xml, name, 0, begin, end); position != std::string_view::npos;
       position = next_element(xml, name, position, begin, end)) {
    out.push_back(xml.substr(begin, end - begin));
  }
  return out;
}

std::string xml_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    size_t semicolon = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out.push_back(text[i]);
      continue;
    }
    std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    if (entity == "amp") {
      out.push_back('&');
    } else if (entity == "lt") {
      out.push_back('<');
    } else if (entity == "gt") {
      out.push_back('>');
    } else if (entity == "quot") {
      out.push_back('"');
    } else if (entity == "apos") {
      out.push_back('\'');
    } else if (entity.size() >= 2 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::string_view digits = entity.substr(hex ? 2 : 1);
      uint32_t code_point = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code_point, hex ? 16 : 10);
      if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || code_point > 0x10FFFF) {
        out.push_back(text[i]);
        continue;
      }
      append_utf8(out, code_point);
    } else {
      out.push_back(text[i]);
      continue;
    }
    i = semicolon;
  }
  return out;
}

S3ErrorBody parse_error_body(int status, const std::string& body) {
  S3ErrorBody error;
  std::optional<std::string_view> element = xml_element(body, "Error");
  if (element) {
    if (auto code = xml_element(*element, "Code")) error.code = xml_decode(*code);
    if (auto message = xml_element(*element, "Message")) error.message = xml_decode(*message);
  }
  if (error.code.empty()) error.code = "HTTP " + std::to_string(status);
  if (error.message.empty()) {
    bool text = !element && !body.empty();
    error.message = text ? body.substr(0, 200) : "HTTP status " + std::to_string(status);
  }
  return error;
}

ErrorCode error_code_for(int status, const std::string& s3_code) {
  if (s3_code == "NoSuchKey" || s3_code == "NoSuchBucket" || status == 404) return ErrorCode::NOT_FOUND;
  return ErrorCode::SOURCE_ERROR;
}

bool retryable(int status, const std::string& s3_code) {
  return status >= 500 || status == 429 || s3_code == "SlowDown" || s3_code == "RequestTimeout" ||
         s3_code == "InternalError" || s3_code == "ServiceUnavailable";
}

ListPage parse_list_objects_v2(const std::string& xml) {
  ListPage page;
  for (std::string_view contents : xml_elements(xml, "Contents")) {
    ObjectInfo object;
    object.key = xml_decode(xml_element(contents, "Key").value_or(""));
    object.size = parse_size(xml_element(contents, "Size").value_or(""), "Size");
    object.etag = strip_quotes(xml_decode(xml_element(contents, "ETag").value_or("")));
    object.last_modified = xml_decode(xml_element(contents, "LastModified").value_or(""));
    page.objects.push_back(std::move(object));
  }
  for (std::string_view prefixes : xml_elements(xml, "CommonPrefixes")) {
    for (std::string_view prefix : xml_elements(prefixes, "Prefix")) page.common_prefixes.push_back(xml_decode(prefix));
  }
  page.truncated = xml_element(xml, "IsTruncated").value_or("false") == "true";
  page.next_continuation_token = xml_decode(xml_element(xml, "NextContinuationToken").value_or(""));
  return page;
}

std::string encode_key(std::string_view key) {
  // "." and ".." segments are legal in keys, but libcurl (and proxies) would resolve them
  // as dot segments; encoded, they travel as written. The signer decodes and re-encodes
  // the path, so S3 still sees the same canonical URI.
  std::string out;
  size_t begin = 0;
  while (true) {
    size_t slash = key.find('/', begin);
    std::string_view segment =
        key.substr(begin, slash == std::string_view::npos ? std::string_view::npos : slash - begin);
    if (segment == "." || segment == "..") {
      out += segment == "." ? "%2E" : "%2E%2E";
    } else {
      out += percent_encode(segment, false);
    }
    if (slash == std::string_view::npos) return out;
    out += '/';
    begin = slash + 1;
  }
}

std::string encode_query_value(std::string_view value) { return percent_encode(value, false); }

std::string object_url(const std::string& endpoint, const std::string& bucket, const std::string& key,
                       const std::string& query, bool path_style) {
  std::string base = endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string path;
  if (path_style) {
    path = "/" + encode_key(bucket) + (key.empty() ? "" : "/" + encode_key(key));
  } else {
    size_t scheme_end = base.find("://");
    size_t host_begin = scheme_end == std::string::npos ? 0 : scheme_end + 3;
    base.insert(host_begin, bucket + ".");
    path = "/" + encode_key(key);
  }
  return base + path + (query.empty() ? "" : "?" + query);
}

std::string http_date_to_iso8601(const std::string& http_date) {
  std::tm time{};
  const char* end = strptime(http_date.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &time);
  if (end == nullptr || *end != '\0') return http_date;
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S.000Z", &time);
  return buffer;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------
// The client.
// ---------------------------------------------------------------------------------------

struct S3Client::Call {
  std::string method;
  std::string bucket;
  std::string key;
  std::string query;  // encoded, parameters sorted by name
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // What error messages name: "s3://bucket/key" (or the listed prefix).
  std::string location() const { return "s3://" + bucket + (key.empty() ? "" : "/" + key); }
};

struct S3Client::Outcome {
  HttpResponse response;
  int attempts = 1;
};

namespace {

void check_bucket(const std::string& bucket) {
  if (bucket.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "S3 bucket name is empty");
}

void check_object(const std::string& bucket, const std::string& key) {
  check_bucket(bucket);
  if (key.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "S3 object key is empty (s3://" + bucket + "/)");
}

// "<error_context>: ", or nothing without a context.
std::string context_prefix(const S3Client::Options& options) {
  return options.error_context.empty() ? "" : options.error_context + ": ";
}

std::string attempts_suffix(int attempts) {
  return attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : "";
}

}  // namespace

S3Location parse_s3_uri(const std::string& uri) {
  auto invalid = [&](const std::string& why) -> S3Location {
    throw_error(ErrorCode::INVALID_ARGUMENT, "invalid S3 URI '" + uri + "': " + why + " (expected s3://bucket/key)");
  };
  constexpr std::string_view kScheme = "s3://";
  if (uri.size() < kScheme.size() || uri.compare(0, kScheme.size(), kScheme) != 0) return invalid("not an s3:// URI");
  size_t slash = uri.find('/', kScheme.size());
  S3Location location;
  location.bucket = uri.substr(kScheme.size(), slash == std::string::npos ? std::string::npos : slash - kScheme.size());
  if (slash != std::string::npos) location.key = uri.substr(slash + 1);
  if (location.bucket.empty()) return invalid("the bucket is empty");
  // Legacy us-east-1 buckets may hold upper-case letters and '_'; nothing else.
  bool valid = std::all_of(location.bucket.begin(), location.bucket.end(),
                           [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; });
  if (!valid) return invalid("'" + location.bucket + "' is not a bucket name");
  return location;
}

S3Client::S3Client(Options options) : options_(std::move(options)) {
  if (options_.region.empty()) options_.region = resolve_region("", "");
  if (options_.endpoint.empty()) options_.endpoint = resolve_endpoint("", "S3", "s3", options_.region);
}

S3Client::Outcome S3Client::execute(const Call& call) {
  std::string url = detail::object_url(options_.endpoint, call.bucket, call.key, call.query, options_.path_style);
  int max_attempts = std::max(1, options_.retry.max_attempts);
  for (int attempt = 0;; ++attempt) {
    bool last_attempt = attempt + 1 >= max_attempts;
    HttpRequest request;
    request.method = call.method;
    request.url = url;
    request.headers = call.headers;
    request.body = call.body;
    if (!options_.credentials.access_key_id.empty()) {
      sign_v4(request, options_.credentials, options_.region, "s3", "", /*content_sha256_header=*/true,
              /*s3_path=*/true);
    }
    ++stats_.requests;

    Outcome outcome{HttpResponse{}, attempt + 1};
    try {
      outcome.response = http_.send(request, options_.retry.timeout_ms);
    } catch (const Error& error) {
      if (last_attempt) {
        std::string prefix = context_prefix(options_);
        throw_error(error.code(),
                    prefix + error.message() + " (" + call.location() + ")" + attempts_suffix(attempt + 1));
      }
      ++stats_.retries;
      sleep_backoff(options_.retry, attempt);
      continue;
    }
    int status = outcome.response.status;
    stats_.bytes_received += outcome.response.body.size();
    if (status >= 200 && status < 300) return outcome;
    std::string code = detail::parse_error_body(status, outcome.response.body).code;
    if (code == "SlowDown" || status == 429 || status == 503) ++stats_.throttled;
    if (detail::retryable(status, code) && !last_attempt) {
      ++stats_.retries;
      sleep_backoff(options_.retry, attempt);
      continue;
    }
    return outcome;
  }
}

void S3Client::raise(const Outcome& outcome, const Call& call) const {
  detail::S3ErrorBody error = detail::parse_error_body(outcome.response.status, outcome.response.body);
  std::string prefix = context_prefix(options_);
  throw_error(
      detail::error_code_for(outcome.response.status, error.code),
      prefix + error.code + ": " + error.message + " (" + call.location() + ")" + attempts_suffix(outcome.attempts));
}

void S3Client::put_object(const std::string& bucket, const std::string& key, const std::string& body,
                          const std::string& content_type) {
  check_object(bucket, key);
  Call call{"PUT", bucket, key, "", {}, body};
  if (!content_type.empty()) call.headers.emplace_back("Content-Type", content_type);
  Outcome outcome = execute(call);
  if (outcome.response.status / 100 != 2) raise(outcome, call);
}

std::string S3Client::get_object(const std::string& bucket, const std::string& key) {
  check_object(bucket, key);
  Call call{"GET", bucket, key, "", {}, ""};
  Outcome outcome = execute(call);
  if (outcome.response.status / 100 != 2) raise(outcome, call);
  return std::move(outcome.response.body);
}

std::string S3Client::get_object_range(const std::string& bucket, const std::string& key, uint64_t offset,
                                       uint64_t length) {
  check_object(bucket, key);
  if (length == 0) return "";
  uint64_t last = length - 1 > std::numeric_limits<uint64_t>::max() - offset ? std::numeric_limits<uint64_t>::max()
                                                                             : offset + length - 1;
  Call call{"GET", bucket, key, "", {{"Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(last)}}, ""};
  Outcome outcome = execute(call);
  if (outcome.response.status == 206) {
    // "bytes <first>-<last>/<size>". Some servers send more than asked (s3rver 3.7 reads
    // "bytes=0-0" as "from 0 to the end"), so the start is checked and the body cut.
    std::string range = outcome.response.header("content-range");
    std::string expected_start = "bytes " + std::to_string(offset) + "-";
    if (!range.empty() && range.compare(0, expected_start.size(), expected_start) != 0) {
      std::string prefix = context_prefix(options_);
      throw_error(ErrorCode::SOURCE_ERROR, prefix + "S3 answered range '" + range.substr(0, 80) +
                                               "' to a request for bytes from " + std::to_string(offset) + " (" +
                                               call.location() + ")");
    }
    std::string& body = outcome.response.body;
    if (body.size() > length) body.resize(length);
    return std::move(body);
  }
  if (outcome.response.status == 200) {
    // A server that ignores Range sends the whole object; cut the range out of it.
    const std::string& whole = outcome.response.body;
    return offset >= whole.size() ? "" : whole.substr(offset, length);
  }
  raise(outcome, call);
}

std::optional<ObjectInfo> S3Client::head_object(const std::string& bucket, const std::string& key) {
  check_object(bucket, key);
  Call call{"HEAD", bucket, key, "", {}, ""};
  Outcome outcome = execute(call);
  const HttpResponse& response = outcome.response;
  if (response.status == 404) return std::nullopt;
  if (response.status / 100 != 2) raise(outcome, call);
  ObjectInfo info;
  info.key = key;
  std::string length = response.header("content-length");
  auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), info.size);
  if (length.empty() || error != std::errc() || end != length.data() + length.size()) {
    throw_error(ErrorCode::SOURCE_ERROR, "malformed S3 answer: Content-Length '" + length.substr(0, 40) +
                                             "' is not a byte count (" + call.location() + ")");
  }
  info.etag = detail::strip_quotes(response.header("etag"));
  info.last_modified = detail::http_date_to_iso8601(response.header("last-modified"));
  info.content_type = response.header("content-type");
  return info;
}

void S3Client::delete_object(const std::string& bucket, const std::string& key) {
  check_object(bucket, key);
  Call call{"DELETE", bucket, key, "", {}, ""};
  Outcome outcome = execute(call);
  if (outcome.response.status / 100 != 2) raise(outcome, call);
}

ListPage S3Client::list_objects_v2(const std::string& bucket, const std::string& prefix, const std::string& delimiter,
                                   const std::string& continuation_token, int max_keys) {
  check_bucket(bucket);
  // Sorted by name, as SigV4's canonical query is.
  std::vector<std::pair<std::string, std::string>> parameters;
  if (!continuation_token.empty()) parameters.emplace_back("continuation-token", continuation_token);
  if (!delimiter.empty()) parameters.emplace_back("delimiter", delimiter);
  parameters.emplace_back("list-type", "2");
  if (max_keys > 0) parameters.emplace_back("max-keys", std::to_string(max_keys));
  if (!prefix.empty()) parameters.emplace_back("prefix", prefix);
  std::string query;
  for (const auto& [name, value] : parameters) {
    if (!query.empty()) query += '&';
    query += name + "=" + detail::encode_query_value(value);
  }
  Call call{"GET", bucket, "", query, {}, ""};
  Outcome outcome = execute(call);
  if (outcome.response.status / 100 != 2) {
    call.key = prefix;  // the message names what was listed
    raise(outcome, call);
  }
  try {
    return detail::parse_list_objects_v2(outcome.response.body);
  } catch (const Error& error) {
    std::string prefix_text = context_prefix(options_);
    throw_error(error.code(), prefix_text + error.message() + " (s3://" + bucket + "/" + prefix + ")");
  }
}

std::vector<ObjectInfo> S3Client::list_all(const std::string& bucket, const std::string& prefix) {
  std::vector<ObjectInfo> objects;
  std::string token;
  while (true) {
    ListPage page = list_objects_v2(bucket, prefix, "", token);
    std::move(page.objects.begin(), page.objects.end(), std::back_inserter(objects));
    if (!page.truncated) return objects;
    // A truncated page without a token (or repeating ours) would loop forever.
    if (page.next_continuation_token.empty() || page.next_continuation_token == token) {
      std::string prefix_text = context_prefix(options_);
      throw_error(ErrorCode::SOURCE_ERROR, prefix_text +
                                               "S3 listing is truncated but gives no new continuation token (s3://" +
                                               bucket + "/" + prefix + ")");
    }
    token = std::move(page.next_continuation_token);
  }
}

void S3Client::create_bucket(const std::string& bucket) {
  check_bucket(bucket);
  Call call{"PUT", bucket, "", "", {}, ""};
  if (options_.region != "us-east-1") {
    call.body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
                options_.region + "</LocationConstraint></CreateBucketConfiguration>";
    call.headers.emplace_back("Content-Type", "application/xml");
  }
  Outcome outcome = execute(call);
  if (outcome.response.status / 100 == 2) return;
  if (detail::parse_error_body(outcome.response.status, outcome.response.body).code == "BucketAlreadyOwnedByYou")
    return;
  raise(outcome, call);
}

bool S3Client::bucket_exists(const std::string& bucket) {
  check_bucket(bucket);
  Call call{"HEAD", bucket, "", "", {}, ""};
  Outcome outcome = execute(call);
  if (outcome.response.status / 100 == 2) return true;
  if (outcome.response.status == 404) return false;
  raise(outcome, call);
}

}  // namespace tributary::aws
