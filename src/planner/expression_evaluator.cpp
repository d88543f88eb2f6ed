#include "planner/expression_evaluator.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "function/cast.h"
#include "planner/plan.h"

namespace tributary::planner {

namespace {

// Compares row i of a with row j of b (same physical type, both non-null).
int compare_rows(const Vector& a, size_t i, const Vector& b, size_t j) {
  switch (a.type().physical()) {
    case PhysicalType::BOOL: return (int)a.data<uint8_t>()[i] - (int)b.data<uint8_t>()[j];
    case PhysicalType::I64: {
      int64_t x = a.data<int64_t>()[i], y = b.data<int64_t>()[j];
      return x < y ? -1 : x > y;
    }
    case PhysicalType::F64: {
      double x = a.data<double>()[i], y = b.data<double>()[j];
      return x < y ? -1 : x > y;
    }
    case PhysicalType::I128: {
      int128 x = a.data<int128>()[i], y = b.data<int128>()[j];
      return x < y ? -1 : x > y;
    }
    case PhysicalType::STRING: {
      int c = a.data<std::string_view>()[i].compare(b.data<std::string_view>()[j]);
      return c < 0 ? -1 : c > 0;
    }
  }
  return 0;
}

Vector make_result(const Type& type, size_t count) {
  Vector v(type, std::max<size_t>(count, 1));
  return v;
}

// Evaluates expr only on rows `sel` of input; other rows of the result are NULL.
Vector evaluate_on_rows(const BoundExpr& expr, const Chunk& input, const std::vector<uint32_t>& sel,
                        EvalContext& context) {
  size_t n = input.size;
  if (sel.size() == n) return evaluate(expr, input, context);
  Vector out = make_result(expr.type, n);
  std::memset(out.nulls(), 1, n);
  out.mark_may_have_nulls();
  if (sel.empty()) return out;
  Chunk sub = input.select(sel.data(), sel.size());
  Vector partial = evaluate(expr, sub, context);
  // Scatter back.
  for (size_t k = 0; k < sel.size(); k++) {
    uint32_t row = sel[k];
    if (partial.is_null(k)) continue;
    out.nulls()[row] = 0;
    switch (expr.type.physical()) {
      case PhysicalType::BOOL: out.data<uint8_t>()[row] = partial.data<uint8_t>()[k]; break;
      case PhysicalType::I64: out.data<int64_t>()[row] = partial.data<int64_t>()[k]; break;
      case PhysicalType::F64: out.data<double>()[row] = partial.data<double>()[k]; break;
      case PhysicalType::I128: out.data<int128>()[row] = partial.data<int128>()[k]; break;
      case PhysicalType::STRING: out.data<std::string_view>()[row] = partial.data<std::string_view>()[k]; break;
    }
  }
  if (expr.type.physical() == PhysicalType::STRING) out.share_heaps(partial);
  return out;
}

void copy_row(const Vector& from, size_t i, Vector& to, size_t j) {
  if (from.is_null(i)) {
    to.set_null(j);
    return;
  }
  to.nulls()[j] = 0;
  switch (to.type().physical()) {
    case PhysicalType::BOOL: to.data<uint8_t>()[j] = from.data<uint8_t>()[i]; break;
    case PhysicalType::I64: to.data<int64_t>()[j] = from.data<int64_t>()[i]; break;
    case PhysicalType::F64: to.data<double>()[j] = from.data<double>()[i]; break;
    case PhysicalType::I128: to.data<int128>()[j] = from.data<int128>()[i]; break;
    case PhysicalType::STRING: to.data<std::string_view>()[j] = from.data<std::string_view>()[i]; break;
  }
}

Vector evaluate_logical(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  size_t n = input.size;
  bool is_and = expr.kind == BoundKind::AND;
  Vector left = evaluate(*expr.args[0], input, context);
  // The right side runs only where the left does not decide the result.
  std::vector<uint32_t> undecided;
  undecided.reserve(n);
  const uint8_t* lv = left.data<uint8_t>();
  for (size_t i = 0; i < n; i++) {
    bool decided = !left.is_null(i) && (is_and ? lv[i] == 0 : lv[i] != 0);
    if (!decided) undecided.push_back((uint32_t)i);
  }
  Vector out = make_result(Type::boolean(), n);
  uint8_t* o = out.data<uint8_t>();
  if (undecided.empty()) {
    for (size_t i = 0; i < n; i++) o[i] = is_and ? 0 : 1;
    out.set_all_valid(n);
    return out;
  }
  Vector right = evaluate_on_rows(*expr.args[1], input, undecided, context);
  const uint8_t* rv = right.data<uint8_t>();
  for (size_t i = 0; i < n; i++) {
    bool ln = left.is_null(i), rn = right.is_null(i);
    bool l = !ln && lv[i], r = !rn && rv[i];
    if (is_and) {
      if ((!ln && !l) || (!rn && !r)) {
        o[i] = 0;
        out.nulls()[i] = 0;
      } else if (ln || rn) {
        out.set_null(i);
      } else {
        o[i] = 1;
        out.nulls()[i] = 0;
      }
    } else {
      if (l || r) {
        o[i] = 1;
        out.nulls()[i] = 0;
      } else if (ln || rn) {
        out.set_null(i);
      } else {
        o[i] = 0;
        out.nulls()[i] = 0;
      }
    }
  }
  return out;
}

Vector evaluate_case(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  size_t n = input.size;
  Vector out = make_result(expr.type, n);
  std::memset(out.nulls(), 1, n);
  out.mark_may_have_nulls();
  std::vector<uint32_t> remaining(n);
  for (size_t i = 0; i < n; i++) remaining[i] = (uint32_t)i;
  size_t pairs = (expr.args.size() - (expr.has_else ? 1 : 0)) / 2;
  for (size_t p = 0; p < pairs && !remaining.empty(); p++) {
    Vector condition = evaluate_on_rows(*expr.args[2 * p], input, remaining, context);
    std::vector<uint32_t> taken, rest;
    for (uint32_t row : remaining) {
      if (!condition.is_null(row) && condition.data<uint8_t>()[row])
        taken.push_back(row);
      else
        rest.push_back(row);
    }
    if (!taken.empty()) {
      Vector result = evaluate_on_rows(*expr.args[2 * p + 1], input, taken, context);
      for (uint32_t row : taken) copy_row(result, row, out, row);
      if (expr.type.physical() == PhysicalType::STRING) out.share_heaps(result);
    }
    remaining = std::move(rest);
  }
  if (expr.has_else && !remaining.empty()) {
    Vector result = evaluate_on_rows(*expr.args.back(), input, remaining, context);
    for (uint32_t row : remaining) copy_row(result, row, out, row);
    if (expr.type.physical() == PhysicalType::STRING) out.share_heaps(result);
  }
  return out;
}

Vector evaluate_coalesce(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  size_t n = input.size;
  Vector out = make_result(expr.type, n);
  std::memset(out.nulls(), 1, n);
  out.mark_may_have_nulls();
  std::vector<uint32_t> remaining(n);
  for (size_t i = 0; i < n; i++) remaining[i] = (uint32_t)i;
  for (const auto& arg : expr.args) {
    if (remaining.empty()) break;
    Vector value = evaluate_on_rows(*arg, input, remaining, context);
    std::vector<uint32_t> rest;
    for (uint32_t row : remaining) {
      if (value.is_null(row)) {
        rest.push_back(row);
      } else {
        copy_row(value, row, out, row);
      }
    }
    if (expr.type.physical() == PhysicalType::STRING) out.share_heaps(value);
    remaining = std::move(rest);
  }
  return out;
}

Vector evaluate_in_list(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  size_t n = input.size;
  Vector value = evaluate(*expr.args[0], input, context);
  // The list is constant: put it in one vector, sorted, and binary search.
  std::vector<Value> items;
  bool list_has_null = false;
  for (size_t i = 1; i < expr.args.size(); i++) {
    const Value& v = expr.args[i]->value;
    if (v.is_null)
      list_has_null = true;
    else
      items.push_back(v);
  }
  std::sort(items.begin(), items.end(), [](const Value& a, const Value& b) { return a.compare(b) < 0; });
  Vector list(value.type(), std::max<size_t>(items.size(), 1));
  for (size_t i = 0; i < items.size(); i++) list.set_value(i, items[i]);
  Vector out = make_result(Type::boolean(), n);
  uint8_t* o = out.data<uint8_t>();
  for (size_t i = 0; i < n; i++) {
    if (value.is_null(i)) {
      out.set_null(i);
      continue;
    }
    size_t lo = 0, hi = items.size();
    bool found = false;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      int c = compare_rows(value, i, list, mid);
      if (c == 0) {
        found = true;
        break;
      }
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
    if (found) {
      o[i] = 1;
    } else if (list_has_null) {
      out.set_null(i);
    } else {
      o[i] = 0;
    }
  }
  return out;
}

std::shared_ptr<SubqueryInfo> subquery_for_row(const BoundExpr& expr, const std::vector<Vector>& outer_values,
                                               size_t row, EvalContext& context);

void compute_subquery(SubqueryInfo& info, const PlanPtr& plan, EvalContext& context) {
  if (!context.run_subquery)
    throw_error(ErrorCode::INTERNAL_ERROR, "subquery evaluation is not available in this context");
  std::vector<Chunk> chunks = context.run_subquery(plan);
  switch (info.kind) {
    case SubqueryInfo::SCALAR: {
      size_t rows = 0;
      for (const auto& c : chunks) rows += c.size;
      if (rows > 1) throw_error(ErrorCode::INVALID_ARGUMENT, "Scalar sub-query has returned multiple rows");
      info.scalar = Value::null(plan->columns[0].type);
      for (const auto& c : chunks)
        if (c.size > 0) info.scalar = c.columns[0].get_value(0);
      break;
    }
    case SubqueryInfo::EXISTS: {
      info.exists = false;
      for (const auto& c : chunks)
        if (c.size > 0) info.exists = true;
      break;
    }
    case SubqueryInfo::IN: {
      std::vector<Value> values;
      for (const auto& c : chunks)
        for (size_t i = 0; i < c.size; i++) {
          Value v = c.columns[0].get_value(i);
          if (v.is_null)
            info.in_has_null = true;
          else
            values.push_back(std::move(v));
        }
      std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) { return a.compare(b) < 0; });
      values.erase(std::unique(values.begin(), values.end(),
                               [](const Value& a, const Value& b) { return a.compare(b) == 0; }),
                   values.end());
      info.in_values = std::move(values);
      break;
    }
  }
  info.computed = true;
}

