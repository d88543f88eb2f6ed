// DISTINCT aggregation: count(DISTINCT x), sum(DISTINCT x), ...
//
// make_distinct_kernel wraps a bound aggregate so that, per group, it sees each
// distinct argument tuple once. The wrapper's state is a hash set of the
// serialized tuples (it owns the bytes, so input vectors may die after update);
// finalize replays every distinct tuple into a fresh state of the inner
// aggregate and returns the inner result. combine merges the sets.
//
// NULL rules: with one argument, NULL rows are skipped (every aggregate ignores
// them anyway). With several arguments a tuple containing NULLs is kept as its
// own distinct value (NULLs compare equal) and handed to the inner aggregate,
// which applies its own NULL rules. Doubles -0.0/0.0 and all NaNs are one value.
//
// The returned kernel copies what it needs from `inner`; it is reentrant and
// throws whatever the inner aggregate throws.
#pragma once

#include "function/function.h"

namespace tributary {

AggregateKernel make_distinct_kernel(const BoundAggregate& inner);

}  // namespace tributary
