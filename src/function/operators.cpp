// Arithmetic and comparison operators ($add ... $ge) and mod(). Overflow is
// checked against the LOGICAL type (an INTEGER sum outside int32 fails even
// though vectors hold int64), as Trino does. Decimal operators compute Trino's
// exact result types; the overflow checks are compiled out of the loop when the
// result precision is below 38 and therefore cannot overflow by construction.
// LIKE lives in like_operator.cpp.
#include <cmath>
#include <cstring>
#include <string>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

void register_like_operator(FunctionRegistry& registry);  // like_operator.cpp

namespace {

using kernel::binary_kernel;
using kernel::unary_kernel;

enum class Op { ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULUS };

const char* op_word(Op op) {
  switch (op) {
    case Op::ADD: return "addition";
    case Op::SUBTRACT: return "subtraction";
    case Op::MULTIPLY: return "multiplication";
    case Op::DIVIDE: return "division";
    case Op::MODULUS: return "modulus";
  }
  return "";
}

const char* op_symbol(Op op) {
  switch (op) {
    case Op::ADD: return "+";
    case Op::SUBTRACT: return "-";
    case Op::MULTIPLY: return "*";
    case Op::DIVIDE: return "/";
    case Op::MODULUS: return "%";
  }
  return "";
}

const char* op_name(Op op) {
  switch (op) {
    case Op::ADD: return "$add";
    case Op::SUBTRACT: return "$subtract";
    case Op::MULTIPLY: return "$multiply";
    case Op::DIVIDE: return "$divide";
    case Op::MODULUS: return "$modulus";
  }
  return "";
}

[[noreturn]] __attribute__((noinline, cold)) void integer_overflow(TypeId type, Op op, int64_t a, int64_t b) {
  throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, Type{type}.to_string() + " " + op_word(op) + " overflow: " +
                                                   std::to_string(a) + " " + op_symbol(op) + " " + std::to_string(b));
}

[[noreturn]] __attribute__((noinline, cold)) void division_by_zero() {
  throw_error(ErrorCode::DIVISION_BY_ZERO, "Division by zero");
}

[[noreturn]] __attribute__((noinline, cold)) void decimal_overflow() {
  throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Decimal overflow");
}

constexpr int64_t logical_min(TypeId id) {
  return id == TypeId::TINYINT ? INT8_MIN : id == TypeId::SMALLINT ? INT16_MIN : id == TypeId::INTEGER ? INT32_MIN : INT64_MIN;
}
constexpr int64_t logical_max(TypeId id) {
  return id == TypeId::TINYINT ? INT8_MAX : id == TypeId::SMALLINT ? INT16_MAX : id == TypeId::INTEGER ? INT32_MAX : INT64_MAX;
}

// ---- integers ----

template <Op O, TypeId T>
inline int64_t integer_op(int64_t a, int64_t b) {
  constexpr int64_t lo = logical_min(T);
  constexpr int64_t hi = logical_max(T);
  int64_t r = 0;
  if constexpr (O == Op::ADD) {
    if (__builtin_add_overflow(a, b, &r) || r < lo || r > hi) [[unlikely]]
      integer_overflow(T, O, a, b);
  } else if constexpr (O == Op::SUBTRACT) {
    if (__builtin_sub_overflow(a, b, &r) || r < lo || r > hi) [[unlikely]]
      integer_overflow(T, O, a, b);
  } else if constexpr (O == Op::MULTIPLY) {
    if (__builtin_mul_overflow(a, b, &r) || r < lo || r > hi) [[unlikely]]
      integer_overflow(T, O, a, b);
  } else if constexpr (O == Op::DIVIDE) {
    if (b == 0) [[unlikely]]
      division_by_zero();
    if (b == -1) {
      if (a == lo) [[unlikely]]
        integer_overflow(T, O, a, b);
      return -a;
    }
    r = a / b;  // C++ truncates toward zero, like Trino
  } else {
    if (b == 0) [[unlikely]]
      division_by_zero();
    if (b == -1) return 0;
    r = a % b;  // sign of the dividend, like Java
  }
  return r;
}

