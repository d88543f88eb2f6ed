// Math functions with Trino's signatures: integer and decimal variants keep
// exact arithmetic (abs of the smallest integer overflows, decimal round
// rounds half away from zero at the requested digit), floating variants follow
// IEEE (NaN and Infinity pass through).
#include <cmath>
#include <random>

#include "common/decimal.h"
#include "common/error.h"
#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

namespace {

using kernel::binary_kernel;
using kernel::unary_kernel;

const Type kDouble = Type::double_();
const Type kReal = Type::real();
const Type kBigint = Type::bigint();
const Type kInteger = Type::integer();
const Type kBoolean = Type::boolean();

// ---- helpers ----

inline double round_half_away(double x) { return std::round(x); }

// round(x, d) for doubles: scales by 10^d, rounds half away from zero, scales back.
inline double round_double(double x, int64_t digits) {
  if (!std::isfinite(x)) return x;
  if (digits > 308) return x;
  if (digits < -308) return 0.0 * x;
  double factor = std::pow(10.0, (double)digits);
  double scaled = x * factor;
  if (!std::isfinite(scaled)) return x;
  double rounded = std::round(scaled);
  if (std::fabs(scaled) >= 4503599627370496.0) return x;  // already integral at this scale
  return rounded / factor;
}

inline double truncate_double(double x, int64_t digits) {
  if (!std::isfinite(x)) return x;
  if (digits > 308) return x;
  if (digits < -308) return 0.0 * x;
  double factor = std::pow(10.0, (double)digits);
  double scaled = x * factor;
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 4503599627370496.0) return x;
  return std::trunc(scaled) / factor;
}

// Rounds an integer to 10^-digits (digits < 0), half away from zero, within the logical range.
inline int64_t round_integer(int64_t x, int64_t digits, int64_t lo, int64_t hi) {
  if (digits >= 0) return x;
  if (digits < -18) return 0;
  int64_t unit = 1;
  for (int64_t k = 0; k < -digits; k++) unit *= 10;
  int128 q = decimal::divide_round((int128)x, (int128)unit) * unit;
  if (q < lo || q > hi) throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Rounding overflow: " + std::to_string(x));
  return (int64_t)q;
}

std::mt19937_64& random_engine() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

// A scalar binder over a single decimal argument whose result type is computed from it.
template <class ResultType, class KernelFactory>
void add_decimal_unary(FunctionRegistry& r, const std::string& name, ResultType result_type, KernelFactory factory) {
  r.add_signature_doc(name, name + "(decimal(p,s))");
  r.add_scalar(name, [=](const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    if (args.size() != 1 || args[0].id != TypeId::DECIMAL) return false;
    out->name = name;
    out->arg_types = args;
    out->return_type = result_type(args[0]);
    out->kernel = factory(args[0]);
    return true;
  });
}

// Same with a second (integer) argument: the digit count of round/truncate.
template <class ResultType, class KernelFactory>
void add_decimal_digits(FunctionRegistry& r, const std::string& name, ResultType result_type, KernelFactory factory) {
  r.add_signature_doc(name, name + "(decimal(p,s), integer)");
  r.add_scalar(name, [=](const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    if (args.size() != 2 || args[0].id != TypeId::DECIMAL) return false;
    if (!args[1].is_integer() && args[1].id != TypeId::UNKNOWN) return false;
    out->name = name;
    if (args[1].id == TypeId::BIGINT) return false;
    out->arg_types = {args[0], kInteger};
    out->return_type = result_type(args[0]);
    out->kernel = factory(args[0]);
    return true;
  });
}

template <class F>
void add_double_unary(FunctionRegistry& r, const char* name, F) {
  r.add_simple(name, {kDouble}, kDouble,
               [](KernelCall& c, Vector& o) { unary_kernel<double, double>(c, o, [](double x) { return F{}(x); }); });
}

template <class F>
void add_double_binary(FunctionRegistry& r, const char* name, F) {
  r.add_simple(name, {kDouble, kDouble}, kDouble, [](KernelCall& c, Vector& o) {
    binary_kernel<double, double, double>(c, o, [](double x, double y) { return F{}(x, y); });
  });
}

