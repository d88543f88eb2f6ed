// CAST and TRY_CAST between all SQL types, vectorized, with Trino's rules:
// numeric narrowing checks range (NUMERIC_VALUE_OUT_OF_RANGE / INVALID_CAST_ARGUMENT),
// DOUBLE->integer rounds half away from zero, DECIMAL rescaling rounds half-up,
// VARCHAR parsing trims spaces, "true"/"false" for BOOLEAN, dates 'YYYY-MM-DD'.
#pragma once
#include "common/types.h"
#include "vector/vector.h"

namespace tributary {

// Whether CAST(from AS to) is allowed at all (bind time check).
bool cast_supported(const Type& from, const Type& to);

// out[i] = CAST(in[i] AS out.type()) for i < count. With try_cast, a value that
// cannot be converted becomes NULL instead of throwing Error(INVALID_CAST).
// `out` must have capacity >= count.
void cast_vector(const Vector& in, Vector& out, size_t count, bool try_cast);

// Single value convenience (constant folding, literals).
Value cast_value(const Value& in, const Type& to, bool try_cast = false);

// Formats one non-null value of a vector as Trino's VARCHAR cast would.
std::string value_to_varchar(const Vector& in, size_t row);

}  // namespace tributary
