// Internal to src/function: the binding helpers and UTF-8 primitives shared by
// the string functions (string_functions.cpp) and the regular-expression
// functions (regexp_functions.cpp). Not part of the function library's interface.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

// regexp_like, regexp_extract, regexp_replace, regexp_count, regexp_position (RE2);
// called from register_string_functions.
void register_regexp_functions(FunctionRegistry& registry);

namespace string_kernels {

using std::string_view;

inline constexpr string_view kEmpty("", 0);

// ---------------------------------------------------------------- binding

// Whether `arg` fits `param`; VARCHAR parameters keep the argument's varchar
// type (so varchar(x) results can be typed), other parameters coerce.
inline bool fits(const Type& arg, const Type& param, Type* bound) {
  if (param.id == TypeId::VARCHAR) {
    if (arg.id == TypeId::VARCHAR) {
      *bound = arg;
      return true;
    }
    if (arg.id == TypeId::UNKNOWN) {
      *bound = Type::varchar();
      return true;
    }
    return false;
  }
  if (arg == param || arg.id == TypeId::UNKNOWN || can_coerce(arg, param)) {
    *bound = param;
    return true;
  }
  return false;
}

using ResultRule = std::function<Type(const std::vector<Type>& bound)>;
using StateMaker =
    std::function<std::shared_ptr<const void>(const std::vector<Type>& bound, const std::vector<const Value*>& constants)>;

inline std::string signature_doc(const std::string& name, const std::vector<Type>& params) {
  std::string doc = name + "(";
  for (size_t i = 0; i < params.size(); i++) {
    if (i) doc += ", ";
    doc += params[i].id == TypeId::VARCHAR ? "varchar" : params[i].to_string();
  }
  return doc + ")";
}

// Registers one fixed-arity overload.
inline void define(FunctionRegistry& registry, const std::string& name, std::vector<Type> params, ResultRule result,
            ScalarKernel kernel, StateMaker make_state = nullptr) {
  registry.add_signature_doc(name, signature_doc(name, params));
  registry.add_scalar(name, [name, params, result, kernel, make_state](const std::vector<Type>& args,
                                                                       const std::vector<const Value*>& constants,
                                                                       BoundFunction* out) {
    if (args.size() != params.size()) return false;
    std::vector<Type> bound(args.size());
    for (size_t i = 0; i < args.size(); i++) {
      if (!fits(args[i], params[i], &bound[i])) return false;
    }
    out->name = name;
    out->return_type = result(bound);
    out->kernel = kernel;
    out->state = make_state ? make_state(bound, constants) : nullptr;
    out->deterministic = true;
    out->arg_types = std::move(bound);
    return true;
  });
}

inline ResultRule returns(Type type) {
  return [type](const std::vector<Type>&) { return type; };
}
// varchar(x) in, varchar(x) out.
inline ResultRule same_as_first() {
  return [](const std::vector<Type>& bound) { return bound[0]; };
}

inline const Type kVarchar = Type::varchar();
inline const Type kBigint = Type::bigint();
inline const Type kVarbinary = Type::varbinary();

// Calls f(row) for every row whose arguments are all non-NULL.
template <class F>
inline void for_rows(KernelCall& call, Vector& out, F&& f) {
  bool nulls = kernel::propagate_nulls(call.args, call.count, out);
  const uint8_t* n = out.nulls();
  if (!nulls) {
    for (size_t i = 0; i < call.count; i++) f(i);
  } else {
    for (size_t i = 0; i < call.count; i++)
      if (!n[i]) f(i);
  }
}

inline const string_view* strings(const KernelCall& call, size_t arg) {
  return call.args[arg].data<string_view>();
}
inline const int64_t* integers(const KernelCall& call, size_t arg) { return call.args[arg].data<int64_t>(); }

// ---------------------------------------------------------------- UTF-8

inline bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

inline size_t count_code_points(string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += !is_continuation(c);
  return n;
}

// Byte offset reached after skipping `n` code points from byte `from` (s.size() at the end).
inline size_t skip_code_points(string_view s, size_t from, int64_t n) {
  size_t i = from;
  const size_t size = s.size();
  while (n > 0 && i < size) {
    i++;
    while (i < size && is_continuation((unsigned char)s[i])) i++;
    n--;
  }
  return i;
}

// Length in bytes of the code point starting at s[i] (at least 1).
inline size_t code_point_length(string_view s, size_t i) {
  size_t j = i + 1;
  while (j < s.size() && is_continuation((unsigned char)s[j])) j++;
  return j - i;
}

// Decodes the code point at s[i]; returns -1 (length 1) for an invalid sequence.
inline int32_t decode(string_view s, size_t i, size_t* length) {
  unsigned char c = (unsigned char)s[i];
  *length = 1;
  if (c < 0x80) return c;
  int extra;
  int32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    cp = c & 0x07;
  } else {
    return -1;
  }
  if (i + extra >= s.size()) return -1;
  for (int k = 1; k <= extra; k++) {
    unsigned char d = (unsigned char)s[i + k];
    if (!is_continuation(d)) return -1;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
    return -1;
  *length = (size_t)extra + 1;
  return cp;
}

// Writes the UTF-8 form of `cp` to out; returns the number of bytes (1..4).
inline int encode(int32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace string_kernels
}  // namespace tributary