Vector evaluate_subquery(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  size_t n = input.size;
  SubqueryInfo& info = *expr.subquery;
  size_t value_args = info.kind == SubqueryInfo::IN ? 1 : 0;
  std::vector<Vector> outer_values;
  for (size_t i = value_args; i < expr.args.size(); i++) outer_values.push_back(evaluate(*expr.args[i], input, context));
  Vector in_value;
  if (value_args) in_value = evaluate(*expr.args[0], input, context);
  Vector out = make_result(expr.type, n);
  for (size_t row = 0; row < n; row++) {
    std::shared_ptr<SubqueryInfo> per_row;
    SubqueryInfo* result = &info;
    if (info.outer_symbols.empty()) {
      std::lock_guard<std::mutex> lock(info.mutex);
      if (!info.computed) compute_subquery(info, info.plan, context);
    } else {
      per_row = subquery_for_row(expr, outer_values, row, context);
      result = per_row.get();
    }
    switch (info.kind) {
      case SubqueryInfo::SCALAR:
        if (result->scalar.is_null)
          out.set_null(row);
        else
          out.set_value(row, result->scalar);
        break;
      case SubqueryInfo::EXISTS: out.data<uint8_t>()[row] = result->exists; break;
      case SubqueryInfo::IN: {
        if (in_value.is_null(row)) {
          if (result->in_values.empty() && !result->in_has_null) {
            out.data<uint8_t>()[row] = 0;
          } else {
            out.set_null(row);
          }
          break;
        }
        Value v = in_value.get_value(row);
        bool found = std::binary_search(result->in_values.begin(), result->in_values.end(), v,
                                        [](const Value& a, const Value& b) { return a.compare(b) < 0; });
        if (found) {
          out.data<uint8_t>()[row] = 1;
        } else if (result->in_has_null) {
          out.set_null(row);
        } else {
          out.data<uint8_t>()[row] = 0;
        }
        break;
      }
    }
  }
  return out;
}

