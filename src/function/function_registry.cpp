// FunctionRegistry: overload resolution in Trino's spirit. Every binder of a
// name is asked whether it accepts the argument types; an overload whose
// parameters equal the arguments wins, otherwise the most specific of the
// coercing overloads (the one whose parameters coerce to every other
// candidate's parameters) is chosen, so integer + bigint binds to the bigint
// operator rather than the double or decimal one.
#include <algorithm>
#include <cctype>
#include <cstdint>

#include "common/error.h"
#include "common/text.h"
#include "function/function.h"

namespace tributary {

namespace {

std::string type_list(const std::vector<Type>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); i++) {
    if (i) out += ", ";
    out += types[i].to_string();
  }
  return out;
}

// Whether argument `arg` fits parameter `param` of an add_simple signature,
// and the type the argument is coerced to.
bool match_param(const Type& arg, const Type& param, Type* bound) {
  if (param.id == TypeId::DECIMAL) {
    // Generic decimal parameter: keeps the argument's precision and scale.
    if (arg.id == TypeId::DECIMAL) {
      *bound = arg;
      return true;
    }
    if (arg.is_integer()) {
      *bound = integer_as_decimal(arg.id);
      return true;
    }
    if (arg.id == TypeId::UNKNOWN) {
      *bound = Type::decimal(1, 0);
      return true;
    }
    return false;
  }
  if (param.id == TypeId::VARCHAR) {
    if (arg.id == TypeId::VARCHAR) {
      *bound = arg;
      return true;
    }
    if (arg.id == TypeId::UNKNOWN) {
      *bound = Type::varchar();
      return true;
    }
    return false;
  }
  if (param.id == TypeId::TIMESTAMP && arg.id == TypeId::TIMESTAMP) {
    *bound = arg;  // any timestamp precision
    return true;
  }
  if (arg == param || arg.id == TypeId::UNKNOWN || can_coerce(arg, param)) {
    *bound = param;
    return true;
  }
  return false;
}

const char* operator_symbol(const std::string& name) {
  if (name == "$add") return "+";
  if (name == "$subtract") return "-";
  if (name == "$multiply") return "*";
  if (name == "$divide") return "/";
  if (name == "$modulus") return "%";
  if (name == "$negate") return "-";
  if (name == "$eq") return "=";
  if (name == "$ne") return "<>";
  if (name == "$lt") return "<";
  if (name == "$le") return "<=";
  if (name == "$gt") return ">";
  if (name == "$ge") return ">=";
  return nullptr;
}

// True when every parameter of `a` coerces to the corresponding parameter of `b`.
bool more_specific(const std::vector<Type>& a, const std::vector<Type>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (!(a[i] == b[i]) && !can_coerce(a[i], b[i])) return false;
  }
  return true;
}

}  // namespace

void FunctionRegistry::add_scalar(const std::string& name, ScalarBinder binder) {
  scalars_[to_lower_ascii(name)].push_back(std::move(binder));
}

void FunctionRegistry::add_simple(const std::string& name, std::vector<Type> params, Type result,
                                  ScalarKernel kernel, bool deterministic) {
  std::string key = to_lower_ascii(name);
  std::string doc = key + "(";
  for (size_t i = 0; i < params.size(); i++) {
    if (i) doc += ", ";
    doc += params[i].id == TypeId::DECIMAL   ? "decimal(p,s)"
              : params[i].id == TypeId::VARCHAR ? "varchar"
                                                : params[i].to_string();
  }
  doc += ")";
  add_signature_doc(key, doc);
  auto shared_kernel = std::make_shared<ScalarKernel>(std::move(kernel));
  add_scalar(key, [key, params = std::move(params), result, shared_kernel, deterministic](
                      const std::vector<Type>& args, const std::vector<const Value*>&, BoundFunction* out) {
    if (args.size() != params.size()) return false;
    std::vector<Type> bound(args.size());
    for (size_t i = 0; i < args.size(); i++) {
      if (!match_param(args[i], params[i], &bound[i])) return false;
    }
    out->name = key;
    out->arg_types = std::move(bound);
    out->return_type = result;
    out->kernel = *shared_kernel;
    out->state = nullptr;
    out->deterministic = deterministic;
    return true;
  });
}

void FunctionRegistry::add_aggregate(const std::string& name, AggregateBinder binder) {
  aggregates_[to_lower_ascii(name)].push_back(std::move(binder));
}

void FunctionRegistry::add_signature_doc(const std::string& name, const std::string& signature) {
  auto& docs = signatures_[to_lower_ascii(name)];
  if (std::find(docs.begin(), docs.end(), signature) == docs.end()) docs.push_back(signature);
}

bool FunctionRegistry::has_scalar(const std::string& name) const { return scalars_.count(to_lower_ascii(name)) > 0; }

bool FunctionRegistry::has_aggregate(const std::string& name) const { return aggregates_.count(to_lower_ascii(name)) > 0; }

std::vector<std::string> FunctionRegistry::scalar_names() const {
  std::vector<std::string> names;
  for (const auto& [name, binders] : scalars_) names.push_back(name);
  return names;
}

