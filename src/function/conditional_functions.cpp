// greatest() and least(): variadic over any orderable type. All arguments are
// coerced to their common super type; the result is NULL when any argument is
// NULL (Trino's behaviour). Rows are folded argument by argument so each pass
// is a simple elementwise loop.
#include <cstring>

#include "common/error.h"
#include "function/function.h"
#include "function/kernel_helpers.h"

namespace tributary {

namespace {

inline int compare_bytes(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

template <class T, bool Greatest>
void fold(KernelCall& call, Vector& out) {
  T* result = out.data<T>();
  const T* first = call.args[0].data<T>();
  for (size_t i = 0; i < call.count; i++) result[i] = first[i];
  for (size_t a = 1; a < call.args.size(); a++) {
    const T* values = call.args[a].data<T>();
    for (size_t i = 0; i < call.count; i++) {
      bool better;
      if constexpr (std::is_same_v<T, std::string_view>) {
        int c = compare_bytes(values[i], result[i]);
        better = Greatest ? c > 0 : c < 0;
      } else {
        better = Greatest ? values[i] > result[i] : values[i] < result[i];
      }
      if (better) result[i] = values[i];
    }
  }
}

template <bool Greatest>
void extremum_kernel(KernelCall& call, Vector& out) {
  kernel::propagate_nulls(call.args, call.count, out);
  switch (call.result_type.physical()) {
    case PhysicalType::BOOL: fold<uint8_t, Greatest>(call, out); break;
    case PhysicalType::I64: fold<int64_t, Greatest>(call, out); break;
    case PhysicalType::F64: fold<double, Greatest>(call, out); break;
    case PhysicalType::I128: fold<int128, Greatest>(call, out); break;
    case PhysicalType::STRING:
      fold<std::string_view, Greatest>(call, out);
      for (const auto& arg : call.args) out.share_heaps(arg);
      break;
  }
}

template <bool Greatest>
void register_extremum(FunctionRegistry& r, const char* name) {
  r.add_signature_doc(name, std::string(name) + "(E, E...)");
  r.add_scalar(name, [name](const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    if (args.empty()) return false;
    Type super = args[0];
    for (size_t i = 1; i < args.size(); i++) {
      Type next;
      if (!common_super_type(super, args[i], &next)) return false;
      super = next;
    }
    if (super.is_interval() && args.size() > 1) {
      for (const auto& t : args)
        if (t.id != super.id && t.id != TypeId::UNKNOWN) return false;
    }
    out->name = name;
    out->arg_types.assign(args.size(), super);
    out->return_type = super;
    out->kernel = extremum_kernel<Greatest>;
    return true;
  });
}

}  // namespace

void register_conditional_functions(FunctionRegistry& registry) {
  register_extremum<true>(registry, "greatest");
  register_extremum<false>(registry, "least");
}

}  // namespace tributary
