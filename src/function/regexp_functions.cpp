// Regular-expression functions (regexp_like/extract/replace/count/position) on RE2,
// with Java/Joni pattern and Trino replacement syntax translated; a constant
// pattern is compiled once at bind time, a pattern column is cached per call.
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "function/function.h"
#include "function/string_function_helpers.h"

namespace tributary {

namespace {

using namespace string_kernels;

// Java/Joni spells named groups (?<name>...); RE2 releases before 2023 only know (?P<name>...).
std::string translate_pattern(string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 4);
  for (size_t i = 0; i < pattern.size(); i++) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += c;
      out += pattern[++i];
      continue;
    }
    if (c == '(' && i + 3 < pattern.size() && pattern[i + 1] == '?' && pattern[i + 2] == '<' &&
        pattern[i + 3] != '=' && pattern[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

std::unique_ptr<RE2> compile_pattern(string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(translate_pattern(pattern), options);
  if (!re->ok()) throw_error(ErrorCode::INVALID_ARGUMENT, re->error());
  return re;
}

// One piece of a parsed regexp_replace replacement: literal bytes or a group.
struct ReplacementPiece {
  std::string literal;
  int group = -1;
};

// A replacement parsed against a pattern; `error` is raised on first use, as
// Trino only validates the replacement when a match is found.
struct Replacement {
  std::vector<ReplacementPiece> pieces;
  std::string error;
};

Replacement parse_replacement(string_view text, const RE2& re) {
  Replacement result;
  const int groups = re.NumberOfCapturingGroups() + 1;  // Joni's numRegs
  auto illegal = [&](std::string message) {
    result.pieces.clear();
    result.error = std::move(message);
    return result;
  };
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) result.pieces.push_back({std::move(literal), -1});
    literal.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '$') {
      i++;
      if (i == text.size()) return illegal("Illegal replacement sequence: " + std::string(text));
      int group;
      if (text[i] == '{') {
        i++;
        size_t start = i;
        while (i < text.size() && text[i] != '}') i++;
        std::string name(text.substr(start, i - start));
        const auto& names = re.NamedCapturingGroups();
        auto it = names.find(name);
        if (it == names.end()) return illegal("Illegal replacement sequence: unknown group { " + name + " }");
        group = it->second;
        i++;
      } else {
        group = text[i] - '0';
        if (group < 0 || group > 9 || group >= groups) {
          return illegal("Illegal replacement sequence: " + std::string(text));
        }
        i++;
        // Longest group number that exists: $12 is group 12 if there are 12 groups, else group 1 then '2'.
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
          int extended = group * 10 + (text[i] - '0');
          if (extended >= groups) break;
          group = extended;
          i++;
        }
      }
      flush();
      result.pieces.push_back({std::string(), group});
      continue;
    }
    if (c == '\\') {
      i++;
      if (i == text.size()) return illegal("Illegal replacement sequence: " + std::string(text));
      c = text[i];
    }
    literal += c;
    i++;
  }
  flush();
  return result;
}

struct RegexState {
  std::unique_ptr<RE2> re;                  // set when the pattern is a constant
  std::unique_ptr<Replacement> replacement;  // regexp_replace: set when pattern and replacement are constants
};

// The pattern of a row: the one compiled at bind time, or a per-call cache of
// recently used patterns for a non-constant pattern column.
class PatternSource {
 public:
  PatternSource(const KernelCall& call, size_t pattern_arg)
      : state_(static_cast<const RegexState*>(call.state)), patterns_(strings(call, pattern_arg)) {}

  const RE2& get(size_t row) {
    if (state_ && state_->re) return *state_->re;
    string_view pattern = patterns_[row];
    for (auto& [text, re] : cache_) {
      if (text == pattern) return *re;
    }
    if (cache_.size() >= 16) cache_.erase(cache_.begin());
    cache_.emplace_back(std::string(pattern), compile_pattern(pattern));
    return *cache_.back().second;
  }
  const RegexState* state() const { return state_; }

 private:
  const RegexState* state_;
  const string_view* patterns_;
  std::vector<std::pair<std::string, std::unique_ptr<RE2>>> cache_;
};

