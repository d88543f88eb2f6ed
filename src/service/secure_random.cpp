#include "service/secure_random.h"

#include <openssl/rand.h>

#include "common/error.h"

namespace tributary::service {

std::string random_bytes(size_t count) {
  std::string bytes(count, '\0');
  if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    throw_error(ErrorCode::INTERNAL_ERROR, "the random number generator failed");
  }
  return bytes;
}

std::string random_string(std::string_view alphabet, size_t length) {
  if (alphabet.empty() || alphabet.size() > 256) {
    throw_error(ErrorCode::INTERNAL_ERROR, "random_string needs an alphabet of 1 to 256 characters");
  }
  // Bytes at or above the largest multiple of the alphabet size would favour the first
  // characters; they are drawn again.
  const unsigned limit = 256 - (256 % alphabet.size());
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (unsigned char byte : random_bytes(length - out.size() + 8)) {
      if (byte >= limit) continue;
      out.push_back(alphabet[byte % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string random_uuid() {
  std::string bytes = random_bytes(16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    auto byte = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

}  // namespace tributary::service
