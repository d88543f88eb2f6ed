// Decoding of PostgreSQL's COPY ... TO STDOUT text format straight into vectors:
// one row per line, fields separated by tab, \N for NULL, backslash escapes
// (\b \f \n \r \t \v \\, \ooo octal, \xhh hex, any other \c is c), and the text
// forms of values under the session settings the connector sets (DateStyle ISO,
// TimeZone UTC, extra_float_digits 3, bytea_output hex). Pure and thread-safe.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/postgres/postgres_sql.h"
#include "vector/vector.h"

namespace tributary::postgres {

// Splits one row (a trailing '\n' is ignored) into fields; a NULL field is nullopt.
// Fields without escapes are views into `line`; decoded ones point into `scratch`,
// which is reserved up front so the views stay valid until the next call.
// Returns false for a malformed row (a lone backslash at the end).
bool split_copy_row(std::string_view line, std::vector<std::optional<std::string_view>>* fields,
                    std::string* scratch);

// Decodes bytea's text form: hex ("\x0a0b") or escape format ("a\\b\001"). False if malformed.
bool decode_bytea(std::string_view text, std::string* out);

// Parses "YYYY-MM-DD[ BC]" (days since 1970-01-01). False for infinity or malformed text.
bool parse_pg_date(std::string_view text, int64_t* days);
// Parses "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]][ BC]" into UTC microseconds.
bool parse_pg_timestamp(std::string_view text, int64_t* micros);

// Stores the value of one non-NULL field at `row` of `out` (typed as the column's
// mapped type), or marks the row NULL when the value has no tributary equivalent
// (NaN numeric, infinite dates, numbers that do not fit). Returns false only when
// the text is malformed for its type (the caller reports a source error).
bool decode_field(std::string_view text, ValueKind kind, Vector& out, size_t row);

}  // namespace tributary::postgres
