// Date and time functions with Trino's semantics (DATE is days, TIMESTAMP microseconds since the
// epoch, no zone); unit arithmetic follows Joda-Time: adding months clamps to the month's end and
// differences count whole units. Pattern and ISO 8601 text forms live in datetime_patterns.cpp.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/datetime.h"
#include "common/error.h"
#include "function/datetime_patterns.h"
#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

namespace {

using std::string_view;
using namespace datetime;
using namespace datetime_patterns;

template <class F>
inline void for_rows(KernelCall& call, Vector& out, F&& f) {
  bool nulls = kernel::propagate_nulls(call.args, call.count, out);
  const uint8_t* n = out.nulls();
  for (size_t i = 0; i < call.count; i++) {
    if (nulls && n[i]) continue;
    f(i);
  }
}

std::string lower_ascii(string_view s) {
  std::string out(s);
  for (char& c : out) c = (char)std::tolower((unsigned char)c);
  return out;
}

// The session time zone as a fixed offset: "UTC", "Z", "+05:30", "-08:00".
// Region names are not resolved (no time zone database) and count as UTC.
int64_t zone_offset_micros(const std::string& zone) {
  if (zone.size() >= 3 && (zone[0] == '+' || zone[0] == '-') && std::isdigit((unsigned char)zone[1])) {
    int hours = 0, minutes = 0;
    size_t i = 1;
    while (i < zone.size() && std::isdigit((unsigned char)zone[i])) hours = hours * 10 + (zone[i++] - '0');
    if (i < zone.size() && zone[i] == ':') i++;
    while (i < zone.size() && std::isdigit((unsigned char)zone[i])) minutes = minutes * 10 + (zone[i++] - '0');
    if (hours > 99) {  // "+0530"
      minutes = hours % 100;
      hours /= 100;
    }
    int64_t offset = hours * kMicrosPerHour + minutes * kMicrosPerMinute;
    return zone[0] == '-' ? -offset : offset;
  }
  return 0;
}

// ---------------------------------------------------------------- binding

struct Binding {
  std::vector<Type> args;
  Type result;
  ScalarKernel kernel;
  std::shared_ptr<const void> state;
  bool deterministic = true;
};
// Returns false when the arguments do not fit.
using Binder = std::function<bool(const std::vector<Type>& args, const std::vector<const Value*>& constants,
                                  Binding* out)>;

void define(FunctionRegistry& registry, const std::string& name, const std::string& doc, Binder binder) {
  registry.add_signature_doc(name, doc);
  registry.add_scalar(name, [name, binder](const std::vector<Type>& args, const std::vector<const Value*>& constants,
                                           BoundFunction* out) {
    Binding b;
    if (!binder(args, constants, &b)) return false;
    out->name = name;
    out->arg_types = std::move(b.args);
    out->return_type = b.result;
    out->kernel = std::move(b.kernel);
    out->state = std::move(b.state);
    out->deterministic = b.deterministic;
    return true;
  });
}

bool is_varchar(const Type& t) { return t.id == TypeId::VARCHAR || t.id == TypeId::UNKNOWN; }
Type varchar_of(const Type& t) { return t.id == TypeId::VARCHAR ? t : Type::varchar(); }
bool is_integer_arg(const Type& t) { return t.is_integer() || t.id == TypeId::UNKNOWN; }
// A timestamp argument, or a date/unknown that coerces to timestamp(3).
bool as_timestamp(const Type& t, Type* bound) {
  if (t.id == TypeId::TIMESTAMP) {
    *bound = t;
    return true;
  }
  if (t.id == TypeId::DATE || t.id == TypeId::UNKNOWN) {
    *bound = Type::timestamp(3);
    return true;
  }
  return false;
}

const Value* constant_at(const std::vector<const Value*>& constants, size_t i) {
  return i < constants.size() && constants[i] && !constants[i]->is_null ? constants[i] : nullptr;
}

// ---------------------------------------------------------------- extraction

enum class Field {
  YEAR,
  QUARTER,
  MONTH,
  WEEK,
  DAY,
  DAY_OF_WEEK,
  DAY_OF_YEAR,
  YEAR_OF_WEEK,
  HOUR,
  MINUTE,
  SECOND,
  MILLISECOND
};

template <Field F>
inline int64_t date_field(int64_t days) {
  if constexpr (F == Field::DAY_OF_WEEK) {
    return day_of_week(days);
  } else if constexpr (F == Field::WEEK || F == Field::YEAR_OF_WEEK) {
    int64_t week_year, week;
    iso_week(days, &week_year, &week);
    return F == Field::WEEK ? week : week_year;
  } else {
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if constexpr (F == Field::YEAR) return y;
    if constexpr (F == Field::QUARTER) return (m - 1) / 3 + 1;
    if constexpr (F == Field::MONTH) return m;
    if constexpr (F == Field::DAY) return d;
    if constexpr (F == Field::DAY_OF_YEAR) return days - days_from_civil(y, 1, 1) + 1;
    return 0;
  }
}

template <Field F>
inline int64_t timestamp_field(int64_t micros) {
  if constexpr (F == Field::HOUR) return floor_mod(micros, kMicrosPerDay) / kMicrosPerHour;
  else if constexpr (F == Field::MINUTE) return floor_mod(micros, kMicrosPerHour) / kMicrosPerMinute;
  else if constexpr (F == Field::SECOND) return floor_mod(micros, kMicrosPerMinute) / kMicrosPerSecond;
  else if constexpr (F == Field::MILLISECOND) return floor_mod(micros, kMicrosPerSecond) / kMicrosPerMilli;
  else return date_field<F>(days_of(micros));
}

constexpr bool is_time_field(Field f) {
  return f == Field::HOUR || f == Field::MINUTE || f == Field::SECOND || f == Field::MILLISECOND;
}

// Interval parts, with Java's truncating remainder as Trino computes them.
template <Field F>
bool interval_field_supported(TypeId id) {
  if (id == TypeId::INTERVAL_YEAR_MONTH) return F == Field::YEAR || F == Field::MONTH;
  if (id == TypeId::INTERVAL_DAY_TIME) return F == Field::DAY || is_time_field(F);
  return false;
}

template <Field F>
inline int64_t interval_field(int64_t v) {
  if constexpr (F == Field::YEAR) return v / 12;
  if constexpr (F == Field::MONTH) return v % 12;
  if constexpr (F == Field::DAY) return v / 86400000;
  if constexpr (F == Field::HOUR) return v % 86400000 / 3600000;
  if constexpr (F == Field::MINUTE) return v % 3600000 / 60000;
  if constexpr (F == Field::SECOND) return v % 60000 / 1000;
  if constexpr (F == Field::MILLISECOND) return v % 1000;
  return 0;
}

template <Field F>
void register_extract(FunctionRegistry& r, const std::string& name) {
  define(r, name, name + (is_time_field(F) ? "(timestamp(p))" : "(date), " + name + "(timestamp(p))"),
         [](const std::vector<Type>& args, const std::vector<const Value*>&, Binding* out) {
           if (args.size() != 1) return false;
           Type t = args[0];
           if (t.id == TypeId::UNKNOWN) t = is_time_field(F) ? Type::timestamp(3) : Type::date();
           if (t.id == TypeId::DATE && !is_time_field(F)) {
             out->kernel = [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t d) { return date_field<F>(d); });
             };
           } else if (t.id == TypeId::TIMESTAMP) {
             out->kernel = [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t t) { return timestamp_field<F>(t); });
             };
           } else if (interval_field_supported<F>(t.id)) {
             out->kernel = [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t v) { return interval_field<F>(v); });
             };
           } else {
             return false;
           }
           out->args = {t};
           out->result = Type::bigint();
           return true;
         });
}

