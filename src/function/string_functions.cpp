// String functions with Trino's semantics: lengths and positions count UTF-8
// code points (invalid UTF-8 counts its non-continuation bytes, as Trino's SliceUtf8
// does); slices point into the argument's heap; regexp_* live in regexp_functions.cpp.
#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "function/function.h"
#include "function/kernel_helpers.h"
#include "function/string_function_helpers.h"

namespace tributary {

namespace {

using namespace string_kernels;

// Java's Character.isWhitespace, which Trino's trim functions use.
inline bool is_java_whitespace(int32_t cp) {
  if (cp < 0x80) return (cp >= 9 && cp <= 13) || (cp >= 28 && cp <= 32);
  return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x2006) || (cp >= 0x2008 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x205F || cp == 0x3000;
}

// Simple one-to-one case mappings (Java's Character.toLowerCase/toUpperCase) for
// the Latin, Greek, Cyrillic and Armenian blocks; other code points are unchanged.
int32_t to_lower_cp(int32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
    return (c & 1) ? c : c + 1;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  if (c >= 0x1E00 && c <= 0x1EFF && !(c >= 0x1E96 && c <= 0x1E9F)) return (c & 1) ? c : c + 1;
  if (c == 0x1E9E) return 0xDF;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
  return c;
}

int32_t to_upper_cp(int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;
  if (c == 0xB5) return 0x39C;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x131) return 'I';
    if (c == 0x17F) return 'S';
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c : c - 1;
    if (c == 0x130 || c == 0x138 || c == 0x149 || c == 0x178) return c;
    return (c & 1) ? c - 1 : c;
  }
  if (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) return c - 32;
  if (c == 0x3C2) return 0x3A3;
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 37;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 63;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
    return (c & 1) ? c - 1 : c;
  if (c >= 0x561 && c <= 0x586) return c - 48;
  if (c >= 0x1E00 && c <= 0x1EFF && !(c >= 0x1E96 && c <= 0x1E9F)) return (c & 1) ? c - 1 : c;
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 32;
  return c;
}

// Case mapping. No mapping above grows a code point's UTF-8 length, so the result
// fits in s.size() bytes allocated once from the output heap.
template <bool kUpper>
string_view change_case(string_view s, Vector& out) {
  if (s.empty()) return kEmpty;
  char* dst = out.heap().allocate(s.size());
  size_t o = 0;
  size_t i = 0;
  const size_t size = s.size();
  while (i < size) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if constexpr (kUpper) {
        dst[o++] = (char)((c >= 'a' && c <= 'z') ? c - 32 : c);
      } else {
        dst[o++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
      }
      i++;
      continue;
    }
    size_t length;
    int32_t cp = decode(s, i, &length);
    if (cp < 0) {
      dst[o++] = s[i++];
      continue;
    }
    int32_t mapped = kUpper ? to_upper_cp(cp) : to_lower_cp(cp);
    char buffer[4];
    int n = encode(mapped, buffer);
    if ((size_t)n > length) {  // defensive: never taken with the tables above
      n = (int)length;
      std::memcpy(buffer, s.data() + i, length);
    }
    std::memcpy(dst + o, buffer, n);
    o += n;
    i += length;
  }
  return string_view(dst, o);
}

// ---------------------------------------------------------------- basic string kernels

void length_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  int64_t* o = out.data<int64_t>();
  for_rows(call, out, [&](size_t i) { o[i] = (int64_t)count_code_points(s[i]); });
}

template <bool kUpper>
void case_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  string_view* o = out.data<string_view>();
  for_rows(call, out, [&](size_t i) { o[i] = change_case<kUpper>(s[i], out); });
}

enum class TrimSide { BOTH, LEFT, RIGHT };

