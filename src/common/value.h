// Value: one SQL value of a known type (literals, constants folded by the
// optimizer, statistics, sqllogictest output). Not used on hot paths.
#pragma once
#include <string>

#include "common/types.h"

namespace tributary {

struct Value {
  Type type = Type::unknown();
  bool is_null = true;
  bool b = false;          // BOOL
  int64_t i = 0;           // I64
  double d = 0;            // F64
  int128 dec = 0;          // I128
  std::string s;           // STRING

  static Value null(Type t = Type::unknown()) {
    Value v;
    v.type = t;
    return v;
  }
  static Value boolean(bool x) {
    Value v;
    v.type = Type::boolean();
    v.is_null = false;
    v.b = x;
    return v;
  }
  static Value integer(int64_t x, Type t = Type::bigint()) {
    Value v;
    v.type = t;
    v.is_null = false;
    v.i = x;
    return v;
  }
  static Value floating(double x, Type t = Type::double_()) {
    Value v;
    v.type = t;
    v.is_null = false;
    v.d = x;
    return v;
  }
  static Value decimal(int128 x, Type t) {
    Value v;
    v.type = t;
    v.is_null = false;
    v.dec = x;
    return v;
  }
  static Value string(std::string x, Type t = Type::varchar()) {
    Value v;
    v.type = t;
    v.is_null = false;
    v.s = std::move(x);
    return v;
  }

  // Trino's text form: 1.50 for decimal(3,2), 2024-01-15 for a date, true/false, NULL as "NULL".
  std::string to_string() const;
  // Total order used for sorting values of the same type; NULLs compare as equal to each other.
  int compare(const Value& other) const;
  bool operator==(const Value& other) const;
};

// Formats a double the way Trino prints it: 1.0, 0.1, 1.0E10, NaN, Infinity.
std::string format_double(double d);
std::string format_real(float f);

}  // namespace tributary