// ---------------------------------------------------------------- units

enum class Unit { MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR };

Unit parse_unit(string_view text, bool for_date) {
  std::string unit = lower_ascii(text);
  static const std::pair<const char*, Unit> kUnits[] = {
      {"millisecond", Unit::MILLISECOND}, {"second", Unit::SECOND}, {"minute", Unit::MINUTE},
      {"hour", Unit::HOUR},               {"day", Unit::DAY},       {"week", Unit::WEEK},
      {"month", Unit::MONTH},             {"quarter", Unit::QUARTER}, {"year", Unit::YEAR}};
  for (const auto& [name, value] : kUnits) {
    if (unit == name && (!for_date || value >= Unit::DAY)) return value;
  }
  throw_error(ErrorCode::INVALID_ARGUMENT,
              "'" + unit + "' is not a valid " + (for_date ? "DATE" : "Timestamp") + " field");
}

// The unit of a row: parsed once at bind time when constant.
struct UnitState {
  Unit unit;
};

std::shared_ptr<const void> unit_state(const std::vector<const Value*>& constants, bool for_date) {
  const Value* unit = constant_at(constants, 0);
  if (!unit) return nullptr;
  return std::make_shared<UnitState>(UnitState{parse_unit(unit->s, for_date)});
}

inline Unit unit_of(const KernelCall& call, size_t row, bool for_date) {
  if (call.state) return static_cast<const UnitState*>(call.state)->unit;
  return parse_unit(call.args[0].data<string_view>()[row], for_date);
}