template <TrimSide kSide, class IsTrimmed>
string_view trim_view(string_view s, IsTrimmed&& is_trimmed) {
  size_t begin = 0, end = s.size();
  if constexpr (kSide != TrimSide::RIGHT) {
    while (begin < end) {
      size_t length;
      int32_t cp = decode(s, begin, &length);
      if (cp < 0 || !is_trimmed(cp)) break;
      begin += length;
    }
  }
  if constexpr (kSide != TrimSide::LEFT) {
    while (end > begin) {
      size_t start = end - 1;
      while (start > begin && is_continuation((unsigned char)s[start])) start--;
      size_t length;
      int32_t cp = decode(s, start, &length);
      if (cp < 0 || start + length != end || !is_trimmed(cp)) break;
      end = start;
    }
  }
  return s.substr(begin, end - begin);
}

template <TrimSide kSide>
void trim_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) {
    string_view v = s[i];
    // ASCII fast path: nothing to trim when both ends are visible characters.
    if (!v.empty() && (unsigned char)v.front() > ' ' && (unsigned char)v.front() < 0x80 &&
        (unsigned char)v.back() > ' ' && (unsigned char)v.back() < 0x80) {
      o[i] = v;
      return;
    }
    o[i] = trim_view<kSide>(v, is_java_whitespace);
  });
}

template <TrimSide kSide>
void trim_chars_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const string_view* chars = strings(call, 1);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  std::vector<int32_t> set;
  string_view decoded_chars;
  bool first = true;
  for_rows(call, out, [&](size_t i) {
    if (first || chars[i] != decoded_chars) {
      first = false;
      decoded_chars = chars[i];
      set.clear();
      for (size_t k = 0; k < decoded_chars.size();) {
        size_t length;
        set.push_back(decode(decoded_chars, k, &length));
        k += length;
      }
    }
    o[i] = trim_view<kSide>(s[i], [&](int32_t cp) { return std::find(set.begin(), set.end(), cp) != set.end(); });
  });
}

// substr(s, start): 1-based; a negative start counts from the end.
string_view substr_from(string_view s, int64_t start) {
  if (start == 0 || s.empty()) return kEmpty;
  size_t offset;
  if (start > 0) {
    offset = skip_code_points(s, 0, start - 1);
  } else {
    int64_t from = start + (int64_t)count_code_points(s);
    if (from < 0) return kEmpty;
    offset = skip_code_points(s, 0, from);
  }
  return s.substr(offset);
}

string_view substr_from_length(string_view s, int64_t start, int64_t length) {
  if (start == 0 || length <= 0 || s.empty()) return kEmpty;
  int64_t from;
  if (start > 0) {
    from = start - 1;
  } else {
    from = start + (int64_t)count_code_points(s);
    if (from < 0) return kEmpty;
  }
  size_t begin = skip_code_points(s, 0, from);
  if (begin >= s.size()) return kEmpty;
  size_t end = skip_code_points(s, begin, length);
  return s.substr(begin, end - begin);
}

void substr2_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const int64_t* start = integers(call, 1);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) { o[i] = substr_from(s[i], start[i]); });
}

void substr3_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const int64_t* start = integers(call, 1);
  const int64_t* length = integers(call, 2);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) { o[i] = substr_from_length(s[i], start[i], length[i]); });
}

// varbinary substr counts bytes.
void binary_substr_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const int64_t* start = integers(call, 1);
  const int64_t* length = call.args.size() > 2 ? integers(call, 2) : nullptr;
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) {
    string_view v = s[i];
    int64_t size = (int64_t)v.size();
    int64_t st = start[i];
    int64_t len = length ? length[i] : size;
    if (st == 0 || len <= 0 || v.empty()) {
      o[i] = kEmpty;
      return;
    }
    int64_t from = st > 0 ? st - 1 : st + size;
    if (from < 0 || from >= size) {
      o[i] = kEmpty;
      return;
    }
    o[i] = v.substr((size_t)from, (size_t)std::min(len, size - from));
  });
}