template <class F>
void add_constant(FunctionRegistry& r, const char* name, Type type, F, bool deterministic = true) {
  r.add_simple(
      name, {}, type,
      [](KernelCall& c, Vector& o) {
        kernel::propagate_nulls(c.args, c.count, o);
        double* out = o.data<double>();
        for (size_t i = 0; i < c.count; i++) out[i] = F{}();
      },
      deterministic);
}

// ---- integer variants ----

template <TypeId T>
void register_integer_math(FunctionRegistry& r) {
  const Type t{T};
  const int64_t lo = integer_min(T), hi = integer_max(T);
  r.add_simple("abs", {t}, t, [lo](KernelCall& c, Vector& o) {
    unary_kernel<int64_t, int64_t>(c, o, [lo](int64_t x) {
      if (x == lo) [[unlikely]]
        throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Value " + std::to_string(x) + " is out of range for abs()");
      return x < 0 ? -x : x;
    });
  });
  auto identity = [](KernelCall& c, Vector& o) { unary_kernel<int64_t, int64_t>(c, o, [](int64_t x) { return x; }); };
  for (const char* name : {"ceil", "ceiling", "floor", "round", "truncate"}) r.add_simple(name, {t}, t, identity);
  r.add_simple("round", {t, kInteger}, t, [lo, hi](KernelCall& c, Vector& o) {
    binary_kernel<int64_t, int64_t, int64_t>(c, o,
                                             [lo, hi](int64_t x, int64_t d) { return round_integer(x, d, lo, hi); });
  });
  r.add_simple("sign", {t}, t, [](KernelCall& c, Vector& o) {
    unary_kernel<int64_t, int64_t>(c, o, [](int64_t x) -> int64_t { return (x > 0) - (x < 0); });
  });
}

// ---- floating variants (REAL results rounded to float) ----

template <bool Real>
void register_floating_math(FunctionRegistry& r) {
  const Type t = Real ? kReal : kDouble;
  auto unary = [t, &r](const char* name, double (*f)(double)) {
    (void)t;
    r.add_simple(name, {t}, t, [f](KernelCall& c, Vector& o) {
      unary_kernel<double, double>(c, o, [f](double x) {
        double v = f(x);
        return Real ? (double)(float)v : v;
      });
    });
  };
  unary("abs", [](double x) { return std::fabs(x); });
  unary("ceil", [](double x) { return std::ceil(x); });
  unary("ceiling", [](double x) { return std::ceil(x); });
  unary("floor", [](double x) { return std::floor(x); });
  unary("round", [](double x) { return round_half_away(x); });
  unary("truncate", [](double x) { return std::trunc(x); });
  unary("sign", [](double x) { return std::isnan(x) ? x : (double)((x > 0) - (x < 0)); });
  r.add_simple("round", {t, kInteger}, t, [](KernelCall& c, Vector& o) {
    binary_kernel<double, int64_t, double>(c, o, [](double x, int64_t d) {
      double v = round_double(x, d);
      return Real ? (double)(float)v : v;
    });
  });
  r.add_simple("truncate", {t, kInteger}, t, [](KernelCall& c, Vector& o) {
    binary_kernel<double, int64_t, double>(c, o, [](double x, int64_t d) {
      double v = truncate_double(x, d);
      return Real ? (double)(float)v : v;
    });
  });
}

// ---- decimal variants ----