int64_t trunc_days(Unit unit, int64_t days) {
  if (unit == Unit::DAY) return days;
  if (unit == Unit::WEEK) return days - (day_of_week(days) - 1);
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  if (unit == Unit::MONTH) return days_from_civil(y, m, 1);
  if (unit == Unit::QUARTER) return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
  return days_from_civil(y, 1, 1);
}

int64_t trunc_micros(Unit unit, int64_t t) {
  switch (unit) {
    case Unit::MILLISECOND: return t - floor_mod(t, kMicrosPerMilli);
    case Unit::SECOND: return t - floor_mod(t, kMicrosPerSecond);
    case Unit::MINUTE: return t - floor_mod(t, kMicrosPerMinute);
    case Unit::HOUR: return t - floor_mod(t, kMicrosPerHour);
    default: return trunc_days(unit, days_of(t)) * kMicrosPerDay;
  }
}

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Value out of range");
  return r;
}
int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw_error(ErrorCode::NUMERIC_OUT_OF_RANGE, "Value out of range");
  return r;
}

int64_t add_to_days(Unit unit, int64_t value, int64_t days) {
  switch (unit) {
    case Unit::DAY: return checked_add(days, value);
    case Unit::WEEK: return checked_add(days, checked_mul(value, 7));
    case Unit::MONTH: return add_months_to_days(days, value);
    case Unit::QUARTER: return add_months_to_days(days, checked_mul(value, 3));
    default: return add_months_to_days(days, checked_mul(value, 12));
  }
}

int64_t add_to_micros(Unit unit, int64_t value, int64_t t) {
  switch (unit) {
    case Unit::MILLISECOND: return checked_add(t, checked_mul(value, kMicrosPerMilli));
    case Unit::SECOND: return checked_add(t, checked_mul(value, kMicrosPerSecond));
    case Unit::MINUTE: return checked_add(t, checked_mul(value, kMicrosPerMinute));
    case Unit::HOUR: return checked_add(t, checked_mul(value, kMicrosPerHour));
    case Unit::DAY: return checked_add(t, checked_mul(value, kMicrosPerDay));
    case Unit::WEEK: return checked_add(t, checked_mul(value, 7 * kMicrosPerDay));
    case Unit::MONTH: return add_months_to_micros(t, value);
    case Unit::QUARTER: return add_months_to_micros(t, checked_mul(value, 3));
    default: return add_months_to_micros(t, checked_mul(value, 12));
  }
}