// concat / ||: NULL when any argument is NULL.
void concat_kernel(KernelCall& call, Vector& out) {
  const size_t arity = call.args.size();
  std::vector<const string_view*> parts(arity);
  for (size_t a = 0; a < arity; a++) parts[a] = strings(call, a);
  string_view* o = out.data<string_view>();
  for_rows(call, out, [&](size_t i) {
    size_t total = 0;
    for (size_t a = 0; a < arity; a++) total += parts[a][i].size();
    if (total == 0) {
      o[i] = kEmpty;
      return;
    }
    char* dst = out.heap().allocate(total);
    size_t p = 0;
    for (size_t a = 0; a < arity; a++) {
      const string_view& part = parts[a][i];
      if (!part.empty()) std::memcpy(dst + p, part.data(), part.size());
      p += part.size();
    }
    o[i] = string_view(dst, total);
  });
}

// concat_ws(separator, s1, ...): NULL only when the separator is NULL; NULL elements are skipped.
void concat_ws_kernel(KernelCall& call, Vector& out) {
  const size_t arity = call.args.size();
  const string_view* separator = strings(call, 0);
  string_view* o = out.data<string_view>();
  std::memset(out.nulls(), 0, call.count);
  const Vector& sep_vector = call.args[0];
  for (size_t i = 0; i < call.count; i++) {
    if (sep_vector.may_have_nulls() && sep_vector.is_null(i)) {
      out.set_null(i);
      continue;
    }
    size_t total = 0;
    size_t present = 0;
    for (size_t a = 1; a < arity; a++) {
      const Vector& v = call.args[a];
      if (v.may_have_nulls() && v.is_null(i)) continue;
      total += v.data<string_view>()[i].size();
      present++;
    }
    if (present > 1) total += (present - 1) * separator[i].size();
    if (total == 0) {
      o[i] = kEmpty;
      continue;
    }
    char* dst = out.heap().allocate(total);
    size_t p = 0;
    bool first = true;
    for (size_t a = 1; a < arity; a++) {
      const Vector& v = call.args[a];
      if (v.may_have_nulls() && v.is_null(i)) continue;
      if (!first && !separator[i].empty()) {
        std::memcpy(dst + p, separator[i].data(), separator[i].size());
        p += separator[i].size();
      }
      first = false;
      string_view part = v.data<string_view>()[i];
      if (!part.empty()) std::memcpy(dst + p, part.data(), part.size());
      p += part.size();
    }
    o[i] = string_view(dst, total);
  }
}

void replace_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const string_view* search = strings(call, 1);
  const string_view* replacement = call.args.size() > 2 ? strings(call, 2) : nullptr;
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  std::string buffer;
  for_rows(call, out, [&](size_t i) {
    string_view v = s[i];
    string_view find = search[i];
    string_view with = replacement ? replacement[i] : kEmpty;
    if (find.empty()) {
      // Trino inserts the replacement before every character and at the end.
      buffer.clear();
      for (size_t p = 0; p < v.size();) {
        size_t length = code_point_length(v, p);
        buffer.append(with);
        buffer.append(v.substr(p, length));
        p += length;
      }
      buffer.append(with);
      o[i] = out.add_string(buffer);
      return;
    }
    size_t pos = v.find(find);
    if (pos == string_view::npos) {
      o[i] = v;
      return;
    }
    buffer.clear();
    size_t last = 0;
    while (pos != string_view::npos) {
      buffer.append(v.substr(last, pos - last));
      buffer.append(with);
      last = pos + find.size();
      pos = v.find(find, last);
    }
    buffer.append(v.substr(last));
    o[i] = out.add_string(buffer);
  });
}

