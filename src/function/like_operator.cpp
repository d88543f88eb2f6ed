// SQL LIKE ($like): '%' matches any sequence, '_' one character (a UTF-8 code
// point), with an optional escape character. A constant pattern is compiled
// once at bind time; the common shapes 'abc', 'abc%', '%abc', '%abc%' and
// 'abc%xyz' are matched with memcmp/memmem, the rest by a segment matcher
// (greedy leftmost placement of the '%'-separated parts, which is exact).
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

namespace {

inline size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// One '%'-free piece of a pattern: literal bytes, where `one[i]` marks a '_'.
struct Part {
  std::string bytes;
  std::vector<uint8_t> one;
  bool has_one = false;
};

class LikePattern {
 public:
  enum class Kind { EXACT, PREFIX, SUFFIX, CONTAINS, PREFIX_SUFFIX, ANY, GENERAL };

  // Throws INVALID_ARGUMENT for a bad escape.
  LikePattern(std::string_view pattern, const std::string_view* escape) {
    bool has_escape = escape != nullptr;
    std::string_view esc;
    if (has_escape) {
      esc = *escape;
      if (esc.empty() || utf8_length((unsigned char)esc[0]) != esc.size()) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "Escape string must be a single character");
      }
    }
    bool leading = false, trailing = false, last_any = false;
    Part current;
    bool started = false;
    for (size_t i = 0; i < pattern.size();) {
      if (has_escape && pattern.compare(i, esc.size(), esc) == 0) {
        size_t next = i + esc.size();
        if (next >= pattern.size()) {
          throw_error(ErrorCode::INVALID_ARGUMENT,
                      "Escape character must be followed by '%', '_' or the escape character itself");
        }
        if (pattern[next] == '%' || pattern[next] == '_') {
          current.bytes += pattern[next];
          current.one.push_back(0);
          i = next + 1;
        } else if (pattern.compare(next, esc.size(), esc) == 0) {
          for (char c : esc) {
            current.bytes += c;
            current.one.push_back(0);
          }
          i = next + esc.size();
        } else {
          throw_error(ErrorCode::INVALID_ARGUMENT,
                      "Escape character must be followed by '%', '_' or the escape character itself");
        }
        started = true;
        last_any = false;
        continue;
      }
      char c = pattern[i++];
      if (c == '%') {
        if (!started) leading = true;
        if (!current.bytes.empty()) parts_.push_back(std::move(current));
        current = Part();
        started = true;
        last_any = true;
        continue;
      }
      current.bytes += c;
      current.one.push_back(c == '_');
      if (c == '_') current.has_one = true;
      started = true;
      last_any = false;
    }
    trailing = last_any;
    if (!current.bytes.empty()) parts_.push_back(std::move(current));
    leading_any_ = leading;
    trailing_any_ = trailing;

    bool any_one = false;
    for (const auto& p : parts_) any_one |= p.has_one;
    kind_ = Kind::GENERAL;
    if (parts_.empty()) {
      kind_ = leading_any_ ? Kind::ANY : Kind::EXACT;
    } else if (!any_one) {
      if (parts_.size() == 1) {
        literal_ = parts_[0].bytes;
        if (!leading_any_ && !trailing_any_) kind_ = Kind::EXACT;
        else if (!leading_any_) kind_ = Kind::PREFIX;
        else if (!trailing_any_) kind_ = Kind::SUFFIX;
        else kind_ = Kind::CONTAINS;
      } else if (parts_.size() == 2 && !leading_any_ && !trailing_any_) {
        literal_ = parts_[0].bytes;
        suffix_ = parts_[1].bytes;
        kind_ = Kind::PREFIX_SUFFIX;
      }
    }
  }

  bool matches(std::string_view s) const {
    switch (kind_) {
      case Kind::ANY: return true;
      case Kind::EXACT:
        return s.size() == literal_.size() && (s.empty() || std::memcmp(s.data(), literal_.data(), s.size()) == 0);
      case Kind::PREFIX:
        return s.size() >= literal_.size() && std::memcmp(s.data(), literal_.data(), literal_.size()) == 0;
      case Kind::SUFFIX:
        return s.size() >= literal_.size() &&
               std::memcmp(s.data() + s.size() - literal_.size(), literal_.data(), literal_.size()) == 0;
      case Kind::CONTAINS:
        return s.size() >= literal_.size() &&
               memmem(s.data(), s.size(), literal_.data(), literal_.size()) != nullptr;
      case Kind::PREFIX_SUFFIX:
        return s.size() >= literal_.size() + suffix_.size() &&
               std::memcmp(s.data(), literal_.data(), literal_.size()) == 0 &&
               std::memcmp(s.data() + s.size() - suffix_.size(), suffix_.data(), suffix_.size()) == 0;
      case Kind::GENERAL: return match_general(s);
    }
    return false;
  }

 private:
  // Matches `part` at s[pos..]; on success sets *end past the match.
  static bool match_part_at(const Part& part, std::string_view s, size_t pos, size_t* end) {
    for (size_t k = 0; k < part.bytes.size(); k++) {
      if (pos >= s.size()) return false;
      if (part.one[k]) {
        pos += utf8_length((unsigned char)s[pos]);
        if (pos > s.size()) pos = s.size();
      } else {
        if (s[pos] != part.bytes[k]) return false;
        pos++;
      }
    }
    *end = pos;
    return true;
  }

  static bool char_boundary(std::string_view s, size_t pos) {
    return pos >= s.size() || ((unsigned char)s[pos] & 0xC0) != 0x80;
  }

  // Leftmost placement of `part` at or after pos.
  static bool find_part(const Part& part, std::string_view s, size_t pos, size_t* end) {
    if (!part.has_one) {
      if (s.size() < pos + part.bytes.size()) return false;
      const void* hit = memmem(s.data() + pos, s.size() - pos, part.bytes.data(), part.bytes.size());
      if (!hit) return false;
      *end = (size_t)((const char*)hit - s.data()) + part.bytes.size();
      return true;
    }
    for (size_t p = pos; p < s.size(); p++) {
      if (!char_boundary(s, p)) continue;
      if (match_part_at(part, s, p, end)) return true;
    }
    return false;
  }

  bool match_general(std::string_view s) const {
    size_t n = parts_.size();
    size_t pos = 0;
    size_t first = 0;
    if (!leading_any_) {
      if (!match_part_at(parts_[0], s, 0, &pos)) return false;
      first = 1;
      if (n == 1 && !trailing_any_) return pos == s.size();
    }
    size_t middle_end = (!trailing_any_ && first < n) ? n - 1 : n;
    for (size_t i = first; i < middle_end; i++) {
      if (!find_part(parts_[i], s, pos, &pos)) return false;
    }
    if (middle_end == n) return true;
    // The last part is anchored at the end.
    const Part& last = parts_[n - 1];
    if (!last.has_one) {
      size_t len = last.bytes.size();
      return s.size() >= pos + len && std::memcmp(s.data() + s.size() - len, last.bytes.data(), len) == 0;
    }
    for (size_t p = pos; p <= s.size(); p++) {
      if (!char_boundary(s, p)) continue;
      size_t end;
      if (match_part_at(last, s, p, &end) && end == s.size()) return true;
    }
    return false;
  }

  Kind kind_ = Kind::GENERAL;
  std::vector<Part> parts_;
  bool leading_any_ = false;
  bool trailing_any_ = false;
  std::string literal_;
  std::string suffix_;
};

