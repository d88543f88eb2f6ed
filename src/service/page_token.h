// Page tokens of the metastore's listings: opaque strings (base64url) holding the listing's
// kind, its scope (a workgroup, a catalog, or "") and the last returned row's key. Pure
// functions, safe from any thread.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tributary::service {

// make_token({kind, scope, key...}).
std::string make_token(const std::vector<std::string>& fields);

// The key fields of a token made by make_token({kind, scope, key...}) with `key_fields` key
// fields. Throws Error(INVALID_ARGUMENT) "invalid NextToken for this listing" for anything
// else, including a token of another listing or scope.
std::vector<std::string> parse_token(const std::string& token, const std::string& kind, const std::string& scope,
                                     size_t key_fields);

// A key field holding an integer; throws INVALID_ARGUMENT like parse_token.
int64_t parse_token_integer(const std::string& text);

}  // namespace tributary::service
