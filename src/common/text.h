// Small ASCII text helpers shared across modules (names and keys are ASCII-case-insensitive
// in SQL identifiers, property keys and HTTP headers).
#pragma once
#include <string>
#include <string_view>

namespace tributary {

// ASCII lower-casing; other bytes (UTF-8) are left as they are.
std::string to_lower_ascii(std::string text);
// Without leading and trailing ASCII whitespace.
std::string trim_ascii(std::string_view text);
// Appends `text` as a JSON string literal (quotes, backslash escapes, \u00XX for controls).
void append_json_string(std::string& out, std::string_view text);

}  // namespace tributary