std::shared_ptr<SubqueryInfo> subquery_for_row(const BoundExpr& expr, const std::vector<Vector>& outer_values,
                                               size_t row, EvalContext& context) {
  SubqueryInfo& info = *expr.subquery;
  std::vector<Value> key;
  for (const auto& v : outer_values) key.push_back(v.get_value(row));
  {
    std::lock_guard<std::mutex> lock(info.mutex);
    for (const auto& [cached_key, cached] : info.correlated_cache) {
      bool same = true;
      for (size_t i = 0; i < key.size() && same; i++)
        same = cached_key[i].is_null == key[i].is_null && (key[i].is_null || cached_key[i].compare(key[i]) == 0);
      if (same) return cached;
    }
  }
  std::vector<std::pair<int, Value>> bindings;
  for (size_t i = 0; i < key.size(); i++) bindings.push_back({info.outer_symbols[i], key[i]});
  auto result = std::make_shared<SubqueryInfo>();
  result->kind = info.kind;
  PlanPtr plan = bind_outer_values(info.plan, bindings);
  compute_subquery(*result, plan, context);
  std::lock_guard<std::mutex> lock(info.mutex);
  if (info.correlated_cache.size() < 100000) info.correlated_cache.push_back({key, result});
  return result;
}

bool is_value_error(const Error& error) {
  switch (error.code()) {
    case ErrorCode::DIVISION_BY_ZERO:
    case ErrorCode::INVALID_CAST:
    case ErrorCode::NUMERIC_OUT_OF_RANGE:
    case ErrorCode::INVALID_ARGUMENT: return true;
    default: return false;
  }
}

