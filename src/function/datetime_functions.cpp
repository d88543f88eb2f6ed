// Date and time functions with Trino's semantics. DATE is days since the epoch,
// TIMESTAMP microseconds since the epoch without a zone (see common/datetime.h).
// Unit arithmetic follows Joda-Time, which Trino uses: adding months clamps the
// day to the month's end, and month/year differences count only whole units
// (with Joda's special case for month ends). format_datetime/parse_datetime take
// Joda patterns; date_format/date_parse take MySQL patterns, translated to the
// same token list, as Trino does.
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
#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

namespace {

using std::string_view;
using namespace datetime;

constexpr int64_t kMicrosPerMilli = 1000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;

const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kDayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

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

int64_t days_of(int64_t micros) { return floor_div(micros, kMicrosPerDay); }

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// ISO-8601 week number and week-based year of a date.
void iso_week(int64_t days, int64_t* week_year, int64_t* week) {
  int64_t thursday = days - day_of_week(days) + 4;
  int64_t y;
  unsigned m, d;
  civil_from_days(thursday, &y, &m, &d);
  *week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
  *week_year = y;
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

// One element of a date/time pattern: a literal or a field with its width.
// Letters follow Joda: y Y x C w e E D M d a h K H k m s S z Z G, plus
// 'o' for MySQL's %D (day with English suffix).
struct Token {
  char field = 0;  // 0 = literal
  int width = 0;
  int max_parse = 0;
  bool lenient_year = false;  // "yy" in a Joda pattern also accepts a full year
  std::string literal;
};

struct DateTimePattern {
  std::vector<Token> tokens;
  int pivot_year = 2000;  // two-digit years parse into [pivot - 50, pivot + 49]
};

bool is_numeric_token(const Token& t) {
  if (t.field == 0) return false;
  if (t.field == 'M' || t.field == 'E') return t.width < 3;
  return std::string_view("yYxCwedDHhKkmsS").find(t.field) != std::string_view::npos;
}

int current_year() {
  std::time_t now = std::time(nullptr);
  std::tm tm_utc;
  gmtime_r(&now, &tm_utc);
  return tm_utc.tm_year + 1900;
}

void add_literal(DateTimePattern* p, string_view text) {
  if (text.empty()) return;
  if (!p->tokens.empty() && p->tokens.back().field == 0) {
    p->tokens.back().literal.append(text);
    return;
  }
  Token t;
  t.literal = std::string(text);
  p->tokens.push_back(std::move(t));
}

void add_field(DateTimePattern* p, char field, int width, int max_parse) {
  Token t;
  t.field = field;
  t.width = width;
  t.max_parse = std::max(width, max_parse);
  p->tokens.push_back(std::move(t));
}

DateTimePattern parse_joda_pattern(string_view pattern) {
  DateTimePattern p;
  p.pivot_year = current_year() - 30;
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (std::isalpha((unsigned char)c)) {
      size_t end = i;
      while (end < pattern.size() && pattern[end] == c) end++;
      int count = (int)(end - i);
      if (std::string_view("GCYyxwedEDMadhKHkmsSzZ").find(c) == std::string_view::npos) {
        throw_error(ErrorCode::INVALID_ARGUMENT, "Illegal pattern component: " + std::string(pattern.substr(i, count)));
      }
      int max_parse = 2;
      if (c == 'D') max_parse = 3;
      if (c == 'S') max_parse = 9;
      if (c == 'e') max_parse = 1;
      if (c == 'y' || c == 'Y' || c == 'x' || c == 'C') max_parse = 9;
      add_field(&p, c, count, max_parse);
      i = end;
      continue;
    }
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        add_literal(&p, "'");
        i += 2;
        continue;
      }
      std::string text;
      i++;
      while (i < pattern.size()) {
        if (pattern[i] == '\'') {
          if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
            text += '\'';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i++];
      }
      add_literal(&p, text);
      continue;
    }
    add_literal(&p, pattern.substr(i, 1));
    i++;
  }
  // A year followed directly by a number parses a fixed number of digits; "yy"
  // is lenient (accepts a full year) unless a number follows.
  for (size_t k = 0; k < p.tokens.size(); k++) {
    Token& t = p.tokens[k];
    bool numeric_next = k + 1 < p.tokens.size() && is_numeric_token(p.tokens[k + 1]);
    if (t.field == 'y' || t.field == 'Y' || t.field == 'x') {
      if (t.width == 2) {
        t.lenient_year = !numeric_next;
        t.max_parse = t.lenient_year ? 9 : 2;
      } else if (numeric_next) {
        t.max_parse = t.width;
      }
    }
  }
  return p;
}