int64_t string_position(string_view s, string_view sub, int64_t instance) {
  if (instance == 0) {
    throw_error(ErrorCode::INVALID_ARGUMENT, "'instance' must be a positive or negative number.");
  }
  if (sub.empty()) return 1;
  size_t index;
  if (instance > 0) {
    index = s.find(sub);
    for (int64_t found = 1; found < instance && index != string_view::npos; found++) index = s.find(sub, index + 1);
  } else {
    index = s.rfind(sub);
    for (int64_t found = 1; found < -instance && index != string_view::npos; found++) {
      index = index == 0 ? string_view::npos : s.rfind(sub, index - 1);
    }
  }
  if (index == string_view::npos) return 0;
  return (int64_t)count_code_points(s.substr(0, index)) + 1;
}

void strpos_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const string_view* sub = strings(call, 1);
  const int64_t* instance = call.args.size() > 2 ? integers(call, 2) : nullptr;
  int64_t* o = out.data<int64_t>();
  for_rows(call, out, [&](size_t i) { o[i] = string_position(s[i], sub[i], instance ? instance[i] : 1); });
}

void split_part_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const string_view* delimiter = strings(call, 1);
  const int64_t* index = integers(call, 2);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) {
    if (index[i] < 1) throw_error(ErrorCode::INVALID_ARGUMENT, "Index must be greater than zero");
    string_view v = s[i];
    string_view d = delimiter[i];
    if (d.empty()) {
      // An empty delimiter splits into characters.
      size_t begin = skip_code_points(v, 0, index[i] - 1);
      if (begin >= v.size()) {
        out.set_null(i);
        return;
      }
      o[i] = v.substr(begin, code_point_length(v, begin));
      return;
    }
    size_t previous = 0;
    int64_t matches = 0;
    while (true) {
      size_t pos = v.find(d, previous);
      if (pos == string_view::npos) break;
      matches++;
      if (matches == index[i]) {
        o[i] = v.substr(previous, pos - previous);
        return;
      }
      previous = pos + d.size();
    }
    if (matches == index[i] - 1) {
      o[i] = v.substr(previous);
    } else {
      out.set_null(i);
    }
  });
}

template <bool kLeft>
void pad_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const int64_t* size = integers(call, 1);
  const string_view* pad = strings(call, 2);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) {
    int64_t target = size[i];
    if (target < 0 || target > INT32_MAX) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "Target length must be in the range [0..2147483647]");
    }
    string_view p = pad[i];
    if (p.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, "Padding string must not be empty");
    string_view v = s[i];
    int64_t length = (int64_t)count_code_points(v);
    if (length == target) {
      o[i] = v;
      return;
    }
    if (length > target) {  // truncated to the first `target` characters, for lpad too
      o[i] = v.substr(0, skip_code_points(v, 0, target));
      return;
    }
    int64_t missing = target - length;
    int64_t pad_length = (int64_t)count_code_points(p);
    int64_t full = missing / pad_length;
    size_t tail = skip_code_points(p, 0, missing % pad_length);
    size_t padding = (size_t)full * p.size() + tail;
    size_t total = padding + v.size();
    char* dst = out.heap().allocate(total);
    char* fill = kLeft ? dst : dst + v.size();
    for (int64_t k = 0; k < full; k++, fill += p.size()) std::memcpy(fill, p.data(), p.size());
    if (tail) std::memcpy(fill, p.data(), tail);
    if (!v.empty()) std::memcpy(kLeft ? dst + padding : dst, v.data(), v.size());
    o[i] = string_view(dst, total);
  });
}

template <bool kStarts>
void affix_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const string_view* affix = strings(call, 1);
  uint8_t* o = out.data<uint8_t>();
  for_rows(call, out, [&](size_t i) { o[i] = kStarts ? s[i].starts_with(affix[i]) : s[i].ends_with(affix[i]); });
}