void register_decimal_math(FunctionRegistry& r) {
  auto same_type = [](const Type& t) { return t; };
  add_decimal_unary(r, "abs", same_type, [](const Type&) -> ScalarKernel {
    return [](KernelCall& c, Vector& o) { unary_kernel<int128, int128>(c, o, [](int128 x) { return x < 0 ? -x : x; }); };
  });
  add_decimal_unary(r, "sign", [](const Type&) { return Type::decimal(1, 0); }, [](const Type&) -> ScalarKernel {
    return [](KernelCall& c, Vector& o) {
      unary_kernel<int128, int128>(c, o, [](int128 x) -> int128 { return (x > 0) - (x < 0); });
    };
  });
  // ceil/floor/round/truncate to an integral decimal(p - s + min(s, 1), 0).
  enum class Mode { CEIL, FLOOR, ROUND, TRUNCATE };
  auto integral_type = [](const Type& t) {
    return Type::decimal(std::max(1, std::min(38, t.precision - t.scale + std::min(t.scale, 1))), 0);
  };
  auto truncated_type = [](const Type& t) { return Type::decimal(std::max(1, t.precision - t.scale), 0); };
  auto integral_kernel = [](Mode mode) {
    return [mode](const Type& t) -> ScalarKernel {
      int128 unit = decimal::pow10(t.scale);
      return [mode, unit](KernelCall& c, Vector& o) {
        unary_kernel<int128, int128>(c, o, [mode, unit](int128 x) {
          if (unit == 1) return x;
          int128 q = x / unit, rem = x % unit;
          switch (mode) {
            case Mode::CEIL: return rem > 0 ? q + 1 : q;
            case Mode::FLOOR: return rem < 0 ? q - 1 : q;
            case Mode::ROUND: return decimal::divide_round(x, unit);
            case Mode::TRUNCATE: return q;
          }
          return q;
        });
      };
    };
  };
  add_decimal_unary(r, "ceil", integral_type, integral_kernel(Mode::CEIL));
  add_decimal_unary(r, "ceiling", integral_type, integral_kernel(Mode::CEIL));
  add_decimal_unary(r, "floor", integral_type, integral_kernel(Mode::FLOOR));
  add_decimal_unary(r, "round", integral_type, integral_kernel(Mode::ROUND));
  add_decimal_unary(r, "truncate", truncated_type, integral_kernel(Mode::TRUNCATE));

  // round(decimal(p,s), d) -> decimal(min(38, p + 1), s); truncate(decimal(p,s), d) -> decimal(p, s).
  auto digits_kernel = [](bool round) {
    return [round](const Type& t) -> ScalarKernel {
      int scale = t.scale;
      int128 limit = decimal::max_unscaled(std::min(38, t.precision + 1));
      return [round, scale, limit](KernelCall& c, Vector& o) {
        binary_kernel<int128, int64_t, int128>(c, o, [=](int128 x, int64_t d) -> int128 {
          if (d >= scale) return x;
          int64_t drop = scale - d;
          if (drop > 38) return 0;
          int128 unit = decimal::pow10((int)drop);
          int128 q = round ? decimal::divide_round(x, unit) : x / unit;
          int128 v;
          if (__builtin_mul_overflow(q, unit, &v) || v > limit || v < -limit) [[unlikely]]
            throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Decimal overflow");
          return v;
        });
      };
    };
  };
  add_decimal_digits(
      r, "round", [](const Type& t) { return Type::decimal(std::min(38, t.precision + 1), t.scale); },
      digits_kernel(true));
  add_decimal_digits(r, "truncate", same_type, digits_kernel(false));
}

// ---- double-only functions ----