template <Op O, TypeId T>
void integer_kernel(KernelCall& call, Vector& out) {
  binary_kernel<int64_t, int64_t, int64_t>(call, out, [](int64_t a, int64_t b) { return integer_op<O, T>(a, b); });
}

template <TypeId T>
void integer_negate(KernelCall& call, Vector& out) {
  unary_kernel<int64_t, int64_t>(call, out, [](int64_t a) {
    if (a == logical_min(T)) [[unlikely]]
      throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, Type{T}.to_string() + " negation overflow: " + std::to_string(a));
    return -a;
  });
}

template <TypeId T>
void register_integer_type(FunctionRegistry& r) {
  Type t{T};
  r.add_simple("$add", {t, t}, t, integer_kernel<Op::ADD, T>);
  r.add_simple("$subtract", {t, t}, t, integer_kernel<Op::SUBTRACT, T>);
  r.add_simple("$multiply", {t, t}, t, integer_kernel<Op::MULTIPLY, T>);
  r.add_simple("$divide", {t, t}, t, integer_kernel<Op::DIVIDE, T>);
  r.add_simple("$modulus", {t, t}, t, integer_kernel<Op::MODULUS, T>);
  r.add_simple("mod", {t, t}, t, integer_kernel<Op::MODULUS, T>);
  r.add_simple("$negate", {t}, t, integer_negate<T>);
}

// ---- floating point (REAL results are rounded to float precision) ----

template <Op O, bool Real>
void float_kernel(KernelCall& call, Vector& out) {
  binary_kernel<double, double, double>(call, out, [](double a, double b) {
    double r;
    if constexpr (O == Op::ADD) r = a + b;
    else if constexpr (O == Op::SUBTRACT) r = a - b;
    else if constexpr (O == Op::MULTIPLY) r = a * b;
    else if constexpr (O == Op::DIVIDE) r = a / b;
    else r = std::fmod(a, b);
    if constexpr (Real) r = (double)(float)r;
    return r;
  });
}

template <bool Real>
void register_float_type(FunctionRegistry& r) {
  Type t = Real ? Type::real() : Type::double_();
  r.add_simple("$add", {t, t}, t, float_kernel<Op::ADD, Real>);
  r.add_simple("$subtract", {t, t}, t, float_kernel<Op::SUBTRACT, Real>);
  r.add_simple("$multiply", {t, t}, t, float_kernel<Op::MULTIPLY, Real>);
  r.add_simple("$divide", {t, t}, t, float_kernel<Op::DIVIDE, Real>);
  r.add_simple("$modulus", {t, t}, t, float_kernel<Op::MODULUS, Real>);
  r.add_simple("mod", {t, t}, t, float_kernel<Op::MODULUS, Real>);
  r.add_simple("$negate", {t}, t, [](KernelCall& call, Vector& out) {
    unary_kernel<double, double>(call, out, [](double a) { return -a; });
  });
}

// ---- decimals ----

// Decimal operands of a binary operator: at least one DECIMAL, the other a
// decimal or an integer (treated as integer_as_decimal) or UNKNOWN.
bool decimal_operands(const std::vector<Type>& args, Type* a, Type* b) {
  if (args.size() != 2) return false;
  if (args[0].id != TypeId::DECIMAL && args[1].id != TypeId::DECIMAL) return false;
  Type* outs[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    const Type& t = args[i];
    if (t.id == TypeId::DECIMAL) *outs[i] = t;
    else if (t.is_integer()) *outs[i] = integer_as_decimal(t.id);
    else if (t.id == TypeId::UNKNOWN) *outs[i] = Type::decimal(1, 0);
    else return false;
  }
  return true;
}

inline int128 max38() { return decimal::max_unscaled(38); }