// try(x): evaluate the whole chunk; if a value error occurs, redo row by row so only
// the failing rows become NULL.
Vector evaluate_try(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  try {
    return evaluate(*expr.args[0], input, context);
  } catch (const Error& error) {
    if (!is_value_error(error)) throw;
  }
  size_t n = input.size;
  Vector out = make_result(expr.type, n);
  for (size_t row = 0; row < n; row++) {
    uint32_t sel = (uint32_t)row;
    Chunk one = input.select(&sel, 1);
    if (input.columns.empty()) one.size = 1;
    try {
      Vector v = evaluate(*expr.args[0], one, context);
      copy_row(v, 0, out, row);
      if (expr.type.physical() == PhysicalType::STRING) out.share_heaps(v);
    } catch (const Error& error) {
      if (!is_value_error(error)) throw;
      out.set_null(row);
    }
  }
  return out;
}

// A constant argument of a function call (the 1 of `1 - l_discount`) as a vector of at least n
// rows: filled once per thread and call site, then shared by every chunk (kernels only read
// their arguments). The cached value is compared too, so a recycled expression address
// never returns another constant.
Vector constant_argument(const BoundExpr& expr, size_t n) {
  struct Entry {
    const BoundExpr* expr = nullptr;
    Value value;
    Vector vector;
  };
  static constexpr size_t kEntries = 16;
  thread_local Entry entries[kEntries];
  thread_local size_t next_victim = 0;
  auto same_value = [&](const Value& cached) {
    if (cached.type != expr.value.type || cached.is_null != expr.value.is_null) return false;
    if (cached.is_null) return true;
    // Doubles by their bits: NaN compares equal to every double in Value::compare's order.
    if (cached.type.physical() == PhysicalType::F64) return std::memcmp(&cached.d, &expr.value.d, sizeof(double)) == 0;
    return cached.compare(expr.value) == 0;
  };
  for (auto& e : entries) {
    if (e.expr == &expr && e.vector.capacity() >= n && e.vector.type() == expr.value.type && same_value(e.value)) {
      return e.vector;
    }
  }
  Entry& e = entries[next_victim];
  next_victim = (next_victim + 1) % kEntries;
  e.expr = &expr;
  e.value = expr.value;
  e.vector = Vector::constant(expr.value, std::max(n, kChunkCapacity));
  return e.vector;
}

}  // namespace

