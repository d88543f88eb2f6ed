#include "connectors/dynamodb/dynamodb_access_path.h"

#include <algorithm>
#include <cmath>

namespace tributary::dynamodb {

const char* access_kind_name(AccessKind kind) {
  switch (kind) {
    case AccessKind::EMPTY: return "nothing (contradiction)";
    case AccessKind::GET_ITEM: return "GetItem";
    case AccessKind::BATCH_GET_ITEM: return "BatchGetItem";
    case AccessKind::QUERY: return "Query";
    case AccessKind::SCAN: return "Scan";
  }
  return "?";
}

namespace {

const Domain* domain_of(const ScanRequest& request, int column) {
  if (column < 0) return nullptr;
  auto it = request.constraint.columns.find(column);
  return it == request.constraint.columns.end() ? nullptr : &it->second;
}

// The typed values of a domain made only of single values, deduplicated; nullopt otherwise.
std::optional<std::vector<nlohmann::json>> single_values(const ColumnSpec& column, const Domain* domain) {
  if (!domain || domain->all || domain->null_allowed || domain->ranges.empty()) return std::nullopt;
  std::vector<nlohmann::json> values;
  std::set<std::string> seen;
  for (const auto& r : domain->ranges) {
    if (!r.is_single_value()) return std::nullopt;
    auto v = attribute_value(r.low, column);
    if (!v) return std::nullopt;
    if (seen.insert(v->dump()).second) values.push_back(std::move(*v));
  }
  return values;
}

// The one sort-key range a Query can use, exactly; nullopt otherwise.
std::optional<Range> key_range(const ColumnSpec& column, const Domain* domain) {
  if (!domain || domain->all || domain->null_allowed || domain->ranges.size() != 1) return std::nullopt;
  const Range& r = domain->ranges[0];
  if (!key_condition_range_supported(r)) return std::nullopt;
  if (!r.low_unbounded && !attribute_value(r.low, column)) return std::nullopt;
  if (!r.high_unbounded && !attribute_value(r.high, column)) return std::nullopt;
  return r;
}

// A range on an N column also matches numbers the column cannot hold: not exact.
bool range_exact(const ColumnSpec& column, const Range& r) { return column.kind != AttributeKind::N || r.is_single_value(); }

}  // namespace

AccessPath choose_access_path(const TableDescription& table, const ScanRequest& request, size_t max_keys) {
  AccessPath path;
  if (request.constraint.none) {
    path.kind = AccessKind::EMPTY;
    return path;
  }
  for (const auto& [column, domain] : request.constraint.columns)
    if (domain.is_none()) {
      path.kind = AccessKind::EMPTY;
      return path;
    }
  int h = table.column_of_attribute(table.keys.hash_key);
  int r = table.keys.range_key.empty() ? -1 : table.column_of_attribute(table.keys.range_key);
  std::optional<std::vector<nlohmann::json>> hash_values;
  if (h >= 0) hash_values = single_values(table.columns[h], domain_of(request, h));
  if (hash_values && hash_values->size() <= max_keys) {
    std::optional<std::vector<nlohmann::json>> range_values;
    if (r >= 0) range_values = single_values(table.columns[r], domain_of(request, r));
    if (r < 0 || (range_values && hash_values->size() * range_values->size() <= max_keys)) {
      for (const auto& hv : *hash_values) {
        if (r < 0) {
          path.keys.push_back({{table.keys.hash_key, hv}});
        } else {
          for (const auto& rv : *range_values) path.keys.push_back({{table.keys.hash_key, hv}, {table.keys.range_key, rv}});
        }
      }
      path.kind = path.keys.size() == 1 ? AccessKind::GET_ITEM : AccessKind::BATCH_GET_ITEM;
      path.enforced_columns.insert(h);
      if (r >= 0) path.enforced_columns.insert(r);
      return path;
    }
    path.kind = AccessKind::QUERY;
    path.hash_column = h;
    path.range_column = r;
    path.hash_values = *hash_values;
    path.enforced_columns.insert(h);
    path.range = key_range(table.columns[r], domain_of(request, r));
    if (path.range && range_exact(table.columns[r], *path.range)) path.enforced_columns.insert(r);
    return path;
  }
  // Secondary indexes: the first whose hash key has single values and which projects what is
  // needed; an index whose sort key also takes a condition wins.
  std::vector<std::string> needed;
  for (int c : request.columns) needed.push_back(table.columns[c].attribute);
  for (const auto& [c, d] : request.constraint.columns) needed.push_back(table.columns[c].attribute);
  std::optional<AccessPath> best;
  for (const auto& index : table.indexes) {
    int ih = table.column_of_attribute(index.keys.hash_key);
    if (ih < 0) continue;
    auto values = single_values(table.columns[ih], domain_of(request, ih));
    if (!values || values->size() > max_keys) continue;
    bool covered = true;
    for (const auto& a : needed) covered &= index.projects(a, table.keys);
    if (!covered) continue;
    AccessPath candidate;
    candidate.kind = AccessKind::QUERY;
    candidate.index_name = index.name;
    candidate.hash_column = ih;
    candidate.range_column = index.keys.range_key.empty() ? -1 : table.column_of_attribute(index.keys.range_key);
    candidate.hash_values = *values;
    candidate.enforced_columns.insert(ih);
    if (candidate.range_column >= 0) {
      candidate.range = key_range(table.columns[candidate.range_column], domain_of(request, candidate.range_column));
      if (candidate.range && range_exact(table.columns[candidate.range_column], *candidate.range))
        candidate.enforced_columns.insert(candidate.range_column);
    }
    if (!best || (candidate.range && !best->range)) best = candidate;
  }
  if (best) return *best;
  path.kind = AccessKind::SCAN;
  return path;
}

int choose_scan_segments(const TableDescription& table, const ScanOptions& options) {
  if (options.scan_segments > 0) return options.scan_segments;
  // TableSizeBytes lags (about six hours on AWS; local servers report 0): unknown size
  // gets one segment per core rather than a single serial scan.
  if (table.size_bytes <= 0 && table.item_count <= 0) return std::max(1, options.cores);
  int64_t by_size = (table.size_bytes + (4 << 20) - 1) / (4 << 20);
  int64_t cap = std::max(1, options.cores) * 4;
  return (int)std::clamp<int64_t>(by_size, 1, cap);
}

ScanPlan plan_scan(const TableDescription& table, const ScanRequest& request, const ScanOptions& options) {
  ScanPlan plan;
  plan.read_columns = request.columns;
  if (!options.pushdown) {
    plan.path.kind = AccessKind::SCAN;
    plan.segments = choose_scan_segments(table, options);
  } else {
    plan.path = choose_access_path(table, request);
    if (plan.path.kind == AccessKind::EMPTY) {
      plan.constraint_enforced = true;
      plan.limit_enforced = true;
      return plan;
    }
    std::set<std::string> index_keys;  // a Query's filter cannot name the queried key attributes
    if (plan.path.kind == AccessKind::QUERY) {
      index_keys.insert(table.columns[plan.path.hash_column].attribute);
      if (plan.path.range_column >= 0) index_keys.insert(table.columns[plan.path.range_column].attribute);
    }
    bool filterable_path = plan.path.kind == AccessKind::SCAN || plan.path.kind == AccessKind::QUERY;
    std::vector<std::string> conjuncts;
    for (const auto& [column, domain] : request.constraint.columns) {
      if (plan.path.enforced_columns.count(column)) continue;
      const ColumnSpec& spec = table.columns[column];
      bool exact = false;
      if (filterable_path && !index_keys.count(spec.attribute)) {
        if (auto t = translate_domain(plan.builder, spec, domain)) {
          if (!t->expression.empty()) conjuncts.push_back(t->expression);
          exact = t->exact;
        }
      }
      if (exact) continue;
      auto at = std::find(plan.read_columns.begin(), plan.read_columns.end(), column);
      int position = (int)(at - plan.read_columns.begin());
      if (at == plan.read_columns.end()) plan.read_columns.push_back(column);
      plan.residual.push_back({position, domain});
    }
    std::string filter;
    for (const auto& c : conjuncts) {
      if (!filter.empty()) filter += " AND ";
      filter += conjuncts.size() > 1 ? "(" + c + ")" : c;
    }
    plan.filter_expression = filter;
    plan.constraint_enforced = true;
    plan.segments = request.limit ? 1 : choose_scan_segments(table, options);
  }
  plan.count_only = plan.path.kind == AccessKind::SCAN && plan.read_columns.empty();
  if (!plan.count_only) {
    std::vector<std::string> attributes;
    for (int c : plan.read_columns) attributes.push_back(table.columns[c].attribute);
    // No column needed (count(*)): fetch only the key to keep items small.
    if (attributes.empty()) attributes.push_back(table.keys.hash_key);
    plan.projection_expression = projection_expression(plan.builder, attributes);
  }
  size_t splits = 1;
  if (plan.path.kind == AccessKind::SCAN) splits = (size_t)plan.segments;
  if (plan.path.kind == AccessKind::QUERY) splits = plan.path.hash_values.size();
  if (plan.path.kind == AccessKind::BATCH_GET_ITEM) splits = (plan.path.keys.size() + 99) / 100;
  plan.limit_enforced = plan.constraint_enforced && request.limit && splits == 1;
  return plan;
}

namespace {

std::string key_text(const nlohmann::json& typed) {
  if (typed.is_object() && typed.size() == 1) {
    const auto& v = typed.begin().value();
    if (typed.begin().key() == "S" && v.is_string()) {
      std::string out = "'";
      for (char c : v.get<std::string>()) out += c == '\'' ? std::string("''") : std::string(1, c);
      return out + "'";
    }
    if (v.is_string()) return v.get<std::string>();
  }
  return typed.dump();
}

}  // namespace

std::vector<std::string> ScanPlan::describe(const TableDescription& table) const {
  std::string text = std::string("dynamodb ") + access_kind_name(path.kind);
  if (!path.index_name.empty()) text += " on index " + path.index_name + " of " + table.name;
  else text += " on " + table.name;
  std::vector<std::string> notes;
  switch (path.kind) {
    case AccessKind::GET_ITEM: {
      std::string key;
      for (const auto& [attribute, value] : path.keys[0].items())
        key += (key.empty() ? "" : " AND ") + attribute + " = " + key_text(value);
      text += " key " + key;
      break;
    }
    case AccessKind::BATCH_GET_ITEM:
      notes.push_back(std::to_string(path.keys.size()) + " keys, " + std::to_string((path.keys.size() + 99) / 100) +
                      " calls of up to 100");
      break;
    case AccessKind::QUERY: {
      std::string hash = table.columns[path.hash_column].attribute;
      if (path.hash_values.size() == 1) notes.push_back("key " + hash + " = " + key_text(path.hash_values[0]));
      else notes.push_back(std::to_string(path.hash_values.size()) + " hash key values on " + hash);
      if (path.range) notes.push_back("sort key condition on " + table.columns[path.range_column].attribute);
      break;
    }
    case AccessKind::SCAN:
      notes.push_back(std::to_string(segments) + (segments == 1 ? " segment" : " segments"));
      if (count_only) notes.push_back("Select COUNT");
      break;
    case AccessKind::EMPTY: break;
  }
  if (!filter_expression.empty()) notes.push_back("filter: " + filter_expression);
  if (!projection_expression.empty()) notes.push_back("projection: " + projection_expression);
  if (!residual.empty()) notes.push_back(std::to_string(residual.size()) + " domain(s) re-checked on read items");
  if (!notes.empty()) {
    text += " (";
    for (size_t i = 0; i < notes.size(); i++) text += (i ? ", " : "") + notes[i];
    text += ")";
  }
  std::vector<std::string> out = {text};
  std::string placeholders = builder.describe_placeholders();
  if (!placeholders.empty()) out.push_back("dynamodb placeholders: " + placeholders);
  return out;
}

}  // namespace tributary::dynamodb