void reverse_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  string_view* o = out.data<string_view>();
  const bool binary = call.args[0].type().id == TypeId::VARBINARY;
  for_rows(call, out, [&](size_t i) {
    string_view v = s[i];
    if (v.empty()) {
      o[i] = kEmpty;
      return;
    }
    char* dst = out.heap().allocate(v.size());
    size_t end = v.size();
    if (binary) {
      for (size_t k = 0; k < v.size(); k++) dst[k] = v[v.size() - 1 - k];
    } else {
      for (size_t p = 0; p < v.size();) {
        size_t length = code_point_length(v, p);
        end -= length;
        std::memcpy(dst + end, v.data() + p, length);
        p += length;
      }
    }
    o[i] = string_view(dst, v.size());
  });
}

void chr_kernel(KernelCall& call, Vector& out) {
  const int64_t* cp = integers(call, 0);
  string_view* o = out.data<string_view>();
  for_rows(call, out, [&](size_t i) {
    int64_t c = cp[i];
    if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "Not a valid Unicode code point: " + std::to_string(c));
    }
    char buffer[4];
    int n = encode((int32_t)c, buffer);
    o[i] = out.add_string(string_view(buffer, n));
  });
}

void codepoint_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  int64_t* o = out.data<int64_t>();
  for_rows(call, out, [&](size_t i) {
    if (count_code_points(s[i]) != 1) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "Input string must be a single character string");
    }
    size_t length;
    o[i] = decode(s[i], 0, &length);
  });
}

// to_utf8 and the varchar<->varbinary views share bytes.
void share_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  for_rows(call, out, [&](size_t i) { o[i] = s[i]; });
}

// from_utf8(binary[, replacement]): invalid sequences become U+FFFD (or the replacement).
void from_utf8_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  const bool has_replacement = call.args.size() > 1;
  const bool numeric_replacement = has_replacement && call.args[1].type().id == TypeId::BIGINT;
  std::string buffer;
  for_rows(call, out, [&](size_t i) {
    string_view v = s[i];
    bool valid = true;
    for (size_t p = 0; p < v.size();) {
      size_t length;
      if (decode(v, p, &length) < 0) {
        valid = false;
        break;
      }
      p += length;
    }
    if (valid) {
      o[i] = v;
      return;
    }
    std::string replacement = "\xEF\xBF\xBD";
    if (numeric_replacement) {
      int64_t c = call.args[1].data<int64_t>()[i];
      if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "Invalid replacement character");
      }
      char b[4];
      replacement.assign(b, encode((int32_t)c, b));
    } else if (has_replacement) {
      string_view r = call.args[1].data<string_view>()[i];
      if (count_code_points(r) > 1) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "Replacement character string must empty or a single character");
      }
      replacement.assign(r);
    }
    buffer.clear();
    for (size_t p = 0; p < v.size();) {
      size_t length;
      if (decode(v, p, &length) < 0) {
        buffer.append(replacement);
      } else {
        buffer.append(v.substr(p, length));
      }
      p += length;
    }
    o[i] = out.add_string(buffer);
  });
}

void decode_code_points(string_view s, std::vector<int32_t>* out) {
  out->clear();
  for (size_t p = 0; p < s.size();) {
    size_t length;
    int32_t cp = decode(s, p, &length);
    out->push_back(cp < 0 ? -(int32_t)(unsigned char)s[p] - 1 : cp);
    p += length;
  }
}

void levenshtein_kernel(KernelCall& call, Vector& out) {
  const string_view* a = strings(call, 0);
  const string_view* b = strings(call, 1);
  int64_t* o = out.data<int64_t>();
  std::vector<int32_t> left, right;
  std::vector<int64_t> distances;
  for_rows(call, out, [&](size_t i) {
    decode_code_points(a[i], &left);
    decode_code_points(b[i], &right);
    if (left.size() < right.size()) std::swap(left, right);
    if (right.empty()) {
      o[i] = (int64_t)left.size();
      return;
    }
    if ((int64_t)left.size() * (int64_t)(right.size() - 1) > 1000000) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "The combined inputs for Levenshtein distance are too large");
    }
    distances.resize(right.size());
    for (size_t k = 0; k < right.size(); k++) distances[k] = (int64_t)k + 1;
    for (size_t l = 0; l < left.size(); l++) {
      int64_t left_up = (int64_t)l;
      int64_t current = (int64_t)l + 1;
      for (size_t r = 0; r < right.size(); r++) {
        int64_t up = distances[r];
        int64_t substitution = left_up + (left[l] == right[r] ? 0 : 1);
        current = std::min({current + 1, up + 1, substitution});
        left_up = up;
        distances[r] = current;
      }
    }
    o[i] = distances[right.size() - 1];
  });
}