StateMaker regex_state(size_t pattern_arg, int replacement_arg = -1) {
  return [pattern_arg, replacement_arg](const std::vector<Type>&,
                                        const std::vector<const Value*>& constants) -> std::shared_ptr<const void> {
    const Value* pattern = pattern_arg < constants.size() ? constants[pattern_arg] : nullptr;
    if (!pattern || pattern->is_null) return nullptr;
    auto state = std::make_shared<RegexState>();
    state->re = compile_pattern(pattern->s);
    if (replacement_arg >= 0 && (size_t)replacement_arg < constants.size() && constants[replacement_arg] &&
        !constants[replacement_arg]->is_null) {
      state->replacement = std::make_unique<Replacement>(parse_replacement(constants[replacement_arg]->s, *state->re));
    }
    return state;
  };
}

inline re2::StringPiece piece(string_view s) { return re2::StringPiece(s.data(), s.size()); }

void regexp_like_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  uint8_t* o = out.data<uint8_t>();
  PatternSource patterns(call, 1);
  for_rows(call, out, [&](size_t i) {
    o[i] = patterns.get(i).Match(piece(s[i]), 0, s[i].size(), RE2::UNANCHORED, nullptr, 0);
  });
}

void regexp_extract_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const int64_t* group = call.args.size() > 2 ? integers(call, 2) : nullptr;
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  PatternSource patterns(call, 1);
  std::vector<re2::StringPiece> matches;
  for_rows(call, out, [&](size_t i) {
    const RE2& re = patterns.get(i);
    int64_t g = group ? group[i] : 0;
    if (g < 0) throw_error(ErrorCode::INVALID_ARGUMENT, "Group cannot be negative");
    if (g > re.NumberOfCapturingGroups()) {
      throw_error(ErrorCode::INVALID_ARGUMENT, "Pattern has " + std::to_string(re.NumberOfCapturingGroups()) +
                                                   " groups. Cannot access group " + std::to_string(g));
    }
    matches.resize((size_t)g + 1);
    if (!re.Match(piece(s[i]), 0, s[i].size(), RE2::UNANCHORED, matches.data(), (int)g + 1) ||
        matches[g].data() == nullptr) {
      out.set_null(i);
      return;
    }
    o[i] = string_view(matches[g].data(), matches[g].size());
  });
}

// Calls on_match(match_begin, match_end, groups) for each successive match, Java-style:
// after an empty match the search resumes one character further.
template <class OnMatch>
void for_each_match(const RE2& re, string_view s, re2::StringPiece* groups, int group_count, OnMatch&& on_match) {
  size_t pos = 0;
  const re2::StringPiece text = piece(s);
  while (pos <= s.size()) {
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, groups, group_count)) break;
    size_t begin = (size_t)(groups[0].data() - s.data());
    size_t end = begin + groups[0].size();
    if (!on_match(begin, end)) break;
    if (end == begin) {
      if (end >= s.size()) break;
      pos = end + code_point_length(s, end);
    } else {
      pos = end;
    }
  }
}

void regexp_replace_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const string_view* replacements = call.args.size() > 2 ? strings(call, 2) : nullptr;
  string_view* o = out.data<string_view>();
  out.share_heaps(call.args[0]);
  PatternSource patterns(call, 1);
  std::vector<re2::StringPiece> groups;
  std::string buffer;
  // Parsed replacement for a non-constant replacement (or pattern), reused while both stay the same.
  Replacement parsed;
  const RE2* parsed_for = nullptr;
  string_view parsed_text;
  for_rows(call, out, [&](size_t i) {
    const RE2& re = patterns.get(i);
    const Replacement* replacement = nullptr;
    if (replacements) {
      if (patterns.state() && patterns.state()->replacement) {
        replacement = patterns.state()->replacement.get();
      } else {
        if (parsed_for != &re || parsed_text != replacements[i]) {
          parsed = parse_replacement(replacements[i], re);
          parsed_for = &re;
          parsed_text = replacements[i];
        }
        replacement = &parsed;
      }
    }
    int group_count = 1;
    if (replacement) {
      for (const auto& p : replacement->pieces) group_count = std::max(group_count, p.group + 1);
    }
    groups.resize(group_count);
    string_view v = s[i];
    size_t copied = 0;
    bool matched = false;
    buffer.clear();
    for_each_match(re, v, groups.data(), group_count, [&](size_t begin, size_t end) {
      if (replacement && !replacement->error.empty()) throw_error(ErrorCode::INVALID_ARGUMENT, replacement->error);
      matched = true;
      buffer.append(v.substr(copied, begin - copied));
      if (replacement) {
        for (const auto& p : replacement->pieces) {
          if (p.group < 0) {
            buffer.append(p.literal);
          } else if (groups[p.group].data() != nullptr) {
            buffer.append(groups[p.group].data(), groups[p.group].size());
          }
        }
      }
      copied = end;
      return true;
    });
    if (!matched) {
      o[i] = v;
      return;
    }
    buffer.append(v.substr(copied));
    o[i] = out.add_string(buffer);
  });
}