DateTimePattern parse_mysql_pattern(string_view format) {
  DateTimePattern p;
  p.pivot_year = 2020;  // Trino: two-digit years are 1970 .. 2069
  for (size_t i = 0; i < format.size(); i++) {
    char c = format[i];
    if (c != '%' || i + 1 == format.size()) {
      add_literal(&p, format.substr(i, 1));
      continue;
    }
    char spec = format[++i];
    switch (spec) {
      case 'a': add_field(&p, 'E', 3, 0); break;
      case 'b': add_field(&p, 'M', 3, 0); break;
      case 'c': add_field(&p, 'M', 1, 2); break;
      case 'D': add_field(&p, 'o', 1, 2); break;
      case 'd': add_field(&p, 'd', 2, 2); break;
      case 'e': add_field(&p, 'd', 1, 2); break;
      case 'f': add_field(&p, 'S', 6, 9); break;
      case 'H': add_field(&p, 'H', 2, 2); break;
      case 'h':
      case 'I': add_field(&p, 'h', 2, 2); break;
      case 'i': add_field(&p, 'm', 2, 2); break;
      case 'j': add_field(&p, 'D', 3, 3); break;
      case 'k': add_field(&p, 'H', 1, 2); break;
      case 'l': add_field(&p, 'h', 1, 2); break;
      case 'M': add_field(&p, 'M', 4, 0); break;
      case 'm': add_field(&p, 'M', 2, 2); break;
      case 'p': add_field(&p, 'a', 1, 0); break;
      case 'r':
        add_field(&p, 'h', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 'm', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 's', 2, 2);
        add_literal(&p, " ");
        add_field(&p, 'a', 1, 0);
        break;
      case 'S':
      case 's': add_field(&p, 's', 2, 2); break;
      case 'T':
        add_field(&p, 'H', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 'm', 2, 2);
        add_literal(&p, ":");
        add_field(&p, 's', 2, 2);
        break;
      case 'v': add_field(&p, 'w', 2, 2); break;
      case 'x': add_field(&p, 'x', 4, 4); break;
      case 'W': add_field(&p, 'E', 4, 0); break;
      case 'Y': add_field(&p, 'y', 4, 4); break;
      case 'y': add_field(&p, 'y', 2, 2); break;
      case 'U':
      case 'u':
      case 'V':
      case 'w':
      case 'X':
        throw_error(ErrorCode::INVALID_ARGUMENT, std::string("%") + spec + " not supported in date format string");
      default: add_literal(&p, format.substr(i, 1)); break;  // %% and unknown specifiers print the character
    }
  }
  return p;
}

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