void hamming_kernel(KernelCall& call, Vector& out) {
  const string_view* a = strings(call, 0);
  const string_view* b = strings(call, 1);
  int64_t* o = out.data<int64_t>();
  for_rows(call, out, [&](size_t i) {
    string_view l = a[i], r = b[i];
    size_t p = 0, q = 0;
    int64_t distance = 0;
    while (p < l.size() && q < r.size()) {
      size_t ll, rl;
      int32_t lc = decode(l, p, &ll), rc = decode(r, q, &rl);
      if (lc != rc || (lc < 0 && l[p] != r[q])) distance++;
      p += ll;
      q += rl;
    }
    if (p < l.size() || q < r.size()) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "The input strings to hamming_distance function must have the same length");
    }
    o[i] = distance;
  });
}

// ---------------------------------------------------------------- variadic binders

// concat / $concat: two or more varchar (or two or more varbinary) arguments.
void register_concat(FunctionRegistry& registry, const std::string& name) {
  registry.add_signature_doc(name, name + "(varchar, varchar, ...)");
  registry.add_scalar(name, [name](const std::vector<Type>& args, const std::vector<const Value*>&,
                                   BoundFunction* out) {
    if (args.size() < 2) {
      bool all_strings = !args.empty() && (args[0].id == TypeId::VARCHAR || args[0].id == TypeId::VARBINARY);
      if (all_strings) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "There must be two or more concatenation arguments");
      }
      return false;
    }
    bool binary = false;
    for (const auto& a : args) binary |= a.id == TypeId::VARBINARY;
    int64_t total_length = 0;
    bool bounded = true;
    std::vector<Type> bound;
    for (const auto& a : args) {
      if (binary) {
        if (a.id != TypeId::VARBINARY && a.id != TypeId::UNKNOWN) return false;
        bound.push_back(Type::varbinary());
      } else {
        if (a.id != TypeId::VARCHAR && a.id != TypeId::UNKNOWN) return false;
        Type t = a.id == TypeId::VARCHAR ? a : Type::varchar();
        if (t.precision < 0) bounded = false;
        total_length += std::max(t.precision, 0);
        bound.push_back(t);
      }
    }
    out->name = name;
    out->return_type = binary ? Type::varbinary()
                              : (bounded && total_length <= INT32_MAX ? Type::varchar((int)total_length) : Type::varchar());
    out->arg_types = std::move(bound);
    out->kernel = concat_kernel;
    out->state = nullptr;
    return true;
  });
}

void register_concat_ws(FunctionRegistry& registry) {
  registry.add_signature_doc("concat_ws", "concat_ws(varchar, varchar, ...)");
  registry.add_scalar("concat_ws", [](const std::vector<Type>& args, const std::vector<const Value*>&,
                                      BoundFunction* out) {
    if (args.size() < 2) return false;
    std::vector<Type> bound;
    for (const auto& a : args) {
      Type t;
      if (!fits(a, kVarchar, &t)) return false;
      bound.push_back(t);
    }
    out->name = "concat_ws";
    out->return_type = Type::varchar();
    out->arg_types = std::move(bound);
    out->kernel = concat_ws_kernel;
    out->state = nullptr;
    return true;
  });
}

}  // namespace