template <bool Subtract>
ScalarKernel decimal_add_kernel(int sa, int sb, int precision) {
  int s = std::max(sa, sb);
  int128 ma = decimal::pow10(s - sa);
  int128 mb = decimal::pow10(s - sb);
  bool checked = precision >= 38;
  return [=](KernelCall& call, Vector& out) {
    if (!checked) {
      // The result fits its precision by construction: no checks in the loop.
      if (sa == sb) {
        binary_kernel<int128, int128, int128>(call, out, [](int128 a, int128 b) { return Subtract ? a - b : a + b; });
      } else if (sa < sb) {
        binary_kernel<int128, int128, int128>(call, out,
                                              [ma](int128 a, int128 b) { return Subtract ? a * ma - b : a * ma + b; });
      } else {
        binary_kernel<int128, int128, int128>(call, out,
                                              [mb](int128 a, int128 b) { return Subtract ? a - b * mb : a + b * mb; });
      }
      return;
    }
    const int128 limit = max38();
    binary_kernel<int128, int128, int128>(call, out, [=](int128 a, int128 b) {
      int128 x, y, r;
      bool overflow = __builtin_mul_overflow(a, ma, &x) | __builtin_mul_overflow(b, mb, &y);
      overflow |= Subtract ? __builtin_sub_overflow(x, y, &r) : __builtin_add_overflow(x, y, &r);
      if (overflow || r > limit || r < -limit) [[unlikely]]
        decimal_overflow();
      return r;
    });
  };
}

ScalarKernel decimal_multiply_kernel(int precision) {
  bool checked = precision >= 38;
  return [=](KernelCall& call, Vector& out) {
    if (!checked) {
      binary_kernel<int128, int128, int128>(call, out, [](int128 a, int128 b) { return a * b; });
      return;
    }
    const int128 limit = max38();
    binary_kernel<int128, int128, int128>(call, out, [=](int128 a, int128 b) {
      int128 r;
      if (__builtin_mul_overflow(a, b, &r) || r > limit || r < -limit) [[unlikely]]
        decimal_overflow();
      return r;
    });
  };
}

ScalarKernel decimal_divide_kernel(int sa, int sb, int s, int precision) {
  int shift = s + sb - sa;  // result unscaled = a * 10^shift / b
  int128 limit = decimal::max_unscaled(precision);
  return [=](KernelCall& call, Vector& out) {
    int128 m = shift <= 38 ? decimal::pow10(shift) : 0;
    binary_kernel<int128, int128, int128>(call, out, [=](int128 a, int128 b) {
      if (b == 0) [[unlikely]]
        division_by_zero();
      int128 numerator;
      if (m == 0 || __builtin_mul_overflow(a, m, &numerator)) [[unlikely]]
        decimal_overflow();
      int128 r = decimal::divide_round(numerator, b);
      if (r > limit || r < -limit) [[unlikely]]
        decimal_overflow();
      return r;
    });
  };
}

ScalarKernel decimal_modulus_kernel(int sa, int sb) {
  int s = std::max(sa, sb);
  int128 ma = decimal::pow10(s - sa);
  int128 mb = decimal::pow10(s - sb);
  return [=](KernelCall& call, Vector& out) {
    binary_kernel<int128, int128, int128>(call, out, [=](int128 a, int128 b) {
      if (b == 0) [[unlikely]]
        division_by_zero();
      int128 x, y;
      if (__builtin_mul_overflow(a, ma, &x) || __builtin_mul_overflow(b, mb, &y)) [[unlikely]]
        decimal_overflow();
      return x % y;
    });
  };
}

void register_decimal_operator(FunctionRegistry& r, Op op, const char* name) {
  r.add_scalar(name, [op, name](const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    Type a, b;
    if (!decimal_operands(args, &a, &b)) return false;
    int pa = a.precision, sa = a.scale, pb = b.precision, sb = b.scale;
    int p = 0, s = 0;
    switch (op) {
      case Op::ADD:
      case Op::SUBTRACT:
        s = std::max(sa, sb);
        p = std::min(38, std::max(pa - sa, pb - sb) + s + 1);
        out->kernel = op == Op::ADD ? decimal_add_kernel<false>(sa, sb, p) : decimal_add_kernel<true>(sa, sb, p);
        break;
      case Op::MULTIPLY:
        s = sa + sb;
        p = std::min(38, pa + pb);
        if (s > 38) {
          throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE,
                      "DECIMAL scale must be in range [0, 38]: multiplication of " + a.to_string() + " and " +
                          b.to_string());
        }
        out->kernel = decimal_multiply_kernel(p);
        break;
      case Op::DIVIDE:
        s = std::max(sa, sb);
        p = std::min(38, pa + sb + std::max(0, sb - sa));
        out->kernel = decimal_divide_kernel(sa, sb, s, p);
        break;
      case Op::MODULUS:
        s = std::max(sa, sb);
        p = std::min(38, std::min(pa - sa, pb - sb) + s);
        out->kernel = decimal_modulus_kernel(sa, sb);
        break;
    }
    out->name = name;
    out->arg_types = {a, b};
    out->return_type = Type::decimal(std::max(p, 1), s);
    return true;
  });
  r.add_signature_doc(name, std::string(name) + "(decimal(p1,s1), decimal(p2,s2))");
}