void append_number(std::string& out, int64_t value, int width) {
  char buffer[32];
  bool negative = value < 0;
  uint64_t v = negative ? (uint64_t)(-(value + 1)) + 1 : (uint64_t)value;
  int n = 0;
  do {
    buffer[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (negative) out += '-';
  for (int k = n; k < width; k++) out += '0';
  while (n) out += buffer[--n];
}

// Formats like Joda (millisecond precision, zone UTC).
void format_with(const DateTimePattern& pattern, int64_t micros, std::string& out) {
  int64_t days = days_of(micros);
  int64_t time = micros - days * kMicrosPerDay;
  int64_t year;
  unsigned month, day;
  civil_from_days(days, &year, &month, &day);
  int hour = (int)(time / kMicrosPerHour);
  int millis = (int)(time % kMicrosPerSecond / kMicrosPerMilli);
  for (const Token& t : pattern.tokens) {
    switch (t.field) {
      case 0: out += t.literal; break;
      case 'G': out += year > 0 ? "AD" : "BC"; break;
      case 'C': append_number(out, (year > 0 ? year : 1 - year) / 100, t.width); break;
      case 'y':
      case 'Y':
      case 'x': {
        int64_t y = year;
        if (t.field == 'x') {
          int64_t week;
          iso_week(days, &y, &week);
        } else if (t.field == 'Y' && y <= 0) {
          y = 1 - y;
        }
        if (t.width == 2) {
          append_number(out, floor_mod(y, 100), 2);
        } else {
          append_number(out, y, t.width);
        }
        break;
      }
      case 'w': {
        int64_t y, week;
        iso_week(days, &y, &week);
        append_number(out, week, t.width);
        break;
      }
      case 'e': append_number(out, day_of_week(days), t.width); break;
      case 'E': {
        const char* name = kDayNames[day_of_week(days) - 1];
        out += t.width >= 4 ? std::string(name) : std::string(name, 3);
        break;
      }
      case 'D': append_number(out, days - days_from_civil(year, 1, 1) + 1, t.width); break;
      case 'M':
        if (t.width >= 4) {
          out += kMonthNames[month - 1];
        } else if (t.width == 3) {
          out.append(kMonthNames[month - 1], 3);
        } else {
          append_number(out, month, t.width);
        }
        break;
      case 'd': append_number(out, day, t.width); break;
      case 'o': {
        append_number(out, day, 1);
        const char* suffix = (day % 10 == 1 && day != 11)   ? "st"
                             : (day % 10 == 2 && day != 12) ? "nd"
                             : (day % 10 == 3 && day != 13) ? "rd"
                                                            : "th";
        out += suffix;
        break;
      }
      case 'a': out += hour < 12 ? "AM" : "PM"; break;
      case 'h': append_number(out, hour % 12 == 0 ? 12 : hour % 12, t.width); break;
      case 'K': append_number(out, hour % 12, t.width); break;
      case 'H': append_number(out, hour, t.width); break;
      case 'k': append_number(out, hour == 0 ? 24 : hour, t.width); break;
      case 'm': append_number(out, time / kMicrosPerMinute % 60, t.width); break;
      case 's': append_number(out, time / kMicrosPerSecond % 60, t.width); break;
      case 'S': {
        char digits[16];
        std::snprintf(digits, sizeof digits, "%03d", millis);
        for (int k = 0; k < t.width; k++) out += k < 3 ? digits[k] : '0';
        break;
      }
      case 'z': out += "UTC"; break;
      case 'Z': out += t.width == 1 ? "+0000" : t.width == 2 ? "+00:00" : "UTC"; break;
    }
  }
}

std::string sample_text(string_view text) { return std::string(text); }

[[noreturn]] void parse_failure(string_view text, size_t position) {
  std::string sample = sample_text(text);
  if (position == 0) throw_error(ErrorCode::INVALID_ARGUMENT, "Invalid format: \"" + sample + "\"");
  if (position >= text.size()) throw_error(ErrorCode::INVALID_ARGUMENT, "Invalid format: \"" + sample + "\" is too short");
  throw_error(ErrorCode::INVALID_ARGUMENT,
              "Invalid format: \"" + sample + "\" is malformed at \"" + std::string(text.substr(position)) + "\"");
}

[[noreturn]] void field_out_of_range(string_view text, int64_t value, const char* field, int64_t low, int64_t high) {
  throw_error(ErrorCode::INVALID_ARGUMENT, "Cannot parse \"" + std::string(text) + "\": Value " + std::to_string(value) +
                                               " for " + field + " must be in the range [" + std::to_string(low) +
                                               "," + std::to_string(high) + "]");
}

// Case-insensitive match of one of `names` (full names, then 3-letter forms) at text[pos].
int match_name(string_view text, size_t* pos, const char* const* names, int count) {
  for (int form = 0; form < 2; form++) {
    for (int k = 0; k < count; k++) {
      string_view name = names[k];
      if (form == 1) name = name.substr(0, 3);
      if (text.size() - *pos < name.size()) continue;
      bool same = true;
      for (size_t c = 0; c < name.size() && same; c++) {
        same = std::tolower((unsigned char)text[*pos + c]) == std::tolower((unsigned char)name[c]);
      }
      if (same) {
        *pos += name.size();
        return k;
      }
    }
  }
  return -1;
}

// Parses like a Joda formatter; fields default to 1970-01-01 00:00:00.
int64_t parse_with(const DateTimePattern& pattern, string_view text) {
  int64_t year = 1970;
  int64_t month = 1, day = 1, hour = -1, clock_hour = -1, minute = 0, second = 0, fraction_micros = 0;
  int64_t day_of_year = -1, week_year = INT64_MIN, week = -1, weekday = -1;
  int halfday = -1;
  int64_t offset = 0;
  size_t pos = 0;
  for (const Token& t : pattern.tokens) {
    if (t.field == 0) {
      if (text.size() - pos < t.literal.size()) parse_failure(text, pos);
      for (size_t c = 0; c < t.literal.size(); c++) {
        if (std::tolower((unsigned char)text[pos + c]) != std::tolower((unsigned char)t.literal[c])) {
          parse_failure(text, pos);
        }
      }
      pos += t.literal.size();
      continue;
    }
    if (is_numeric_token(t) || t.field == 'o') {
      size_t start = pos;
      bool negative = false;
      if ((t.field == 'y' || t.field == 'Y' || t.field == 'x') && pos < text.size() &&
          (text[pos] == '-' || text[pos] == '+') && t.width != 2) {
        negative = text[pos] == '-';
        pos++;
      }
      int64_t value = 0;
      int digits = 0;
      while (pos < text.size() && digits < t.max_parse && std::isdigit((unsigned char)text[pos])) {
        if (digits < 18) value = value * 10 + (text[pos] - '0');
        digits++;
        pos++;
      }
      if (digits == 0) parse_failure(text, start);
      if (negative) value = -value;
      switch (t.field) {
        case 'y':
        case 'Y':
        case 'x': {
          int64_t y = value;
          if (t.width == 2 && !(t.lenient_year && digits != 2)) {
            int64_t low = pattern.pivot_year - 50;
            y = low - floor_mod(low, 100) + value;
            if (y < low) y += 100;
          }
          if (t.field == 'x') {
            week_year = y;
          } else {
            year = y;
          }
          break;
        }
        case 'C': year = value * 100 + floor_mod(year, 100); break;
        case 'w': week = value; break;
        case 'e': weekday = value; break;
        case 'D': day_of_year = value; break;
        case 'M': month = value; break;
        case 'd':
        case 'o':
          day = value;
          if (t.field == 'o' && text.size() - pos >= 2 && std::isalpha((unsigned char)text[pos])) pos += 2;
          break;
        case 'H': hour = value; break;
        case 'k': hour = value == 24 ? 0 : value; break;
        case 'h':
        case 'K': clock_hour = t.field == 'h' ? value : (value == 0 ? 12 : value); break;
        case 'm': minute = value; break;
        case 's': second = value; break;
        case 'S': {
          int64_t f = value;
          for (int k = digits; k < 6; k++) f *= 10;
          for (int k = 6; k < std::min(digits, 18); k++) f /= 10;
          fraction_micros = f / kMicrosPerMilli * kMicrosPerMilli;  // millisecond precision, as Joda
          break;
        }
      }
      continue;
    }
    switch (t.field) {
      case 'M': {
        int k = match_name(text, &pos, kMonthNames, 12);
        if (k < 0) parse_failure(text, pos);
        month = k + 1;
        break;
      }
      case 'E': {
        int k = match_name(text, &pos, kDayNames, 7);
        if (k < 0) parse_failure(text, pos);
        break;  // the day of week is parsed but does not move the date
      }
      case 'a': {
        static const char* const kHalfdays[] = {"AM", "PM"};
        int k = match_name(text, &pos, kHalfdays, 2);
        if (k < 0) parse_failure(text, pos);
        halfday = k;
        break;
      }
      case 'G': {
        static const char* const kEras[] = {"AD", "BC"};
        if (match_name(text, &pos, kEras, 2) < 0) parse_failure(text, pos);
        break;
      }
      case 'Z': {
        if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
          pos++;
          break;
        }
        size_t start = pos;
        if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) parse_failure(text, pos);
        bool negative = text[pos++] == '-';
        int64_t parts[2] = {0, 0};
        for (int part = 0; part < 2; part++) {
          if (part == 1 && pos < text.size() && text[pos] == ':') pos++;
          int digits = 0;
          while (pos < text.size() && digits < 2 && std::isdigit((unsigned char)text[pos])) {
            parts[part] = parts[part] * 10 + (text[pos++] - '0');
            digits++;
          }
          if (part == 0 && digits != 2) parse_failure(text, start);
        }
        offset = parts[0] * kMicrosPerHour + parts[1] * kMicrosPerMinute;
        if (negative) offset = -offset;
        break;
      }
      case 'z': throw_error(ErrorCode::INVALID_ARGUMENT, "Parsing of time zone names is not supported");
    }
  }
  if (pos < text.size()) parse_failure(text, pos);

  if (month < 1 || month > 12) field_out_of_range(text, month, "monthOfYear", 1, 12);
  if (hour >= 0 && hour > 23) field_out_of_range(text, hour, "hourOfDay", 0, 23);
  if (clock_hour >= 0 && (clock_hour < 1 || clock_hour > 12)) {
    field_out_of_range(text, clock_hour, "clockhourOfHalfday", 1, 12);
  }
  if (minute > 59) field_out_of_range(text, minute, "minuteOfHour", 0, 59);
  if (second > 59) field_out_of_range(text, second, "secondOfMinute", 0, 59);
  int64_t days;
  if (week >= 0 && week_year != INT64_MIN) {
    int64_t jan4 = days_from_civil(week_year, 1, 4);
    days = jan4 - (day_of_week(jan4) - 1) + (week - 1) * 7 + (weekday > 0 ? weekday - 1 : 0);
  } else if (day_of_year >= 0) {
    int64_t limit = is_leap(year) ? 366 : 365;
    if (day_of_year < 1 || day_of_year > limit) field_out_of_range(text, day_of_year, "dayOfYear", 1, limit);
    days = days_from_civil(year, 1, 1) + day_of_year - 1;
  } else {
    int64_t limit = days_in_month(year, (unsigned)month);
    if (day < 1 || day > limit) field_out_of_range(text, day, "dayOfMonth", 1, limit);
    days = days_from_civil(year, (unsigned)month, (unsigned)day);
  }
  int64_t h = hour >= 0 ? hour : (clock_hour >= 0 ? clock_hour % 12 : 0) + (halfday == 1 ? 12 : 0);
  if (hour >= 0 && halfday >= 0 && clock_hour < 0) h = hour;
  return days * kMicrosPerDay + h * kMicrosPerHour + minute * kMicrosPerMinute + second * kMicrosPerSecond +
         fraction_micros - offset;
}