void register_string_functions(FunctionRegistry& registry) {
  FunctionRegistry& r = registry;
  define(r, "length", {kVarchar}, returns(kBigint), length_kernel);
  define(r, "length", {kVarbinary}, returns(kBigint), [](KernelCall& call, Vector& out) {
    const string_view* s = strings(call, 0);
    int64_t* o = out.data<int64_t>();
    for_rows(call, out, [&](size_t i) { o[i] = (int64_t)s[i].size(); });
  });
  define(r, "lower", {kVarchar}, same_as_first(), case_kernel<false>);
  define(r, "upper", {kVarchar}, same_as_first(), case_kernel<true>);

  define(r, "trim", {kVarchar}, same_as_first(), trim_kernel<TrimSide::BOTH>);
  define(r, "ltrim", {kVarchar}, same_as_first(), trim_kernel<TrimSide::LEFT>);
  define(r, "rtrim", {kVarchar}, same_as_first(), trim_kernel<TrimSide::RIGHT>);
  define(r, "trim", {kVarchar, kVarchar}, same_as_first(), trim_chars_kernel<TrimSide::BOTH>);
  define(r, "ltrim", {kVarchar, kVarchar}, same_as_first(), trim_chars_kernel<TrimSide::LEFT>);
  define(r, "rtrim", {kVarchar, kVarchar}, same_as_first(), trim_chars_kernel<TrimSide::RIGHT>);

  for (const char* name : {"substr", "substring"}) {
    define(r, name, {kVarchar, kBigint}, same_as_first(), substr2_kernel);
    define(r, name, {kVarchar, kBigint, kBigint}, same_as_first(), substr3_kernel);
    define(r, name, {kVarbinary, kBigint}, returns(kVarbinary), binary_substr_kernel);
    define(r, name, {kVarbinary, kBigint, kBigint}, returns(kVarbinary), binary_substr_kernel);
  }

  register_concat(r, "concat");
  register_concat(r, "$concat");
  register_concat_ws(r);

  define(r, "replace", {kVarchar, kVarchar}, returns(kVarchar), replace_kernel);
  define(r, "replace", {kVarchar, kVarchar, kVarchar}, returns(kVarchar), replace_kernel);
  define(r, "strpos", {kVarchar, kVarchar}, returns(kBigint), strpos_kernel);
  define(r, "strpos", {kVarchar, kVarchar, kBigint}, returns(kBigint), strpos_kernel);
  define(r, "split_part", {kVarchar, kVarchar, kBigint}, same_as_first(), split_part_kernel);
  define(r, "lpad", {kVarchar, kBigint, kVarchar}, returns(kVarchar), pad_kernel<true>);
  define(r, "rpad", {kVarchar, kBigint, kVarchar}, returns(kVarchar), pad_kernel<false>);
  define(r, "starts_with", {kVarchar, kVarchar}, returns(Type::boolean()), affix_kernel<true>);
  define(r, "ends_with", {kVarchar, kVarchar}, returns(Type::boolean()), affix_kernel<false>);
  define(r, "reverse", {kVarchar}, same_as_first(), reverse_kernel);
  define(r, "reverse", {kVarbinary}, returns(kVarbinary), reverse_kernel);
  define(r, "chr", {kBigint}, returns(Type::varchar(1)), chr_kernel);
  define(r, "codepoint", {kVarchar}, returns(Type::integer()), codepoint_kernel);
  define(r, "to_utf8", {kVarchar}, returns(kVarbinary), share_kernel);
  define(r, "from_utf8", {kVarbinary}, returns(kVarchar), from_utf8_kernel);
  define(r, "from_utf8", {kVarbinary, kVarchar}, returns(kVarchar), from_utf8_kernel);
  define(r, "from_utf8", {kVarbinary, kBigint}, returns(kVarchar), from_utf8_kernel);
  define(r, "levenshtein_distance", {kVarchar, kVarchar}, returns(kBigint), levenshtein_kernel);
  define(r, "hamming_distance", {kVarchar, kVarchar}, returns(kBigint), hamming_kernel);

  register_regexp_functions(r);
}

}  // namespace tributary
