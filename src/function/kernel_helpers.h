// Templates that turn a per-value lambda into a vectorized kernel loop with
// NULL propagation. The lambda is inlined into a tight loop over the chunk;
// no virtual call per row.
//
//   unary_kernel<int64_t, double>(call, out, [](int64_t x) { return x * 0.5; });
//   binary_kernel<int128, int128, int128>(call, out, [&](int128 a, int128 b) { ... });
//
// Value access types by physical type: BOOL -> uint8_t, I64 -> int64_t,
// F64 -> double, I128 -> int128, STRING -> std::string_view.
// For string results, return std::string_view pointing into out's heap
// (use out.add_string) or into an argument's data (then call out.share_heaps(arg)).
#pragma once
#include <string_view>
#include <vector>

#include "function/function.h"

namespace tributary::kernel {

// Marks out[i] NULL where any argument is NULL; returns true if any row is NULL.
inline bool propagate_nulls(const std::vector<Vector>& args, size_t count, Vector& out) {
  bool any = false;
  uint8_t* nulls = out.nulls();
  bool first = true;
  for (const auto& arg : args) {
    if (!arg.may_have_nulls()) continue;
    const uint8_t* an = arg.nulls();
    if (first) {
      for (size_t i = 0; i < count; i++) nulls[i] = an[i];
      first = false;
    } else {
      for (size_t i = 0; i < count; i++) nulls[i] |= an[i];
    }
    any = true;
  }
  if (first) {
    std::memset(nulls, 0, count);
  }
  if (any) out.mark_may_have_nulls();
  return any;
}

template <class In, class Out, class F>
void unary_kernel(KernelCall& call, Vector& out, F&& f) {
  const In* a = call.args[0].template data<In>();
  Out* o = out.template data<Out>();
  bool nulls = propagate_nulls(call.args, call.count, out);
  const uint8_t* n = out.nulls();
  for (size_t i = 0; i < call.count; i++) {
    if (nulls && n[i]) continue;
    o[i] = f(a[i]);
  }
}

template <class A, class B, class Out, class F>
void binary_kernel(KernelCall& call, Vector& out, F&& f) {
  const A* a = call.args[0].template data<A>();
  const B* b = call.args[1].template data<B>();
  Out* o = out.template data<Out>();
  bool nulls = propagate_nulls(call.args, call.count, out);
  const uint8_t* n = out.nulls();
  if (!nulls) {
    for (size_t i = 0; i < call.count; i++) o[i] = f(a[i], b[i]);
  } else {
    for (size_t i = 0; i < call.count; i++) {
      if (n[i]) continue;
      o[i] = f(a[i], b[i]);
    }
  }
}

template <class A, class B, class C, class Out, class F>
void ternary_kernel(KernelCall& call, Vector& out, F&& f) {
  const A* a = call.args[0].template data<A>();
  const B* b = call.args[1].template data<B>();
  const C* c = call.args[2].template data<C>();
  Out* o = out.template data<Out>();
  bool nulls = propagate_nulls(call.args, call.count, out);
  const uint8_t* n = out.nulls();
  for (size_t i = 0; i < call.count; i++) {
    if (nulls && n[i]) continue;
    o[i] = f(a[i], b[i], c[i]);
  }
}

// Like unary_kernel, but f(value, bool& is_null) may produce NULL itself.
template <class In, class Out, class F>
void unary_kernel_nullable(KernelCall& call, Vector& out, F&& f) {
  const In* a = call.args[0].template data<In>();
  Out* o = out.template data<Out>();
  bool nulls = propagate_nulls(call.args, call.count, out);
  uint8_t* n = out.nulls();
  for (size_t i = 0; i < call.count; i++) {
    if (nulls && n[i]) continue;
    bool is_null = false;
    o[i] = f(a[i], is_null);
    if (is_null) out.set_null(i);
  }
}

}  // namespace tributary::kernel
