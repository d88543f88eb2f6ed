#include "service/page_token.h"

#include <cstring>
#include <stdexcept>

#include "common/error.h"

namespace tributary::service {

namespace {

// Base64url of the listing's kind and the last row's key, fields separated by
// a unit separator. The kind (and workgroup or catalog where a listing has one) is checked
// on the way back, so a token cannot be replayed against another listing.

const char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const char kFieldSeparator = '\x1f';

std::string base64url_encode(const std::string& bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kBase64Url[(n >> shift) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16;
    out.push_back(kBase64Url[(n >> 18) & 63]);
    out.push_back(kBase64Url[(n >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t n = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
    out.push_back(kBase64Url[(n >> 18) & 63]);
    out.push_back(kBase64Url[(n >> 12) & 63]);
    out.push_back(kBase64Url[(n >> 6) & 63]);
  }
  return out;
}

bool base64url_decode(const std::string& text, std::string* bytes) {
  if (text.size() % 4 == 1) return false;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const char* position = std::strchr(kBase64Url, c);
    if (c == '\0' || position == nullptr) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(position - kBase64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes->push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return true;
}

}  // namespace

std::string make_token(const std::vector<std::string>& fields) {
  std::string joined;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) joined.push_back(kFieldSeparator);
    joined += fields[i];
  }
  return base64url_encode(joined);
}

std::vector<std::string> parse_token(const std::string& token, const std::string& kind, const std::string& scope,
                                     size_t key_fields) {
  std::string decoded;
  std::vector<std::string> fields;
  if (base64url_decode(token, &decoded)) {
    size_t start = 0;
    while (true) {
      size_t end = decoded.find(kFieldSeparator, start);
      fields.push_back(decoded.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  if (fields.size() != key_fields + 2 || fields[0] != kind || fields[1] != scope) {
    throw_error(ErrorCode::INVALID_ARGUMENT, "invalid NextToken for this listing");
  }
  fields.erase(fields.begin(), fields.begin() + 2);
  return fields;
}

int64_t parse_token_integer(const std::string& text) {
  try {
    size_t used = 0;
    int64_t value = std::stoll(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw_error(ErrorCode::INVALID_ARGUMENT, "invalid NextToken for this listing");
}

}  // namespace tributary::service
