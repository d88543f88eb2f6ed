// AWS Signature Version 4 (AWS4-HMAC-SHA256). The canonicalization mirrors botocore's,
// which the known-answer tests compare against:
// - non-S3 services sign the URI-encoded form of the (already encoded, dot-segment
//   normalized) request path, i.e. each segment ends up encoded twice;
// - S3 signs the path exactly once encoded and never normalizes it;
// - query parameters are re-encoded and sorted by encoded name, then value;
// - header names lower-cased, values trimmed with inner whitespace runs collapsed,
//   repeated headers joined with ','.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "aws/sigv4_internal.h"
#include "common/error.h"

namespace tributary::aws {
namespace sigv4_internal {
namespace {

bool unreserved_character(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

}  // namespace

// SigV4's UriEncode: unreserved characters stay, everything else becomes %XX (upper-case).
std::string uri_encode(const std::string& text, bool keep_slash) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (unsigned char c : text) {
    if (unreserved_character(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0xF]);
    }
  }
  return out;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; '+' stays a literal '+' (AWS does not treat it as a space).
std::string uri_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// RFC 3986 5.2.4 dot-segment removal; empty segments (double slashes) are dropped too,
// as the AWS services (and botocore) expect.
std::string remove_dot_segments(const std::string& path) {
  if (path.empty()) return "/";
  std::vector<std::string> output;
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find('/', begin);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(begin, end - begin);
    if (segment == "..") {
      if (!output.empty()) output.pop_back();
    } else if (!segment.empty() && segment != ".") {
      output.push_back(segment);
    }
    begin = end + 1;
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < output.size(); ++i) {
    if (i > 0) result += '/';
    result += output[i];
  }
  if (path.back() == '/' && !output.empty()) result += '/';
  return result;
}

}  // namespace

std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), digest, &digest_size) == nullptr) {
    throw_error(ErrorCode::INTERNAL_ERROR, "OpenSSL HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), digest_size);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string canonical_uri(const std::string& path, bool s3_path) {
  if (s3_path) return path.empty() ? "/" : uri_encode(uri_decode(path), true);
  return uri_encode(remove_dot_segments(path), true);
}

std::string canonical_query(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t begin = 0;
  while (begin <= query.size() && !query.empty()) {
    size_t end = query.find('&', begin);
    if (end == std::string::npos) end = query.size();
    std::string piece = query.substr(begin, end - begin);
    if (!piece.empty()) {
      size_t equals = piece.find('=');
      std::string name = piece.substr(0, equals);
      std::string value = equals == std::string::npos ? "" : piece.substr(equals + 1);
      pairs.emplace_back(uri_encode(uri_decode(name), false), uri_encode(uri_decode(value), false));
    }
    begin = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

std::string collapse_whitespace(const std::string& value) {
  std::string out;
  bool pending_space = false;
  for (unsigned char c : value) {
    if (std::isspace(c)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string signing_key(const std::string& secret_access_key, const std::string& date, const std::string& region,
                        const std::string& service) {
  std::string key = hmac_sha256("AWS4" + secret_access_key, date);
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, service);
  return hmac_sha256(key, "aws4_request");
}

std::string string_to_sign(const std::string& timestamp, const std::string& scope,
                           const std::string& canonical_request) {
  return std::string(kAlgorithm) + "\n" + timestamp + "\n" + scope + "\n" + sha256_hex(canonical_request);
}

}  // namespace sigv4_internal

namespace {

using namespace sigv4_internal;

// Headers that proxies or the HTTP library may change on the way; botocore leaves them
// out of the signature for that reason and so do we.
bool unsigned_header(const std::string& lower_name) {
  return lower_name == "expect" || lower_name == "transfer-encoding" || lower_name == "user-agent" ||
         lower_name == "x-amzn-trace-id" || lower_name == "authorization";
}

struct UrlParts {
  std::string scheme;
  std::string host;  // as in the Host header: lower-case, ":port" only when not the default
  std::string path;
  std::string query;
};

UrlParts split_url(const std::string& url) {
  UrlParts parts;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw_error(ErrorCode::INVALID_ARGUMENT, "not an absolute URL: " + url);
  parts.scheme = lower(url.substr(0, scheme_end));
  size_t authority_begin = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  std::string authority = url.substr(authority_begin, authority_end == std::string::npos
                                                          ? std::string::npos
                                                          : authority_end - authority_begin);
  size_t at = authority.rfind('@');
  if (at != std::string::npos) authority = authority.substr(at + 1);
  std::string host = authority;
  std::string port;
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  bool default_port = port.empty() || (parts.scheme == "http" && port == "80") ||
                      (parts.scheme == "https" && port == "443");
  parts.host = lower(host) + (default_port ? "" : ":" + port);
  if (authority_end == std::string::npos) return parts;
  std::string rest = url.substr(authority_end);
  size_t fragment = rest.find('#');
  if (fragment != std::string::npos) rest = rest.substr(0, fragment);
  size_t question = rest.find('?');
  parts.path = rest.substr(0, question);
  if (question != std::string::npos) parts.query = rest.substr(question + 1);
  return parts;
}

// Sorted lower-case name -> comma-joined canonical values; the Host header is derived
// from the URL when the request does not carry one.
std::map<std::string, std::string> headers_to_sign(const HttpRequest& request, const UrlParts& url) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string key = lower(name);
    if (unsigned_header(key)) continue;
    auto [it, inserted] = headers.emplace(key, collapse_whitespace(value));
    if (!inserted) it->second += "," + collapse_whitespace(value);
  }
  if (!headers.count("host")) headers["host"] = url.host;
  return headers;
}

std::string signed_header_list(const std::map<std::string, std::string>& headers) {
  std::string out;
  for (const auto& entry : headers) {
    if (!out.empty()) out += ';';
    out += entry.first;
  }
  return out;
}

void remove_header(HttpRequest& request, const std::string& lower_name) {
  auto& headers = request.headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& header) { return lower(header.first) == lower_name; }),
                headers.end());
}