// Joda's BasicMonthOfYearDateTimeField.getDifferenceAsLong(minuend, subtrahend).
int64_t month_difference(int64_t minuend, int64_t subtrahend) {
  if (minuend < subtrahend) return -month_difference(subtrahend, minuend);
  int64_t minuend_day = days_of(minuend), subtrahend_day = days_of(subtrahend);
  int64_t my, sy;
  unsigned mm, md, sm, sd;
  civil_from_days(minuend_day, &my, &mm, &md);
  civil_from_days(subtrahend_day, &sy, &sm, &sd);
  int64_t difference = (my - sy) * 12 + (int64_t)mm - (int64_t)sm;
  // A minuend on its month's last day counts as a whole month after any later day of month.
  if (md == days_in_month(my, mm) && sd > md) sd = md;
  int64_t minuend_rem = (int64_t)(md - 1) * kMicrosPerDay + (minuend - minuend_day * kMicrosPerDay);
  int64_t subtrahend_rem = (int64_t)(sd - 1) * kMicrosPerDay + (subtrahend - subtrahend_day * kMicrosPerDay);
  if (minuend_rem < subtrahend_rem) difference--;
  return difference;
}

// Joda's BasicGJChronology.getYearDifference, balancing leap days.
int64_t year_difference(int64_t minuend, int64_t subtrahend) {
  if (minuend < subtrahend) return -year_difference(subtrahend, minuend);
  int64_t my, sy;
  unsigned m, d;
  civil_from_days(days_of(minuend), &my, &m, &d);
  civil_from_days(days_of(subtrahend), &sy, &m, &d);
  int64_t minuend_rem = minuend - days_from_civil(my, 1, 1) * kMicrosPerDay;
  int64_t subtrahend_rem = subtrahend - days_from_civil(sy, 1, 1) * kMicrosPerDay;
  const int64_t feb_29 = (31 + 29 - 1) * kMicrosPerDay;
  if (subtrahend_rem >= feb_29) {
    if (is_leap(sy)) {
      if (!is_leap(my)) subtrahend_rem -= kMicrosPerDay;
    } else if (minuend_rem >= feb_29 && is_leap(my)) {
      minuend_rem -= kMicrosPerDay;
    }
  }
  int64_t difference = my - sy;
  if (minuend_rem < subtrahend_rem) difference--;
  return difference;
}

// Whole units from a to b (b - a), on microseconds.
int64_t diff_micros(Unit unit, int64_t a, int64_t b) {
  switch (unit) {
    case Unit::MILLISECOND: return floor_div(b, kMicrosPerMilli) - floor_div(a, kMicrosPerMilli);
    case Unit::SECOND: return (b - a) / kMicrosPerSecond;
    case Unit::MINUTE: return (b - a) / kMicrosPerMinute;
    case Unit::HOUR: return (b - a) / kMicrosPerHour;
    case Unit::DAY: return (b - a) / kMicrosPerDay;
    case Unit::WEEK: return (b - a) / (7 * kMicrosPerDay);
    case Unit::MONTH: return month_difference(b, a);
    case Unit::QUARTER: return month_difference(b, a) / 3;
    default: return year_difference(b, a);
  }
}

int64_t diff_days(Unit unit, int64_t a, int64_t b) {
  switch (unit) {
    case Unit::DAY: return b - a;
    case Unit::WEEK: return (b - a) / 7;
    default: return diff_micros(unit, a * kMicrosPerDay, b * kMicrosPerDay);
  }
}

// ---------------------------------------------------------------- patterns

// A pattern compiled at bind time (constant argument) or per distinct value.
class PatternSource {
 public:
  PatternSource(const KernelCall& call, size_t arg, bool mysql)
      : constant_(static_cast<const DateTimePattern*>(call.state)), texts_(call.args[arg].data<string_view>()),
        mysql_(mysql) {}
  const DateTimePattern& get(size_t row) {
    if (constant_) return *constant_;
    if (!has_last_ || texts_[row] != last_text_) {
      last_text_.assign(texts_[row]);
      last_ = mysql_ ? parse_mysql_pattern(last_text_) : parse_joda_pattern(last_text_);
      has_last_ = true;
    }
    return last_;
  }

