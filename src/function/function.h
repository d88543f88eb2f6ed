// The function registry: scalar functions, operators and aggregates, each
// resolved by name and argument types at bind time into a BoundFunction /
// BoundAggregate that the executor calls once per chunk (never per row).
//
// Operators are registered as functions with reserved names:
//   $add $subtract $multiply $divide $modulus $negate
//   $eq $ne $lt $le $gt $ge  (comparisons, result BOOLEAN)
//   $like (value, pattern[, escape])
// CAST is not a function: see function/cast.h.
//
// Thread-safety: the registry is built once at start-up (global_registry())
// and read-only afterwards; kernels must be reentrant (per-call-site state
// lives in BoundFunction::state, created at bind time, shared read-only).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "vector/vector.h"

namespace tributary {

// Per-query facts functions may read (current_date, current_timestamp).
struct FunctionContext {
  int64_t query_start_micros = 0;   // UTC microseconds, fixed for the whole query
  std::string time_zone = "UTC";
};

struct KernelCall {
  FunctionContext& context;
  const std::vector<Vector>& args;  // evaluated arguments, each already of BoundFunction::arg_types[i]
  size_t count;                     // rows to compute: 0..count-1
  const Type& result_type;
  const void* state;                // BoundFunction::state.get(), may be null
};

// Writes `call.count` results into `out` (already allocated with result_type and
// capacity >= count, all rows valid). Must set out's NULLs (propagating argument NULLs).
// Throws tributary::Error for a value error (division by zero, overflow, bad argument).
using ScalarKernel = std::function<void(KernelCall& call, Vector& out)>;

struct BoundFunction {
  std::string name;
  std::vector<Type> arg_types;   // argument i is coerced (CAST) to arg_types[i] before the call
  Type return_type;
  ScalarKernel kernel;
  std::shared_ptr<const void> state;
  bool deterministic = true;     // false for current_timestamp-like or random functions
};

// Tries to bind a function call. `constants[i]` is non-null when argument i is a
// constant (so e.g. a regex can be compiled once). Returns false when the
// arguments do not fit this overload (the registry then tries the next one and
// finally reports TYPE_MISMATCH); throws Error for a fitting call with a bad constant.
using ScalarBinder =
    std::function<bool(const std::vector<Type>& args, const std::vector<const Value*>& constants, BoundFunction* out)>;

// ---- aggregates ----

// Bytes that aggregate states allocated on the heap (DISTINCT sets, strings) on this
// thread since the caller last reset it; the aggregation operator charges them to the
// query's memory tracker after each update.
inline thread_local int64_t aggregate_state_bytes_added = 0;

// States are raw memory of state_size bytes (aligned to 16), constructed with init
// and destroyed with destroy (if set). update receives one state pointer per row
// (rows of one group share a pointer); args are already of arg_types.
struct AggregateKernel {
  size_t state_size = 0;
  std::function<void(void* state)> init;
  std::function<void(void** states, const std::vector<Vector>& args, size_t count)> update;
  // Merges src into dst (partial aggregation across threads). src is destroyed afterwards.
  std::function<void(void* src, void* dst)> combine;
  // Writes the result of states[i] to out row i.
  std::function<void(void** states, size_t count, Vector& out)> finalize;
  std::function<void(void* state)> destroy;  // may be empty for trivially destructible states
};

struct BoundAggregate {
  std::string name;
  std::vector<Type> arg_types;
  Type return_type;
  AggregateKernel kernel;
};

using AggregateBinder = std::function<bool(const std::vector<Type>& args, BoundAggregate* out)>;

class FunctionRegistry {
 public:
  void add_scalar(const std::string& name, ScalarBinder binder);
  // Convenience: a fixed signature. A parameter of type DECIMAL matches any decimal
  // (the argument keeps its precision/scale), VARCHAR matches any varchar; other
  // arguments are accepted when they coerce implicitly (can_coerce).
  void add_simple(const std::string& name, std::vector<Type> params, Type result, ScalarKernel kernel,
                  bool deterministic = true);
  void add_aggregate(const std::string& name, AggregateBinder binder);
  // Human-readable signature list for error messages, e.g. "length(varchar)".
  void add_signature_doc(const std::string& name, const std::string& signature);

  bool has_scalar(const std::string& name) const;
  bool has_aggregate(const std::string& name) const;
  std::vector<std::string> scalar_names() const;
  std::vector<std::string> aggregate_names() const;

  // Throws Error(NOT_FOUND) for an unknown name (with a suggestion) and
  // Error(TYPE_MISMATCH) for arguments no overload accepts.
  BoundFunction bind_scalar(const std::string& name, const std::vector<Type>& args,
                            const std::vector<const Value*>& constants) const;
  BoundAggregate bind_aggregate(const std::string& name, const std::vector<Type>& args) const;

 private:
  std::map<std::string, std::vector<ScalarBinder>> scalars_;
  std::map<std::string, std::vector<AggregateBinder>> aggregates_;
  std::map<std::string, std::vector<std::string>> signatures_;
};

// The process-wide registry with every built-in function registered.
const FunctionRegistry& global_registry();

// Registration entry points, one per family (each in its own .cpp).
void register_operators(FunctionRegistry& registry);         // arithmetic, comparison, LIKE
void register_math_functions(FunctionRegistry& registry);
void register_string_functions(FunctionRegistry& registry);  // incl. regexp_* (RE2)
void register_datetime_functions(FunctionRegistry& registry);
void register_conditional_functions(FunctionRegistry& registry);  // greatest, least, if-free helpers
void register_aggregate_functions(FunctionRegistry& registry);

}  // namespace tributary