// ---------------------------------------------------------------- ISO 8601

bool read_digits(string_view s, size_t* pos, int count, int64_t* out) {
  int64_t v = 0;
  for (int k = 0; k < count; k++) {
    if (*pos >= s.size() || !std::isdigit((unsigned char)s[*pos])) return false;
    v = v * 10 + (s[(*pos)++] - '0');
  }
  *out = v;
  return true;
}

// YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, YYYY-Www-D, YYYY-DDD. Throws Joda's message.
int64_t parse_iso_date(string_view s, size_t* pos) {
  int64_t year, month = 1, day = 1;
  size_t start = *pos;
  bool negative = false;
  if (*pos < s.size() && (s[*pos] == '-' || s[*pos] == '+')) negative = s[(*pos)++] == '-';
  if (!read_digits(s, pos, 4, &year)) parse_failure(s, start);
  if (negative) year = -year;
  if (*pos < s.size() && s[*pos] == '-') {
    (*pos)++;
    if (*pos < s.size() && s[*pos] == 'W') {
      (*pos)++;
      int64_t week, weekday = 1;
      size_t at = *pos;
      if (!read_digits(s, pos, 2, &week)) parse_failure(s, at);
      if (*pos < s.size() && s[*pos] == '-') {
        (*pos)++;
        at = *pos;
        if (!read_digits(s, pos, 1, &weekday)) parse_failure(s, at);
      }
      if (week < 1 || week > 53) field_out_of_range(s, week, "weekOfWeekyear", 1, 53);
      if (weekday < 1 || weekday > 7) field_out_of_range(s, weekday, "dayOfWeek", 1, 7);
      int64_t jan4 = days_from_civil(year, 1, 4);
      return jan4 - (day_of_week(jan4) - 1) + (week - 1) * 7 + weekday - 1;
    }
    size_t at = *pos;
    if (!read_digits(s, pos, 2, &month)) parse_failure(s, at);
    if (*pos < s.size() && std::isdigit((unsigned char)s[*pos])) {  // ordinal date YYYY-DDD
      int64_t third = s[(*pos)++] - '0';
      int64_t doy = month * 10 + third;
      int64_t limit = is_leap(year) ? 366 : 365;
      if (doy < 1 || doy > limit) field_out_of_range(s, doy, "dayOfYear", 1, limit);
      return days_from_civil(year, 1, 1) + doy - 1;
    }
    if (month < 1 || month > 12) field_out_of_range(s, month, "monthOfYear", 1, 12);
    if (*pos < s.size() && s[*pos] == '-') {
      (*pos)++;
      at = *pos;
      if (!read_digits(s, pos, 2, &day)) parse_failure(s, at);
      int64_t limit = days_in_month(year, (unsigned)month);
      if (day < 1 || day > limit) field_out_of_range(s, day, "dayOfMonth", 1, limit);
    }
  }
  return days_from_civil(year, (unsigned)month, (unsigned)day);
}