void register_double_math(FunctionRegistry& r) {
  add_double_binary(r, "power", [](double x, double y) { return std::pow(x, y); });
  add_double_binary(r, "pow", [](double x, double y) { return std::pow(x, y); });
  add_double_unary(r, "sqrt", [](double x) { return std::sqrt(x); });
  add_double_unary(r, "cbrt", [](double x) {
    // glibc's cbrt is not correctly rounded (cbrt(27) = 3.0000000000000004): snap exact cubes.
    double root = std::cbrt(x);
    double rounded = std::round(root);
    return rounded * rounded * rounded == x ? rounded : root;
  });
  add_double_unary(r, "exp", [](double x) { return std::exp(x); });
  add_double_unary(r, "ln", [](double x) { return std::log(x); });
  add_double_unary(r, "log2", [](double x) { return std::log2(x); });
  add_double_unary(r, "log10", [](double x) { return std::log10(x); });
  add_double_binary(r, "log", [](double b, double x) { return std::log(x) / std::log(b); });
  add_double_unary(r, "sin", [](double x) { return std::sin(x); });
  add_double_unary(r, "cos", [](double x) { return std::cos(x); });
  add_double_unary(r, "tan", [](double x) { return std::tan(x); });
  add_double_unary(r, "asin", [](double x) { return std::asin(x); });
  add_double_unary(r, "acos", [](double x) { return std::acos(x); });
  add_double_unary(r, "atan", [](double x) { return std::atan(x); });
  add_double_unary(r, "sinh", [](double x) { return std::sinh(x); });
  add_double_unary(r, "cosh", [](double x) { return std::cosh(x); });
  add_double_unary(r, "tanh", [](double x) { return std::tanh(x); });
  add_double_binary(r, "atan2", [](double y, double x) { return std::atan2(y, x); });
  add_double_unary(r, "degrees", [](double x) { return x * (180.0 / M_PI); });
  add_double_unary(r, "radians", [](double x) { return x * (M_PI / 180.0); });

  add_constant(r, "pi", kDouble, [] { return M_PI; });
  add_constant(r, "e", kDouble, [] { return M_E; });
  add_constant(r, "infinity", kDouble, [] { return HUGE_VAL; });
  add_constant(r, "nan", kDouble, [] { return std::nan(""); });
  for (const char* name : {"random", "rand"}) {
    add_constant(
        r, name, kDouble, [] { return std::uniform_real_distribution<double>(0.0, 1.0)(random_engine()); }, false);
    for (const Type& t : {Type::tinyint(), Type::smallint(), kInteger, kBigint}) {
      r.add_simple(
          name, {t}, t,
          [](KernelCall& c, Vector& o) {
            unary_kernel<int64_t, int64_t>(c, o, [](int64_t n) {
              if (n <= 0) throw_error(ErrorCode::INVALID_ARGUMENT, "bound must be positive");
              return (int64_t)std::uniform_int_distribution<uint64_t>(0, (uint64_t)n - 1)(random_engine());
            });
          },
          false);
    }
  }

  auto predicate = [&r](const char* name, bool (*f)(double)) {
    r.add_simple(name, {kDouble}, kBoolean, [f](KernelCall& c, Vector& o) {
      unary_kernel<double, uint8_t>(c, o, [f](double x) -> uint8_t { return f(x); });
    });
  };
  predicate("is_nan", [](double x) { return std::isnan(x); });
  predicate("is_finite", [](double x) { return std::isfinite(x); });
  predicate("is_infinite", [](double x) { return std::isinf(x); });

  r.add_simple("width_bucket", {kDouble, kDouble, kDouble, kBigint}, kBigint, [](KernelCall& c, Vector& o) {
    const double* x = c.args[0].data<double>();
    const double* b1 = c.args[1].data<double>();
    const double* b2 = c.args[2].data<double>();
    const int64_t* n = c.args[3].data<int64_t>();
    int64_t* out = o.data<int64_t>();
    bool nulls = kernel::propagate_nulls(c.args, c.count, o);
    for (size_t i = 0; i < c.count; i++) {
      if (nulls && o.is_null(i)) continue;
      if (n[i] <= 0) throw_error(ErrorCode::INVALID_ARGUMENT, "bucketCount must be greater than 0");
      if (std::isnan(x[i])) throw_error(ErrorCode::INVALID_ARGUMENT, "operand must not be NaN");
      if (!std::isfinite(b1[i]) || !std::isfinite(b2[i]))
        throw_error(ErrorCode::INVALID_ARGUMENT, "first bound must be finite");
      if (b1[i] == b2[i]) throw_error(ErrorCode::INVALID_ARGUMENT, "bounds cannot equal each other");
      double lower = std::min(b1[i], b2[i]), upper = std::max(b1[i], b2[i]);
      int64_t bucket;
      if (x[i] < lower) bucket = b1[i] < b2[i] ? 0 : n[i] + 1;
      else if (x[i] >= upper) bucket = b1[i] < b2[i] ? n[i] + 1 : 0;
      else {
        double fraction = b1[i] < b2[i] ? (x[i] - b1[i]) / (b2[i] - b1[i]) : (b1[i] - x[i]) / (b1[i] - b2[i]);
        bucket = (int64_t)(fraction * (double)n[i]) + 1;
        if (bucket > n[i]) bucket = n[i];
      }
      out[i] = bucket;
    }
  });
}

}  // namespace

void register_math_functions(FunctionRegistry& registry) {
  register_integer_math<TypeId::TINYINT>(registry);
  register_integer_math<TypeId::SMALLINT>(registry);
  register_integer_math<TypeId::INTEGER>(registry);
  register_integer_math<TypeId::BIGINT>(registry);
  register_floating_math<true>(registry);
  register_floating_math<false>(registry);
  register_decimal_math(registry);
  register_double_math(registry);
  // mod() is registered with the operators (it shares $modulus's kernels).
}

}  // namespace tributary