std::vector<std::string> FunctionRegistry::aggregate_names() const {
  std::vector<std::string> names;
  for (const auto& [name, binders] : aggregates_) names.push_back(name);
  return names;
}

static std::vector<std::string> visible_names(const std::map<std::string, std::vector<ScalarBinder>>& scalars,
                                              const std::map<std::string, std::vector<AggregateBinder>>& aggregates) {
  std::vector<std::string> names;
  for (const auto& entry : scalars)
    if (!entry.first.empty() && entry.first[0] != '$') names.push_back(entry.first);
  for (const auto& entry : aggregates)
    if (!entry.first.empty() && entry.first[0] != '$') names.push_back(entry.first);
  return names;
}

BoundFunction FunctionRegistry::bind_scalar(const std::string& name, const std::vector<Type>& args,
                                            const std::vector<const Value*>& constants) const {
  std::string key = to_lower_ascii(name);
  auto it = scalars_.find(key);
  if (it == scalars_.end()) {
    if (aggregates_.count(key)) {
      throw_error(ErrorCode::NOT_SUPPORTED, "Aggregate function '" + key + "' is not allowed here");
    }
    throw_error(ErrorCode::NOT_FOUND,
                "Function '" + key + "' not registered." + did_you_mean(key, visible_names(scalars_, aggregates_)));
  }
  std::vector<const Value*> padded = constants;
  padded.resize(args.size(), nullptr);

  std::vector<BoundFunction> candidates;
  for (const auto& binder : it->second) {
    BoundFunction bound;
    if (!binder(args, padded, &bound)) continue;
    if (bound.name.empty()) bound.name = key;
    if (bound.arg_types == args) return bound;  // exact match wins
    candidates.push_back(std::move(bound));
  }
  if (!candidates.empty()) {
    for (size_t i = 0; i < candidates.size(); i++) {
      bool best = true;
      for (size_t j = 0; j < candidates.size() && best; j++) {
        if (i != j && !more_specific(candidates[i].arg_types, candidates[j].arg_types)) best = false;
      }
      if (best) return std::move(candidates[i]);
    }
    // No candidate dominates: take the one that coerces the fewest arguments.
    size_t best = 0, best_coercions = SIZE_MAX;
    for (size_t i = 0; i < candidates.size(); i++) {
      size_t coercions = 0;
      for (size_t k = 0; k < args.size(); k++) coercions += !(candidates[i].arg_types[k] == args[k]);
      if (coercions < best_coercions) {
        best = i;
        best_coercions = coercions;
      }
    }
    return std::move(candidates[best]);
  }

  if (const char* symbol = operator_symbol(key)) {
    if (key == "$negate" && args.size() == 1) {
      throw_error(ErrorCode::TYPE_MISMATCH, "Cannot apply operator: -" + args[0].to_string());
    }
    if (args.size() == 2) {
      throw_error(ErrorCode::TYPE_MISMATCH, "Cannot apply operator: " + args[0].to_string() + " " + symbol + " " +
                                                args[1].to_string());
    }
  }
  std::string display = key == "$like" ? "like" : key;
  std::string message = "Unexpected parameters (" + type_list(args) + ") for function " + display + ".";
  auto docs = signatures_.find(key);
  if (docs != signatures_.end() && !docs->second.empty()) {
    message += " Expected: ";
    for (size_t i = 0; i < docs->second.size(); i++) {
      if (i) message += ", ";
      message += docs->second[i];
    }
  }
  throw_error(ErrorCode::TYPE_MISMATCH, message);
}

BoundAggregate FunctionRegistry::bind_aggregate(const std::string& name, const std::vector<Type>& args) const {
  std::string key = to_lower_ascii(name);
  auto it = aggregates_.find(key);
  if (it == aggregates_.end()) {
    throw_error(ErrorCode::NOT_FOUND,
                "Function '" + key + "' not registered." + did_you_mean(key, visible_names(scalars_, aggregates_)));
  }
  for (const auto& binder : it->second) {
    BoundAggregate bound;
    if (binder(args, &bound)) {
      if (bound.name.empty()) bound.name = key;
      return bound;
    }
  }
  std::string message = "Unexpected parameters (" + type_list(args) + ") for function " + key + ".";
  auto docs = signatures_.find(key);
  if (docs != signatures_.end() && !docs->second.empty()) {
    message += " Expected: ";
    for (size_t i = 0; i < docs->second.size(); i++) {
      if (i) message += ", ";
      message += docs->second[i];
    }
  }
  throw_error(ErrorCode::TYPE_MISMATCH, message);
}

const FunctionRegistry& global_registry() {
  static const FunctionRegistry registry = [] {
    FunctionRegistry r;
    register_operators(r);
    register_math_functions(r);
    register_string_functions(r);
    register_datetime_functions(r);
    register_conditional_functions(r);
    register_aggregate_functions(r);
    return r;
  }();
  return registry;
}

}  // namespace tributary