Vector evaluate(const BoundExpr& expr, const Chunk& input, EvalContext& context) {
  size_t n = input.size;
  switch (expr.kind) {
    case BoundKind::CONSTANT: return Vector::constant(expr.value, n);
    case BoundKind::COLUMN:
      if (expr.index < 0 || expr.index >= (int)input.columns.size())
        throw_error(ErrorCode::INTERNAL_ERROR, "unresolved column " + expr.name);
      return input.columns[expr.index];
    case BoundKind::OUTER_REF:
      throw_error(ErrorCode::INTERNAL_ERROR, "unbound correlated reference " + expr.name);
    case BoundKind::CALL: {
      std::vector<Vector> args;
      args.reserve(expr.args.size());
      for (const auto& a : expr.args)
        args.push_back(a->kind == BoundKind::CONSTANT ? constant_argument(*a, n) : evaluate(*a, input, context));
      Vector out = make_result(expr.type, n);
      FunctionContext fallback;
      KernelCall call{context.function_context ? *context.function_context : fallback, args, n, expr.type,
                      expr.function->state.get()};
      expr.function->kernel(call, out);
      return out;
    }
    case BoundKind::CAST: {
      Vector in = evaluate(*expr.args[0], input, context);
      if (in.type() == expr.type) return in;
      Vector out = make_result(expr.type, n);
      cast_vector(in, out, n, expr.try_cast);
      return out;
    }
    case BoundKind::AND:
    case BoundKind::OR: return evaluate_logical(expr, input, context);
    case BoundKind::NOT: {
      Vector in = evaluate(*expr.args[0], input, context);
      Vector out = make_result(Type::boolean(), n);
      const uint8_t* iv = in.data<uint8_t>();
      uint8_t* o = out.data<uint8_t>();
      for (size_t i = 0; i < n; i++) o[i] = !iv[i];
      if (in.may_have_nulls()) {
        std::memcpy(out.nulls(), in.nulls(), n);
        out.mark_may_have_nulls();
      }
      return out;
    }
    case BoundKind::IS_NULL: {
      Vector in = evaluate(*expr.args[0], input, context);
      Vector out = make_result(Type::boolean(), n);
      uint8_t* o = out.data<uint8_t>();
      for (size_t i = 0; i < n; i++) o[i] = (in.is_null(i) != 0) != expr.negated;
      return out;
    }
    case BoundKind::IS_DISTINCT: {
      Vector a = evaluate(*expr.args[0], input, context);
      Vector b = evaluate(*expr.args[1], input, context);
      Vector out = make_result(Type::boolean(), n);
      uint8_t* o = out.data<uint8_t>();
      for (size_t i = 0; i < n; i++) {
        bool an = a.is_null(i), bn = b.is_null(i);
        bool distinct = (an || bn) ? an != bn : compare_rows(a, i, b, i) != 0;
        o[i] = distinct != expr.negated;
      }
      return out;
    }
    case BoundKind::CASE: return evaluate_case(expr, input, context);
    case BoundKind::COALESCE: return evaluate_coalesce(expr, input, context);
    case BoundKind::IN_LIST: return evaluate_in_list(expr, input, context);
    case BoundKind::SUBQUERY: return evaluate_subquery(expr, input, context);
    case BoundKind::TRY: return evaluate_try(expr, input, context);
  }
  throw_error(ErrorCode::INTERNAL_ERROR, "unknown expression kind");
}

std::vector<uint32_t> evaluate_filter(const BoundExpr& predicate, const Chunk& input, EvalContext& context) {
  Vector result = evaluate(predicate, input, context);
  // Branch-free: every row is written, and the cursor advances past the selected ones.
  const size_t n = input.size;
  std::vector<uint32_t> sel(n + 1);
  const uint8_t* v = result.data<uint8_t>();
  size_t k = 0;
  if (result.may_have_nulls()) {
    const uint8_t* nulls = result.nulls();
    for (size_t i = 0; i < n; i++) {
      sel[k] = (uint32_t)i;
      k += (v[i] != 0) & (nulls[i] == 0);
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      sel[k] = (uint32_t)i;
      k += v[i] != 0;
    }
  }
  sel.resize(k);
  return sel;
}