// ---- comparisons ----

enum class Cmp { EQ, NE, LT, LE, GT, GE };

template <Cmp C, class T>
inline bool compare_values(const T& a, const T& b) {
  if constexpr (C == Cmp::EQ) return a == b;
  else if constexpr (C == Cmp::NE) return a != b;
  else if constexpr (C == Cmp::LT) return a < b;
  else if constexpr (C == Cmp::LE) return a <= b;
  else if constexpr (C == Cmp::GT) return a > b;
  else return a >= b;
}

// Bytewise order, a shorter prefix first.
inline int compare_bytes(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

template <Cmp C>
void compare_kernel(KernelCall& call, Vector& out) {
  switch (call.args[0].type().physical()) {
    case PhysicalType::BOOL:
      binary_kernel<uint8_t, uint8_t, uint8_t>(
          call, out, [](uint8_t a, uint8_t b) -> uint8_t { return compare_values<C>(a != 0, b != 0); });
      break;
    case PhysicalType::I64:
      binary_kernel<int64_t, int64_t, uint8_t>(call, out,
                                               [](int64_t a, int64_t b) -> uint8_t { return compare_values<C>(a, b); });
      break;
    case PhysicalType::F64:
      binary_kernel<double, double, uint8_t>(call, out,
                                             [](double a, double b) -> uint8_t { return compare_values<C>(a, b); });
      break;
    case PhysicalType::I128:
      binary_kernel<int128, int128, uint8_t>(call, out,
                                             [](int128 a, int128 b) -> uint8_t { return compare_values<C>(a, b); });
      break;
    case PhysicalType::STRING:
      if constexpr (C == Cmp::EQ || C == Cmp::NE) {
        binary_kernel<std::string_view, std::string_view, uint8_t>(
            call, out, [](std::string_view a, std::string_view b) -> uint8_t {
              bool equal = a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
              return C == Cmp::EQ ? equal : !equal;
            });
      } else {
        binary_kernel<std::string_view, std::string_view, uint8_t>(
            call, out, [](std::string_view a, std::string_view b) -> uint8_t {
              return compare_values<C>(compare_bytes(a, b), 0);
            });
      }
      break;
  }
}

template <Cmp C>
void register_comparison(FunctionRegistry& r, const char* name) {
  r.add_scalar(name, [name](const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    if (args.size() != 2) return false;
    Type super;
    if (!common_super_type(args[0], args[1], &super)) return false;
    const Type& a = args[0];
    const Type& b = args[1];
    // Same physical representation with the same meaning: compare without coercion.
    bool same_representation = a.id != TypeId::UNKNOWN && b.id != TypeId::UNKNOWN &&
                               a.physical() == b.physical() && a.id != TypeId::DECIMAL && b.id != TypeId::DECIMAL &&
                               (a.is_temporal() == b.is_temporal()) && (!a.is_temporal() || a.id == b.id) &&
                               (a.is_interval() == b.is_interval());
    out->name = name;
    out->arg_types = same_representation ? args : std::vector<Type>{super, super};
    out->return_type = Type::boolean();
    out->kernel = compare_kernel<C>;
    return true;
  });
  r.add_signature_doc(name, std::string(name) + "(T, T)");
}

// ---- date, timestamp and interval arithmetic ----

constexpr int64_t kMillisPerDay = 86400000;

inline int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) [[unlikely]]
    throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Interval arithmetic overflow");
  return r;
}
inline int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) [[unlikely]]
    throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Interval arithmetic overflow");
  return r;
}