 private:
  const DateTimePattern* constant_;
  const string_view* texts_;
  bool mysql_;
  bool has_last_ = false;
  std::string last_text_;
  DateTimePattern last_;
};

std::shared_ptr<const void> pattern_state(const std::vector<const Value*>& constants, size_t arg, bool mysql) {
  const Value* pattern = constant_at(constants, arg);
  if (!pattern) return nullptr;
  return std::make_shared<DateTimePattern>(mysql ? parse_mysql_pattern(pattern->s) : parse_joda_pattern(pattern->s));
}

// ---------------------------------------------------------------- kernels by shape

// f(date) / f(timestamp) -> result via a per-value lambda on either representation.
template <class OnDate, class OnTimestamp>
Binder temporal_unary(Type (*result)(const Type& bound), OnDate on_date, OnTimestamp on_timestamp) {
  return [=](const std::vector<Type>& args, const std::vector<const Value*>&, Binding* out) {
    if (args.size() != 1) return false;
    Type t = args[0].id == TypeId::UNKNOWN ? Type::date() : args[0];
    if (t.id == TypeId::DATE) {
      out->kernel = [on_date](KernelCall& call, Vector& o) { on_date(call, o); };
    } else if (t.id == TypeId::TIMESTAMP) {
      out->kernel = [on_timestamp](KernelCall& call, Vector& o) { on_timestamp(call, o); };
    } else {
      return false;
    }
    out->args = {t};
    out->result = result(t);
    return true;
  };
}

Type date_result(const Type&) { return Type::date(); }
Type varchar_result(const Type&) { return Type::varchar(); }

void string_to_date_kernel(KernelCall& call, Vector& out) {
  const string_view* s = call.args[0].data<string_view>();
  int64_t* o = out.data<int64_t>();
  for_rows(call, out, [&](size_t i) {
    if (!parse_date(s[i], &o[i])) {
      throw_error(ErrorCode::INVALID_CAST, "Value cannot be cast to date: " + std::string(s[i]));
    }
  });
}

template <bool kMysql>
void format_kernel(KernelCall& call, Vector& out) {
  const int64_t* t = call.args[0].data<int64_t>();
  string_view* o = out.data<string_view>();
  PatternSource patterns(call, 1, kMysql);
  std::string buffer;
  for_rows(call, out, [&](size_t i) {
    buffer.clear();
    format_with(patterns.get(i), t[i], buffer);
    o[i] = out.add_string(buffer);
  });
}

template <bool kMysql>
void parse_kernel(KernelCall& call, Vector& out) {
  const string_view* s = call.args[0].data<string_view>();
  int64_t* o = out.data<int64_t>();
  PatternSource patterns(call, 1, kMysql);
  for_rows(call, out, [&](size_t i) { o[i] = parse_with(patterns.get(i), s[i]); });
}

// format_datetime / date_format (timestamp, pattern) -> varchar
template <bool kMysql>
Binder format_binder() {
  return [](const std::vector<Type>& args, const std::vector<const Value*>& constants, Binding* out) {
    Type t;
    if (args.size() != 2 || !as_timestamp(args[0], &t) || !is_varchar(args[1])) return false;
    out->args = {t, varchar_of(args[1])};
    out->result = Type::varchar();
    out->kernel = format_kernel<kMysql>;
    out->state = pattern_state(constants, 1, kMysql);
    return true;
  };
}

// parse_datetime / date_parse (varchar, pattern) -> timestamp(3)
template <bool kMysql>
Binder parse_binder() {
  return [](const std::vector<Type>& args, const std::vector<const Value*>& constants, Binding* out) {
    if (args.size() != 2 || !is_varchar(args[0]) || !is_varchar(args[1])) return false;
    out->args = {varchar_of(args[0]), varchar_of(args[1])};
    out->result = Type::timestamp(3);
    out->kernel = parse_kernel<kMysql>;
    out->state = pattern_state(constants, 1, kMysql);
    return true;
  };
}