BExprPtr fold_constant(const BExprPtr& expr, FunctionContext& function_context) {
  switch (expr->kind) {
    case BoundKind::CONSTANT:
    case BoundKind::COLUMN:
    case BoundKind::OUTER_REF:
    case BoundKind::SUBQUERY: return expr;
    default: break;
  }
  for (const auto& a : expr->args)
    if (!a->is_constant()) return expr;
  if (!expr->deterministic()) return expr;
  try {
    Chunk one;
    one.size = 1;
    EvalContext context;
    context.function_context = &function_context;
    Vector v = evaluate(*expr, one, context);
    Value value = v.get_value(0);
    value.type = expr->type;
    return make_constant(value);
  } catch (const Error&) {
    return expr;
  }
}

void resolve_columns(BoundExpr& expr, const std::vector<int>& layout) {
  if (expr.kind == BoundKind::COLUMN) {
    auto it = std::find(layout.begin(), layout.end(), expr.symbol);
    if (it == layout.end())
      throw_error(ErrorCode::INTERNAL_ERROR, "column " + expr.name + " ($" + std::to_string(expr.symbol) +
                                                 ") is not produced by the operator's input");
    expr.index = (int)(it - layout.begin());
  }
  for (auto& a : expr.args) resolve_columns(*a, layout);
}

namespace {

BExprPtr replace_outer(const BExprPtr& e, const std::vector<std::pair<int, Value>>& values);

PlanPtr copy_plan(const PlanPtr& plan, const std::vector<std::pair<int, Value>>& values) {
  auto copy = std::make_shared<PlanNode>(*plan);
  copy->stats.reset();
  for (auto& child : copy->children) child = copy_plan(child, values);
  auto fix = [&](BExprPtr& e) {
    if (e) e = replace_outer(e, values);
  };
  fix(copy->predicate);
  for (auto& e : copy->exprs) fix(e);
  for (auto& e : copy->group_keys) fix(e);
  for (auto& a : copy->aggregates) {
    for (auto& e : a.args) fix(e);
    fix(a.filter);
  }
  fix(copy->join_condition);
  for (auto& [l, r] : copy->equi_keys) {
    fix(l);
    fix(r);
  }
  fix(copy->residual);
  for (auto& k : copy->sort_keys) fix(k.expr);
  for (auto& e : copy->partition_keys) fix(e);
  for (auto& k : copy->window_order) fix(k.expr);
  for (auto& w : copy->window_calls)
    for (auto& e : w.args) fix(e);
  return copy;
}

BExprPtr replace_outer(const BExprPtr& e, const std::vector<std::pair<int, Value>>& values) {
  if (e->kind == BoundKind::OUTER_REF) {
    for (const auto& [symbol, value] : values) {
      if (symbol == e->symbol) {
        Value v = value;
        v.type = e->type;
        return make_constant(v);
      }
    }
    return e;
  }
  bool changed = false;
  std::vector<BExprPtr> args;
  for (const auto& a : e->args) {
    args.push_back(replace_outer(a, values));
    if (args.back() != a) changed = true;
  }
  std::shared_ptr<SubqueryInfo> subquery;
  if (e->kind == BoundKind::SUBQUERY) {
    // Nested subqueries may reference the same outer symbols.
    subquery = std::make_shared<SubqueryInfo>();
    subquery->kind = e->subquery->kind;
    subquery->plan = copy_plan(e->subquery->plan, values);
    subquery->outer_symbols = e->subquery->outer_symbols;
    changed = true;
  }
  if (!changed) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  copy->args = args;
  if (subquery) copy->subquery = subquery;
  return copy;
}

}  // namespace

PlanPtr bind_outer_values(const PlanPtr& plan, const std::vector<std::pair<int, Value>>& values) {
  return copy_plan(plan, values);
}

}  // namespace tributary::planner
