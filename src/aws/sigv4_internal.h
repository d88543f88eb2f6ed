// The pieces of AWS Signature Version 4 shared by the client-side signer
// (aws/sigv4_signer.cpp) and the server-side verifier (service/sigv4_verifier.cpp), so
// that both canonicalize a request the same way. Not part of the AWS client's public
// API. All functions are pure and thread-safe; the OpenSSL-backed ones throw
// Error(INTERNAL_ERROR) only if OpenSSL itself fails.
#pragma once
#include <string>

namespace tributary::aws::sigv4_internal {

inline constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

// Lower-case hex of raw bytes.
std::string to_hex(const std::string& bytes);
// Raw HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(const std::string& key, const std::string& data);
// SigV4's UriEncode (also S3's key encoding): A-Z a-z 0-9 - _ . ~ stay (and '/' with
// keep_slash), every other byte becomes %XX with upper-case hex.
std::string uri_encode(const std::string& text, bool keep_slash);
// ASCII lower-casing (header names).
std::string lower(std::string text);

// The canonical URI of a path as sent on the wire (still percent-encoded). Non-S3: dot
// segments and empty segments removed, then URI-encoded again (botocore's behaviour, so
// "%20" is signed as "%2520"). S3 (`s3_path`): decoded and encoded exactly once, never
// normalized. An empty path is "/".
std::string canonical_uri(const std::string& path, bool s3_path);
// The canonical query string of a raw query (without '?'): each name and value decoded,
// re-encoded with SigV4's UriEncode, pairs sorted by name then value, joined with '&'.
std::string canonical_query(const std::string& query);
// A header value as SigV4 signs it: trimmed, inner whitespace runs collapsed to one space.
std::string collapse_whitespace(const std::string& value);

// The SigV4 signing key: HMAC chain over "AWS4"+secret, date (YYYYMMDD), region,
// service and "aws4_request".
std::string signing_key(const std::string& secret_access_key, const std::string& date, const std::string& region,
                        const std::string& service);
// "AWS4-HMAC-SHA256\n<timestamp>\n<scope>\n<hex sha256 of canonical_request>".
std::string string_to_sign(const std::string& timestamp, const std::string& scope,
                           const std::string& canonical_request);

}  // namespace tributary::aws::sigv4_internal