void like_kernel(KernelCall& call, Vector& out) {
  const auto* values = call.args[0].data<std::string_view>();
  uint8_t* result = out.data<uint8_t>();
  bool nulls = kernel::propagate_nulls(call.args, call.count, out);
  const uint8_t* n = out.nulls();
  if (call.state) {
    const auto& pattern = *static_cast<const LikePattern*>(call.state);
    if (!nulls) {
      for (size_t i = 0; i < call.count; i++) result[i] = pattern.matches(values[i]);
    } else {
      for (size_t i = 0; i < call.count; i++)
        if (!n[i]) result[i] = pattern.matches(values[i]);
    }
    return;
  }
  // Pattern (or escape) varies per row: recompile only when it changes.
  const auto* patterns = call.args[1].data<std::string_view>();
  const std::string_view* escapes = call.args.size() > 2 ? call.args[2].data<std::string_view>() : nullptr;
  std::unique_ptr<LikePattern> compiled;
  std::string last_pattern, last_escape;
  for (size_t i = 0; i < call.count; i++) {
    if (nulls && n[i]) continue;
    std::string_view p = patterns[i];
    std::string_view e = escapes ? escapes[i] : std::string_view();
    if (!compiled || p != last_pattern || e != last_escape) {
      compiled = std::make_unique<LikePattern>(p, escapes ? &e : nullptr);
      last_pattern.assign(p);
      last_escape.assign(e);
    }
    result[i] = compiled->matches(values[i]);
  }
}

}  // namespace

void register_like_operator(FunctionRegistry& registry) {
  registry.add_signature_doc("$like", "like(varchar, varchar)");
  registry.add_signature_doc("$like", "like(varchar, varchar, varchar)");
  registry.add_scalar("$like", [](const std::vector<Type>& args, const std::vector<const Value*>& constants,
                                  BoundFunction* out) {
    if (args.size() != 2 && args.size() != 3) return false;
    for (const auto& t : args) {
      if (t.id != TypeId::VARCHAR && t.id != TypeId::UNKNOWN) return false;
    }
    out->name = "$like";
    out->arg_types.clear();
    for (const auto& t : args) out->arg_types.push_back(t.id == TypeId::UNKNOWN ? Type::varchar() : t);
    out->return_type = Type::boolean();
    out->kernel = like_kernel;
    out->state = nullptr;
    const Value* pattern = constants.size() > 1 ? constants[1] : nullptr;
    const Value* escape = args.size() > 2 && constants.size() > 2 ? constants[2] : nullptr;
    bool constant = pattern && !pattern->is_null && pattern->type.id == TypeId::VARCHAR;
    if (args.size() > 2) constant = constant && escape && !escape->is_null && escape->type.id == TypeId::VARCHAR;
    if (constant) {
      std::string_view escape_text = escape ? std::string_view(escape->s) : std::string_view();
      out->state = std::make_shared<const LikePattern>(pattern->s, escape ? &escape_text : nullptr);
    }
    return true;
  });
}

}  // namespace tributary