Binder now_binder(Type result, bool date) {
  return [=](const std::vector<Type>& args, const std::vector<const Value*>&, Binding* out) {
    if (!args.empty()) return false;
    out->args = {};
    out->result = result;
    out->deterministic = false;
    out->kernel = [date](KernelCall& call, Vector& o) {
      int64_t local_micros = call.context.query_start_micros + zone_offset_micros(call.context.time_zone);
      int64_t value = date ? days_of(local_micros) : local_micros - floor_mod(local_micros, kMicrosPerMilli);
      int64_t* d = o.data<int64_t>();
      for (size_t i = 0; i < call.count; i++) d[i] = value;
      o.set_all_valid(call.count);
    };
    return true;
  };
}

Binder date_trunc_binder() {
  return [](const std::vector<Type>& args, const std::vector<const Value*>& constants, Binding* out) {
    if (args.size() != 2 || !is_varchar(args[0])) return false;
    Type t = args[1].id == TypeId::UNKNOWN ? Type::date() : args[1];
    if (t.id != TypeId::DATE && t.id != TypeId::TIMESTAMP) return false;
    const bool is_date = t.id == TypeId::DATE;
    out->args = {varchar_of(args[0]), t};
    out->result = t;
    out->state = unit_state(constants, is_date);
    out->kernel = [is_date](KernelCall& call, Vector& o) {
      const int64_t* v = call.args[1].data<int64_t>();
      int64_t* r = o.data<int64_t>();
      for_rows(call, o, [&](size_t i) {
        Unit unit = unit_of(call, i, is_date);
        r[i] = is_date ? trunc_days(unit, v[i]) : trunc_micros(unit, v[i]);
      });
    };
    return true;
  };
}

Binder date_add_binder() {
  return [](const std::vector<Type>& args, const std::vector<const Value*>& constants, Binding* out) {
    if (args.size() != 3 || !is_varchar(args[0]) || !is_integer_arg(args[1])) return false;
    Type t = args[2].id == TypeId::UNKNOWN ? Type::date() : args[2];
    if (t.id != TypeId::DATE && t.id != TypeId::TIMESTAMP) return false;
    const bool is_date = t.id == TypeId::DATE;
    out->args = {varchar_of(args[0]), Type::bigint(), t};
    out->result = t;
    out->state = unit_state(constants, is_date);
    out->kernel = [is_date](KernelCall& call, Vector& o) {
      const int64_t* amount = call.args[1].data<int64_t>();
      const int64_t* v = call.args[2].data<int64_t>();
      int64_t* r = o.data<int64_t>();
      for_rows(call, o, [&](size_t i) {
        Unit unit = unit_of(call, i, is_date);
        r[i] = is_date ? add_to_days(unit, amount[i], v[i]) : add_to_micros(unit, amount[i], v[i]);
      });
    };
    return true;
  };
}

Binder date_diff_binder() {
  return [](const std::vector<Type>& args, const std::vector<const Value*>& constants, Binding* out) {
    if (args.size() != 3 || !is_varchar(args[0])) return false;
    Type a = args[1].id == TypeId::UNKNOWN ? args[2] : args[1];
    Type b = args[2].id == TypeId::UNKNOWN ? args[1] : args[2];
    if (a.id == TypeId::UNKNOWN) a = b = Type::date();
    if (!a.is_temporal() || !b.is_temporal()) return false;
    Type common;
    if (a.id == TypeId::DATE && b.id == TypeId::DATE) {
      common = Type::date();
    } else if (!common_super_type(a, b, &common)) {
      return false;
    }
    const bool is_date = common.id == TypeId::DATE;
    out->args = {varchar_of(args[0]), common, common};
    out->result = Type::bigint();
    out->state = unit_state(constants, is_date);
    out->kernel = [is_date](KernelCall& call, Vector& o) {
      const int64_t* x = call.args[1].data<int64_t>();
      const int64_t* y = call.args[2].data<int64_t>();
      int64_t* r = o.data<int64_t>();
      for_rows(call, o, [&](size_t i) {
        Unit unit = unit_of(call, i, is_date);
        r[i] = is_date ? diff_days(unit, x[i], y[i]) : diff_micros(unit, x[i], y[i]);
      });
    };
    return true;
  };
}