inline int64_t date_plus_millis(int64_t days, int64_t millis) {
  if (millis % kMillisPerDay != 0) [[unlikely]]
    throw_error(ErrorCode::INVALID_ARGUMENT, "Cannot add hour, minutes or seconds to a date");
  return days + millis / kMillisPerDay;
}

// A binder for a fixed signature whose TIMESTAMP parameters accept any precision
// and whose result (when TIMESTAMP) takes the timestamp argument's precision.
void add_temporal(FunctionRegistry& r, const std::string& name, std::vector<Type> params, Type result,
                  ScalarKernel kernel) {
  std::string doc = name + "(";
  for (size_t i = 0; i < params.size(); i++) doc += (i ? ", " : "") + params[i].to_string();
  r.add_signature_doc(name, doc + ")");
  r.add_scalar(name, [=](const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    if (args.size() != params.size()) return false;
    std::vector<Type> bound = params;
    Type ret = result;
    for (size_t i = 0; i < args.size(); i++) {
      if (args[i].id == TypeId::UNKNOWN) continue;
      if (params[i].id == TypeId::TIMESTAMP && args[i].id == TypeId::TIMESTAMP) {
        bound[i] = args[i];
        if (ret.id == TypeId::TIMESTAMP) ret = args[i];
        continue;
      }
      if (params[i].is_integer() || params[i].id == TypeId::DOUBLE) {
        if (!can_coerce(args[i], params[i])) return false;
        continue;
      }
      if (args[i].id != params[i].id) return false;
    }
    out->name = name;
    out->arg_types = std::move(bound);
    out->return_type = ret;
    out->kernel = kernel;
    return true;
  });
}

void register_temporal_arithmetic(FunctionRegistry& r) {
  const Type date = Type::date(), ts = Type::timestamp(3), dt = Type::interval_day_time(),
             ym = Type::interval_year_month(), bigint = Type::bigint(), dbl = Type::double_();
  auto date_plus_dt = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o, [](int64_t d, int64_t ms) { return date_plus_millis(d, ms); });
  };
  auto dt_plus_date = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o, [](int64_t ms, int64_t d) { return date_plus_millis(d, ms); });
  };
  auto date_minus_dt = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o, [](int64_t d, int64_t ms) { return date_plus_millis(d, -ms); });
  };
  auto date_plus_ym = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t d, int64_t months) { return datetime::add_months_to_days(d, months); });
  };
  auto ym_plus_date = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t months, int64_t d) { return datetime::add_months_to_days(d, months); });
  };
  auto date_minus_ym = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t d, int64_t months) { return datetime::add_months_to_days(d, -months); });
  };
  auto ts_plus_dt = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o,
                                             [](int64_t t, int64_t ms) { return checked_add(t, checked_mul(ms, 1000)); });
  };
  auto dt_plus_ts = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o,
                                             [](int64_t ms, int64_t t) { return checked_add(t, checked_mul(ms, 1000)); });
  };
  auto ts_minus_dt = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t t, int64_t ms) { return checked_add(t, -checked_mul(ms, 1000)); });
  };
  auto ts_plus_ym = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t t, int64_t months) { return datetime::add_months_to_micros(t, months); });
  };
  auto ym_plus_ts = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t months, int64_t t) { return datetime::add_months_to_micros(t, months); });
  };
  auto ts_minus_ym = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t t, int64_t months) { return datetime::add_months_to_micros(t, -months); });
  };
  auto ts_minus_ts = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(
        c, o, [](int64_t a, int64_t b) { return datetime::floor_div(checked_add(a, -b), 1000); });
  };
  auto interval_add = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o, [](int64_t a, int64_t b) { return checked_add(a, b); });
  };
  auto interval_subtract = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o, [](int64_t a, int64_t b) {
      int64_t r;
      if (__builtin_sub_overflow(a, b, &r)) throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Interval arithmetic overflow");
      return r;
    });
  };
  auto interval_times_bigint = [](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o, [](int64_t a, int64_t b) { return checked_mul(a, b); });
  };
  auto to_interval = [](double v) -> int64_t {
    if (!std::isfinite(v) || std::fabs(v) > 9.2e18)
      throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Interval arithmetic overflow");
    return (int64_t)std::llround(v);
  };
  auto interval_times_double = [to_interval](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, double, int64_t>(c, o, [&](int64_t a, double b) { return to_interval((double)a * b); });
  };
  auto double_times_interval = [to_interval](KernelCall& c, Vector& o) {
    binary_kernel<double, int64_t, int64_t>(c, o, [&](double a, int64_t b) { return to_interval(a * (double)b); });
  };
  auto interval_divide_double = [to_interval](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, double, int64_t>(c, o, [&](int64_t a, double b) {
      if (b == 0) division_by_zero();
      return to_interval((double)a / b);
    });
  };
  auto negate = [](KernelCall& c, Vector& o) {
    unary_kernel<int64_t, int64_t>(c, o, [](int64_t a) {
      if (a == INT64_MIN) throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Interval arithmetic overflow");
      return -a;
    });
  };

  add_temporal(r, "$add", {date, dt}, date, date_plus_dt);
  add_temporal(r, "$add", {dt, date}, date, dt_plus_date);
  add_temporal(r, "$add", {date, ym}, date, date_plus_ym);
  add_temporal(r, "$add", {ym, date}, date, ym_plus_date);
  add_temporal(r, "$subtract", {date, dt}, date, date_minus_dt);
  add_temporal(r, "$subtract", {date, ym}, date, date_minus_ym);
  add_temporal(r, "$add", {ts, dt}, ts, ts_plus_dt);
  add_temporal(r, "$add", {dt, ts}, ts, dt_plus_ts);
  add_temporal(r, "$add", {ts, ym}, ts, ts_plus_ym);
  add_temporal(r, "$add", {ym, ts}, ts, ym_plus_ts);
  add_temporal(r, "$subtract", {ts, dt}, ts, ts_minus_dt);
  add_temporal(r, "$subtract", {ts, ym}, ts, ts_minus_ym);
  add_temporal(r, "$subtract", {ts, ts}, dt, ts_minus_ts);
  for (const Type& interval : {dt, ym}) {
    add_temporal(r, "$add", {interval, interval}, interval, interval_add);
    add_temporal(r, "$subtract", {interval, interval}, interval, interval_subtract);
    add_temporal(r, "$multiply", {interval, bigint}, interval, interval_times_bigint);
    add_temporal(r, "$multiply", {bigint, interval}, interval, interval_times_bigint);
    add_temporal(r, "$multiply", {interval, dbl}, interval, interval_times_double);
    add_temporal(r, "$multiply", {dbl, interval}, interval, double_times_interval);
    add_temporal(r, "$divide", {interval, dbl}, interval, interval_divide_double);
    add_temporal(r, "$negate", {interval}, interval, negate);
  }
}

}  // namespace

