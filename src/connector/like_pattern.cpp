#include "connector/like_pattern.h"

namespace tributary {

namespace {

size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

std::optional<std::string> like_pattern_with_bang_escape(const std::string& pattern,
                                                         const std::optional<std::string>& escape) {
  if (escape && (escape->empty() || utf8_sequence_length((unsigned char)(*escape)[0]) != escape->size()))
    return std::nullopt;
  std::string out;
  auto literal_char = [&](char c) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  };
  for (size_t i = 0; i < pattern.size();) {
    if (escape && pattern.compare(i, escape->size(), *escape) == 0) {
      size_t next = i + escape->size();
      if (next >= pattern.size()) return std::nullopt;  // Trino: an error, left to the engine
      if (pattern[next] == '%' || pattern[next] == '_') {
        literal_char(pattern[next]);
        i = next + 1;
      } else if (pattern.compare(next, escape->size(), *escape) == 0) {
        for (char c : *escape) literal_char(c);
        i = next + escape->size();
      } else {
        return std::nullopt;
      }
      continue;
    }
    char c = pattern[i++];
    if (c == '%' || c == '_')
      out += c;
    else
      literal_char(c);
  }
  return out;
}

}  // namespace tributary
