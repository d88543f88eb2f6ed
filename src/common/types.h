// SQL types of tributary (Trino/Athena names) and their physical layout in vectors.
//
// Every logical type maps to one of five physical representations:
//   BOOL   -> uint8_t (0/1)
//   I64    -> int64_t: TINYINT..BIGINT, DATE (days since 1970-01-01),
//             TIMESTAMP (microseconds since epoch, no zone),
//             INTERVAL DAY TO SECOND (milliseconds), INTERVAL YEAR TO MONTH (months)
//   F64    -> double: DOUBLE, and REAL (kept rounded to float precision)
//   I128   -> __int128: DECIMAL(p,s) unscaled value
//   STRING -> std::string_view into a StringHeap: VARCHAR, VARBINARY
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tributary {

using int128 = __int128;

enum class TypeId : uint8_t {
  UNKNOWN,  // the type of a bare NULL literal; coerces to anything
  BOOLEAN,
  TINYINT,
  SMALLINT,
  INTEGER,
  BIGINT,
  REAL,
  DOUBLE,
  DECIMAL,
  VARCHAR,
  VARBINARY,
  DATE,
  TIMESTAMP,
  INTERVAL_DAY_TIME,
  INTERVAL_YEAR_MONTH,
};

enum class PhysicalType : uint8_t { BOOL, I64, F64, I128, STRING };

struct Type {
  TypeId id = TypeId::UNKNOWN;
  // DECIMAL: precision and scale. VARCHAR: length (-1 = unbounded).
  // TIMESTAMP: precision (fractional digits, default 3).
  int precision = 0;
  int scale = 0;

  static Type unknown() { return {TypeId::UNKNOWN}; }
  static Type boolean() { return {TypeId::BOOLEAN}; }
  static Type tinyint() { return {TypeId::TINYINT}; }
  static Type smallint() { return {TypeId::SMALLINT}; }
  static Type integer() { return {TypeId::INTEGER}; }
  static Type bigint() { return {TypeId::BIGINT}; }
  static Type real() { return {TypeId::REAL}; }
  static Type double_() { return {TypeId::DOUBLE}; }
  static Type decimal(int precision, int scale) { return {TypeId::DECIMAL, precision, scale}; }
  static Type varchar(int length = -1) { return {TypeId::VARCHAR, length}; }
  static Type varbinary() { return {TypeId::VARBINARY}; }
  static Type date() { return {TypeId::DATE}; }
  static Type timestamp(int precision = 3) { return {TypeId::TIMESTAMP, precision}; }
  static Type interval_day_time() { return {TypeId::INTERVAL_DAY_TIME}; }
  static Type interval_year_month() { return {TypeId::INTERVAL_YEAR_MONTH}; }

  PhysicalType physical() const;
  bool is_integer() const {
    return id == TypeId::TINYINT || id == TypeId::SMALLINT || id == TypeId::INTEGER || id == TypeId::BIGINT;
  }
  bool is_numeric() const {
    return is_integer() || id == TypeId::REAL || id == TypeId::DOUBLE || id == TypeId::DECIMAL;
  }
  bool is_string() const { return id == TypeId::VARCHAR; }
  bool is_temporal() const { return id == TypeId::DATE || id == TypeId::TIMESTAMP; }
  bool is_interval() const { return id == TypeId::INTERVAL_DAY_TIME || id == TypeId::INTERVAL_YEAR_MONTH; }
  bool is_orderable() const { return true; }

  // Trino display name: "decimal(10,2)", "varchar(255)", "timestamp(3)", "bigint".
  std::string to_string() const;
  // Athena's ColumnInfo.Type name: "decimal", "varchar", "integer", "timestamp", ...
  std::string athena_name() const;

  bool operator==(const Type& other) const {
    return id == other.id && precision == other.precision && scale == other.scale;
  }
  bool operator!=(const Type& other) const { return !(*this == other); }
};

// Parses a SQL type name such as "DECIMAL(10,2)", "varchar", "double precision", "int".
// Throws Error(TYPE_MISMATCH) for an unknown name.
Type parse_type_name(const std::string& text);

// Range limits of integer types.
int64_t integer_min(TypeId id);
int64_t integer_max(TypeId id);

// The decimal type that holds every value of an integer type exactly (INTEGER -> decimal(10,0)).
Type integer_as_decimal(TypeId id);

// Trino's implicit coercion: the common super type of two types, or false if there is none.
bool common_super_type(const Type& a, const Type& b, Type* out);
// Whether a value of `from` implicitly coerces to `to` (without an explicit CAST).
bool can_coerce(const Type& from, const Type& to);

}  // namespace tributary