int64_t parse_iso_timestamp(string_view s, int64_t default_offset) {
  size_t pos = 0;
  int64_t days = parse_iso_date(s, &pos);
  int64_t time = 0;
  int64_t offset = default_offset;
  if (pos < s.size() && s[pos] == 'T') {
    pos++;
    int64_t h, m = 0, sec = 0, fraction = 0;
    size_t at = pos;
    if (!read_digits(s, &pos, 2, &h)) parse_failure(s, at);
    if (pos < s.size() && s[pos] == ':') {
      pos++;
      at = pos;
      if (!read_digits(s, &pos, 2, &m)) parse_failure(s, at);
      if (pos < s.size() && s[pos] == ':') {
        pos++;
        at = pos;
        if (!read_digits(s, &pos, 2, &sec)) parse_failure(s, at);
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
          pos++;
          int digits = 0;
          while (pos < s.size() && std::isdigit((unsigned char)s[pos])) {
            if (digits < 3) fraction = fraction * 10 + (s[pos] - '0');
            digits++;
            pos++;
          }
          if (digits == 0) parse_failure(s, pos);
          for (int k = digits; k < 3; k++) fraction *= 10;
        }
      }
    }
    if (h > 23) field_out_of_range(s, h, "hourOfDay", 0, 23);
    if (m > 59) field_out_of_range(s, m, "minuteOfHour", 0, 59);
    if (sec > 59) field_out_of_range(s, sec, "secondOfMinute", 0, 59);
    time = h * kMicrosPerHour + m * kMicrosPerMinute + sec * kMicrosPerSecond + fraction * kMicrosPerMilli;
    if (pos < s.size()) {
      if (s[pos] == 'Z') {
        pos++;
        offset = 0;
      } else if (s[pos] == '+' || s[pos] == '-') {
        bool negative = s[pos++] == '-';
        int64_t oh, om = 0;
        at = pos;
        if (!read_digits(s, &pos, 2, &oh)) parse_failure(s, at);
        if (pos < s.size() && s[pos] == ':') pos++;
        if (pos < s.size()) {
          at = pos;
          if (!read_digits(s, &pos, 2, &om)) parse_failure(s, at);
        }
        offset = oh * kMicrosPerHour + om * kMicrosPerMinute;
        if (negative) offset = -offset;
      }
    }
  }
  if (pos < s.size()) parse_failure(s, pos);
  return days * kMicrosPerDay + time - offset;
}

std::string iso_timestamp(int64_t micros, int precision) {
  std::string text = format_timestamp(micros, precision);
  text[10] = 'T';
  return text;
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