void regexp_count_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  int64_t* o = out.data<int64_t>();
  PatternSource patterns(call, 1);
  re2::StringPiece whole;
  for_rows(call, out, [&](size_t i) {
    int64_t count = 0;
    for_each_match(patterns.get(i), s[i], &whole, 1, [&](size_t, size_t) {
      count++;
      return true;
    });
    o[i] = count;
  });
}

// regexp_position(s, pattern[, start[, occurrence]]): 1-based character index, -1 if none.
void regexp_position_kernel(KernelCall& call, Vector& out) {
  const string_view* s = strings(call, 0);
  const int64_t* start = call.args.size() > 2 ? integers(call, 2) : nullptr;
  const int64_t* occurrence = call.args.size() > 3 ? integers(call, 3) : nullptr;
  int64_t* o = out.data<int64_t>();
  PatternSource patterns(call, 1);
  re2::StringPiece whole;
  for_rows(call, out, [&](size_t i) {
    int64_t from = start ? start[i] : 1;
    int64_t nth = occurrence ? occurrence[i] : 1;
    if (from < 1) throw_error(ErrorCode::INVALID_ARGUMENT, "start position cannot be smaller than 1");
    if (nth < 1) throw_error(ErrorCode::INVALID_ARGUMENT, "occurrence cannot be smaller than 1");
    string_view v = s[i];
    const RE2& re = patterns.get(i);
    if (from > (int64_t)count_code_points(v)) {
      o[i] = -1;
      return;
    }
    size_t offset = skip_code_points(v, 0, from - 1);
    string_view tail = v.substr(offset);
    int64_t seen = 0;
    int64_t result = -1;
    for_each_match(re, tail, &whole, 1, [&](size_t begin, size_t) {
      if (++seen < nth) return true;
      result = (int64_t)count_code_points(v.substr(0, offset + begin)) + 1;
      return false;
    });
    o[i] = result;
  });
}

}  // namespace

void register_regexp_functions(FunctionRegistry& registry) {
  FunctionRegistry& r = registry;
  define(r, "regexp_like", {kVarchar, kVarchar}, returns(Type::boolean()), regexp_like_kernel, regex_state(1));
  define(r, "regexp_extract", {kVarchar, kVarchar}, same_as_first(), regexp_extract_kernel, regex_state(1));
  define(r, "regexp_extract", {kVarchar, kVarchar, kBigint}, same_as_first(), regexp_extract_kernel,
         regex_state(1));
  define(r, "regexp_replace", {kVarchar, kVarchar}, returns(kVarchar), regexp_replace_kernel, regex_state(1));
  define(r, "regexp_replace", {kVarchar, kVarchar, kVarchar}, returns(kVarchar), regexp_replace_kernel,
         regex_state(1, 2));
  define(r, "regexp_count", {kVarchar, kVarchar}, returns(kBigint), regexp_count_kernel, regex_state(1));
  define(r, "regexp_position", {kVarchar, kVarchar}, returns(Type::integer()), regexp_position_kernel,
         regex_state(1));
  define(r, "regexp_position", {kVarchar, kVarchar, kBigint}, returns(Type::integer()), regexp_position_kernel,
         regex_state(1));
  define(r, "regexp_position", {kVarchar, kVarchar, kBigint, kBigint}, returns(Type::integer()),
         regexp_position_kernel, regex_state(1));
}

}  // namespace tributary
