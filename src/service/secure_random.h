// Random identifiers and secrets from OpenSSL's CSPRNG (RAND_bytes). Pure functions, safe
// from any thread; each throws Error(INTERNAL_ERROR) if the generator fails.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace tributary::service {

// `count` random bytes.
std::string random_bytes(size_t count);
// `length` characters drawn uniformly from `alphabet` (1..256 characters; rejection sampling,
// so no character is more likely than another).
std::string random_string(std::string_view alphabet, size_t length);
// A version-4 UUID, lower-case: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx.
std::string random_uuid();

}  // namespace tributary::service