bool has_header(const HttpRequest& request, const std::string& lower_name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& header) { return lower(header.first) == lower_name; });
}

std::string current_amz_date() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y%m%dT%H%M%SZ", &utc);
  return buffer;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1) {
    throw_error(ErrorCode::INTERNAL_ERROR, "OpenSSL SHA-256 failed");
  }
  return to_hex(std::string(reinterpret_cast<const char*>(digest), digest_size));
}

std::string canonical_request(const HttpRequest& request, const std::string& payload_hash, bool s3_path) {
  UrlParts url = split_url(request.url);
  std::map<std::string, std::string> headers = headers_to_sign(request, url);
  std::string method = request.method;
  std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string out = method + "\n" + canonical_uri(url.path, s3_path) + "\n" + canonical_query(url.query) + "\n";
  for (const auto& [name, value] : headers) out += name + ":" + value + "\n";
  out += "\n" + signed_header_list(headers) + "\n" + payload_hash;
  return out;
}

void sign_v4(HttpRequest& request, const Credentials& credentials, const std::string& region,
             const std::string& service, const std::string& amz_date, bool content_sha256_header, bool s3_path) {
  std::string timestamp = amz_date.empty() ? current_amz_date() : amz_date;
  if (timestamp.size() != 16 || timestamp[8] != 'T' || timestamp[15] != 'Z') {
    throw_error(ErrorCode::INVALID_ARGUMENT, "SigV4 date must look like 20150830T123600Z, got '" + timestamp + "'");
  }
  std::string date = timestamp.substr(0, 8);
  // Re-signing (a retry) replaces what an earlier signature added.
  for (const char* name : {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}) {
    remove_header(request, name);
  }
  std::string payload_hash = sha256_hex(request.body);
  if (!has_header(request, "host")) request.headers.emplace_back("Host", split_url(request.url).host);
  request.headers.emplace_back("X-Amz-Date", timestamp);
  if (!credentials.session_token.empty()) request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (content_sha256_header) request.headers.emplace_back("X-Amz-Content-Sha256", payload_hash);

  std::string canonical = canonical_request(request, payload_hash, s3_path);
  std::string scope = date + "/" + region + "/" + service + "/aws4_request";
  std::string key = signing_key(credentials.secret_access_key, date, region, service);
  std::string signature = to_hex(hmac_sha256(key, string_to_sign(timestamp, scope, canonical)));

  UrlParts url = split_url(request.url);
  std::string signed_headers = signed_header_list(headers_to_sign(request, url));
  request.headers.emplace_back("Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id +
                                                    "/" + scope + ", SignedHeaders=" + signed_headers +
                                                    ", Signature=" + signature);
}

}  // namespace tributary::aws
