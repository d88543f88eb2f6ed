// Internal to the Parquet reader: the mapping of parquet.thrift's flattened schema to engine
// columns (one per top-level field) and of each leaf's physical/logical type to an engine type
// and a Conversion the page decoder applies; and statistics bytes to Values.
#pragma once
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/parquet_reader.h"

namespace tributary::parquet {

// How the stored values become engine values.
enum class Conversion {
  BOOL,
  INT32,             // INT32 -> int64 (TINYINT, SMALLINT, INTEGER)
  UINT32,            // unsigned INT32 -> BIGINT
  DATE,              // INT32 days
  TIME_MILLIS,       // INT32 ms since midnight -> BIGINT microseconds
  DECIMAL_INT32,
  INT64,
  UINT64,            // unsigned INT64 -> DECIMAL(20,0)
  TIMESTAMP_MILLIS,  // INT64 -> microseconds
  TIMESTAMP_MICROS,
  TIMESTAMP_NANOS,   // truncated (floor) to microseconds
  TIME_MICROS,       // INT64 -> BIGINT microseconds since midnight
  TIME_NANOS,
  DECIMAL_INT64,
  INT96_TIMESTAMP,   // Impala: nanoseconds of day + Julian day
  FLOAT,
  DOUBLE,
  STRING,            // BYTE_ARRAY / FLBA as VARCHAR or VARBINARY
  DECIMAL_BYTES,     // big-endian two's complement in BYTE_ARRAY or FLBA
};

struct LeafDescriptor {
  std::string path;  // dotted path, for messages
  PhysicalKind physical = PhysicalKind::BOOLEAN;
  int type_length = 0;  // FIXED_LEN_BYTE_ARRAY
  Conversion conversion = Conversion::BOOL;
  Type type;  // engine type of one value (the element type of a list)
  int max_def = 0, max_rep = 0;
  // For lists: def < top_def -> the list is NULL; def < element_def -> the list is empty;
  // def < max_def -> the element is NULL.
  int top_def = 0, element_def = 0;
};

struct Schema {
  std::vector<ColumnInfo> columns;
  std::vector<int> leaf_of_column;  // leaf index of each top-level column (-1 when unsupported)
  std::vector<int> first_leaf, leaf_count;  // the leaves below each top-level column
  std::vector<LeafDescriptor> leaves;
};

// Builds the engine schema. Throws Error(SOURCE_ERROR, "<what>") for a malformed schema tree.
Schema build_schema(const std::vector<SchemaElement>& elements);

// Min/max/null count of a column chunk in the leaf's engine type.
ColumnStatistics convert_statistics(const std::optional<Statistics>& stats, const LeafDescriptor& leaf);

}  // namespace tributary::parquet

namespace tributary::parquet {

// Scalar conversions shared by the page decoder and the statistics.
inline int64_t floor_div_1000(int64_t v) { return v / 1000 - ((v % 1000 != 0) && (v < 0)); }

// Impala's INT96 timestamp: 8 bytes of nanoseconds within the day, then a 4-byte Julian day.
inline int64_t int96_to_micros(const uint8_t* p) {
  uint64_t nanos;
  uint32_t julian;
  std::memcpy(&nanos, p, 8);
  std::memcpy(&julian, p + 8, 4);
  constexpr int64_t kJulianEpoch = 2440588;  // Julian day of 1970-01-01
  uint64_t days = static_cast<uint64_t>(static_cast<int64_t>(julian) - kJulianEpoch);
  // Wrapping arithmetic: corrupt inputs give garbage, never UB.
  return static_cast<int64_t>(days * 86400000000ULL + static_cast<uint64_t>(floor_div_1000(static_cast<int64_t>(nanos))));
}

// Big-endian two's complement of 1..16 bytes (0 bytes is 0).
inline int128 decimal_from_big_endian(const uint8_t* p, size_t n) {
  if (n == 0) return 0;
  unsigned __int128 v = (p[0] & 0x80) ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = 0; i < n; i++) v = (v << 8) | p[i];
  return static_cast<int128>(v);
}

}  // namespace tributary::parquet