Binder simple_binder(std::vector<TypeId> params, Type result, ScalarKernel kernel) {
  return [=](const std::vector<Type>& args, const std::vector<const Value*>&, Binding* out) {
    if (args.size() != params.size()) return false;
    std::vector<Type> bound;
    for (size_t i = 0; i < args.size(); i++) {
      const Type& a = args[i];
      switch (params[i]) {
        case TypeId::VARCHAR:
          if (!is_varchar(a)) return false;
          bound.push_back(varchar_of(a));
          break;
        case TypeId::TIMESTAMP: {
          Type t;
          if (!as_timestamp(a, &t)) return false;
          bound.push_back(t);
          break;
        }
        case TypeId::DOUBLE:
          if (!a.is_numeric() && a.id != TypeId::UNKNOWN) return false;
          bound.push_back(Type::double_());
          break;
        default:
          if (a.id != params[i] && a.id != TypeId::UNKNOWN) return false;
          bound.push_back(Type{params[i]});
          break;
      }
    }
    out->args = std::move(bound);
    out->result = result;
    out->kernel = kernel;
    return true;
  };
}

}  // namespace

void register_datetime_functions(FunctionRegistry& registry) {
  FunctionRegistry& r = registry;

  define(r, "current_date", "current_date()", now_binder(Type::date(), true));
  define(r, "current_timestamp", "current_timestamp()", now_binder(Type::timestamp(3), false));
  define(r, "now", "now()", now_binder(Type::timestamp(3), false));
  define(r, "localtimestamp", "localtimestamp()", now_binder(Type::timestamp(3), false));

  register_extract<Field::YEAR>(r, "year");
  register_extract<Field::QUARTER>(r, "quarter");
  register_extract<Field::MONTH>(r, "month");
  register_extract<Field::WEEK>(r, "week");
  register_extract<Field::WEEK>(r, "week_of_year");
  register_extract<Field::DAY>(r, "day");
  register_extract<Field::DAY>(r, "day_of_month");
  register_extract<Field::DAY_OF_WEEK>(r, "day_of_week");
  register_extract<Field::DAY_OF_WEEK>(r, "dow");
  register_extract<Field::DAY_OF_YEAR>(r, "day_of_year");
  register_extract<Field::DAY_OF_YEAR>(r, "doy");
  register_extract<Field::YEAR_OF_WEEK>(r, "year_of_week");
  register_extract<Field::YEAR_OF_WEEK>(r, "yow");
  register_extract<Field::HOUR>(r, "hour");
  register_extract<Field::MINUTE>(r, "minute");
  register_extract<Field::SECOND>(r, "second");
  register_extract<Field::MILLISECOND>(r, "millisecond");

  define(r, "date", "date(varchar), date(timestamp(p))",
         [](const std::vector<Type>& args, const std::vector<const Value*>&, Binding* out) {
           if (args.size() != 1) return false;
           const Type& a = args[0];
           if (is_varchar(a)) {
             out->args = {varchar_of(a)};
             out->kernel = string_to_date_kernel;
           } else if (a.id == TypeId::TIMESTAMP) {
             out->args = {a};
             out->kernel = [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t t) { return days_of(t); });
             };
           } else if (a.id == TypeId::DATE) {
             out->args = {a};
             out->kernel = [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t d) { return d; });
             };
           } else {
             return false;
           }
           out->result = Type::date();
           return true;
         });

  define(r, "last_day_of_month", "last_day_of_month(date), last_day_of_month(timestamp(p))",
         temporal_unary(
             date_result,
             [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t d) {
                 return add_months_to_days(trunc_days(Unit::MONTH, d), 1) - 1;
               });
             },
             [](KernelCall& call, Vector& o) {
               kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t t) {
                 return add_months_to_days(trunc_days(Unit::MONTH, days_of(t)), 1) - 1;
               });
             }));

  define(r, "to_iso8601", "to_iso8601(date), to_iso8601(timestamp(p))",
         temporal_unary(
             varchar_result,
             [](KernelCall& call, Vector& o) {
               const int64_t* d = call.args[0].data<int64_t>();
               string_view* s = o.data<string_view>();
               for_rows(call, o, [&](size_t i) { s[i] = o.add_string(format_date(d[i])); });
             },
             [](KernelCall& call, Vector& o) {
               const int64_t* t = call.args[0].data<int64_t>();
               string_view* s = o.data<string_view>();
               int precision = call.args[0].type().precision;
               for_rows(call, o, [&](size_t i) { s[i] = o.add_string(iso_timestamp(t[i], precision)); });
             }));

  define(r, "from_iso8601_date", "from_iso8601_date(varchar)",
         simple_binder({TypeId::VARCHAR}, Type::date(), [](KernelCall& call, Vector& o) {
           const string_view* s = call.args[0].data<string_view>();
           int64_t* d = o.data<int64_t>();
           for_rows(call, o, [&](size_t i) {
             size_t pos = 0;
             d[i] = parse_iso_date(s[i], &pos);
             if (pos < s[i].size()) parse_failure(s[i], pos);
           });
         }));
  define(r, "from_iso8601_timestamp", "from_iso8601_timestamp(varchar)",
         simple_binder({TypeId::VARCHAR}, Type::timestamp(3), [](KernelCall& call, Vector& o) {
           const string_view* s = call.args[0].data<string_view>();
           int64_t* t = o.data<int64_t>();
           // Shown in the session zone, like Trino's timestamp with time zone.
           int64_t session = zone_offset_micros(call.context.time_zone);
           for_rows(call, o, [&](size_t i) { t[i] = parse_iso_timestamp(s[i], session) + session; });
         }));

  define(r, "date_trunc", "date_trunc(varchar, date), date_trunc(varchar, timestamp(p))", date_trunc_binder());
  define(r, "date_add", "date_add(varchar, bigint, date), date_add(varchar, bigint, timestamp(p))",
         date_add_binder());
  define(r, "date_diff", "date_diff(varchar, date, date), date_diff(varchar, timestamp(p), timestamp(p))",
         date_diff_binder());

  define(r, "format_datetime", "format_datetime(timestamp(p), varchar)", format_binder<false>());
  define(r, "date_format", "date_format(timestamp(p), varchar)", format_binder<true>());
  define(r, "parse_datetime", "parse_datetime(varchar, varchar)", parse_binder<false>());
  define(r, "date_parse", "date_parse(varchar, varchar)", parse_binder<true>());

  define(r, "to_unixtime", "to_unixtime(timestamp(p))",
         simple_binder({TypeId::TIMESTAMP}, Type::double_(), [](KernelCall& call, Vector& o) {
           int64_t session = zone_offset_micros(call.context.time_zone);
           kernel::unary_kernel<int64_t, double>(
               call, o, [session](int64_t t) { return (double)(t - session) / (double)kMicrosPerSecond; });
         }));
  define(r, "from_unixtime", "from_unixtime(double)",
         simple_binder({TypeId::DOUBLE}, Type::timestamp(3), [](KernelCall& call, Vector& o) {
           int64_t session = zone_offset_micros(call.context.time_zone);
           kernel::unary_kernel<double, int64_t>(call, o, [session](double seconds) {
             double millis = std::floor(seconds * 1000.0 + 0.5);  // Java's Math.round
             if (!(std::fabs(millis) < 9.0e15)) throw_error(ErrorCode::INVALID_ARGUMENT, "Value out of range");
             return (int64_t)millis * kMicrosPerMilli + session;
           });
         }));
  define(r, "to_milliseconds", "to_milliseconds(interval day to second)",
         simple_binder({TypeId::INTERVAL_DAY_TIME}, Type::bigint(), [](KernelCall& call, Vector& o) {
           kernel::unary_kernel<int64_t, int64_t>(call, o, [](int64_t ms) { return ms; });
         }));
}

}  // namespace tributary