void register_operators(FunctionRegistry& registry) {
  register_integer_type<TypeId::TINYINT>(registry);
  register_integer_type<TypeId::SMALLINT>(registry);
  register_integer_type<TypeId::INTEGER>(registry);
  register_integer_type<TypeId::BIGINT>(registry);
  register_float_type<true>(registry);
  register_float_type<false>(registry);
  for (Op op : {Op::ADD, Op::SUBTRACT, Op::MULTIPLY, Op::DIVIDE, Op::MODULUS}) {
    register_decimal_operator(registry, op, op_name(op));
  }
  register_decimal_operator(registry, Op::MODULUS, "mod");
  registry.add_scalar("$negate", [](const std::vector<Type>& args, const std::vector<const Value*>&,
                                     BoundFunction* out) {
    if (args.size() != 1 || args[0].id != TypeId::DECIMAL) return false;
    out->name = "$negate";
    out->arg_types = args;
    out->return_type = args[0];
    out->kernel = [](KernelCall& call, Vector& out) {
      unary_kernel<int128, int128>(call, out, [](int128 a) { return -a; });
    };
    return true;
  });
  register_comparison<Cmp::EQ>(registry, "$eq");
  register_comparison<Cmp::NE>(registry, "$ne");
  register_comparison<Cmp::LT>(registry, "$lt");
  register_comparison<Cmp::LE>(registry, "$le");
  register_comparison<Cmp::GT>(registry, "$gt");
  register_comparison<Cmp::GE>(registry, "$ge");
  register_temporal_arithmetic(registry);
  register_like_operator(registry);
}

}  // namespace tributary
