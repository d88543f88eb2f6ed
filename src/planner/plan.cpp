#include "planner/plan.h"

#include <cstdio>

#include "planner/operator_stats.h"

namespace tributary::planner {

int column_position(const PlanNode& node, int symbol) {
  for (size_t i = 0; i < node.columns.size(); i++)
    if (node.columns[i].symbol == symbol) return (int)i;
  return -1;
}

static std::string join_kind_name(JoinKind kind) {
  switch (kind) {
    case JoinKind::INNER: return "InnerJoin";
    case JoinKind::LEFT: return "LeftJoin";
    case JoinKind::RIGHT: return "RightJoin";
    case JoinKind::FULL: return "FullJoin";
    case JoinKind::CROSS: return "CrossJoin";
    case JoinKind::SEMI: return "SemiJoin";
    case JoinKind::ANTI: return "AntiJoin";
  }
  return "Join";
}

static std::string format_bytes(uint64_t bytes) {
  char buffer[64];
  if (bytes >= (1ull << 30))
    std::snprintf(buffer, sizeof buffer, "%.2fGB", bytes / double(1ull << 30));
  else if (bytes >= (1ull << 20))
    std::snprintf(buffer, sizeof buffer, "%.2fMB", bytes / double(1ull << 20));
  else if (bytes >= 1024)
    std::snprintf(buffer, sizeof buffer, "%.2fkB", bytes / 1024.0);
  else
    std::snprintf(buffer, sizeof buffer, "%lluB", (unsigned long long)bytes);
  return buffer;
}

static void render(const PlanNode& node, bool analyze, int depth, std::string& out) {
  std::string indent(depth * 4, ' ');
  std::string line;
  std::vector<std::string> details;
  switch (node.kind) {
    case PlanKind::SCAN: {
      line = "TableScan[" + node.catalog + "." + node.table.schema + "." + node.table.name + "]";
      std::string cols;
      for (size_t i = 0; i < node.columns.size(); i++) cols += (i ? ", " : "") + node.columns[i].name;
      details.push_back("columns: [" + cols + "]");
      if (!node.request.constraint.is_all()) {
        std::string constraint;
        if (node.request.constraint.none) constraint = "NONE";
        for (const auto& [column, domain] : node.request.constraint.columns) {
          if (!constraint.empty()) constraint += " AND ";
          std::string text = domain.to_string(node.table.columns[column].name);
          if (text.find(" OR ") != std::string::npos && node.request.constraint.columns.size() > 1) text = "(" + text + ")";
          constraint += text;
        }
        details.push_back(std::string("constraint: ") + constraint +
                          (node.pushdown.constraint_enforced ? " (enforced by source)" : " (source may use; rechecked)"));
      }
      if (!node.request.expressions.empty()) {
        std::vector<std::string> names;
        for (const auto& c : node.table.columns) names.push_back(c.name);
        for (size_t i = 0; i < node.request.expressions.size(); i++) {
          bool enforced = i < node.pushdown.expressions_enforced.size() && node.pushdown.expressions_enforced[i];
          details.push_back("expression: " + node.request.expressions[i]->to_string(names) +
                            (enforced ? " (enforced by source)" : " (offered; rechecked)"));
        }
      }
      if (node.request.limit) details.push_back("limit: " + std::to_string(*node.request.limit) +
                                                (node.pushdown.limit_enforced ? " (enforced by source)" : " (hint)"));
      for (const auto& d : node.pushdown.details) details.push_back("source: " + d);
      if (!analyze)
        for (const auto& f : node.dynamic_filters)
          details.push_back("dynamic filter on " + node.table.columns[f->scan_column].name + " from a join build side");
      break;
    }
    case PlanKind::FILTER:
      line = "Filter";
      details.push_back("predicate: " + expr_display(*node.predicate));
      break;
    case PlanKind::PROJECT: {
      line = "Project";
      std::string exprs;
      for (size_t i = 0; i < node.exprs.size(); i++)
        exprs += (i ? ", " : "") + node.columns[i].name + " := " + expr_display(*node.exprs[i]);
      details.push_back("[" + exprs + "]");
      break;
    }
    case PlanKind::AGGREGATE: {
      line = node.aggregates.empty() ? "Aggregate(DISTINCT)" : "Aggregate";
      std::string keys;
      for (size_t i = 0; i < node.group_keys.size(); i++) keys += (i ? ", " : "") + expr_display(*node.group_keys[i]);
      if (!keys.empty()) details.push_back("keys: [" + keys + "]");
      std::string aggs;
      for (size_t i = 0; i < node.aggregates.size(); i++) {
        const auto& a = node.aggregates[i];
        aggs += (i ? ", " : "") + a.function->name + "(" + (a.distinct ? "DISTINCT " : "");
        for (size_t j = 0; j < a.args.size(); j++) aggs += (j ? ", " : "") + expr_display(*a.args[j]);
        aggs += ")";
        if (a.filter) aggs += " FILTER " + expr_display(*a.filter);
      }
      if (!aggs.empty()) details.push_back("aggregates: [" + aggs + "]");
      break;
    }
    case PlanKind::JOIN: {
      line = join_kind_name(node.join_kind);
      std::string keys;
      for (size_t i = 0; i < node.equi_keys.size(); i++)
        keys += (i ? " AND " : "") + expr_display(*node.equi_keys[i].first) + " = " +
                expr_display(*node.equi_keys[i].second);
      if (!keys.empty()) details.push_back("hash keys: " + keys + " (build: right)");
      if (node.residual) details.push_back("filter: " + expr_display(*node.residual));
      if (node.join_condition && node.equi_keys.empty() && !node.residual)
        details.push_back("condition: " + expr_display(*node.join_condition));
      break;
    }
    case PlanKind::SORT: {
      line = node.limit >= 0 ? "TopN[" + std::to_string(node.limit) + "]" : "Sort";
      std::string keys;
      for (size_t i = 0; i < node.sort_keys.size(); i++)
        keys += (i ? ", " : "") + expr_display(*node.sort_keys[i].expr) + (node.sort_keys[i].ascending ? " ASC" : " DESC") +
                (node.sort_keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST");
      details.push_back("order by: [" + keys + "]");
      break;
    }
    case PlanKind::LIMIT:
      line = "Limit[" + (node.limit >= 0 ? std::to_string(node.limit) : std::string("ALL")) +
             (node.offset ? ", offset " + std::to_string(node.offset) : "") + "]";
      break;
    case PlanKind::SET_OPERATION: {
      const char* names[] = {"Union", "Intersect", "Except"};
      line = std::string(names[node.set_op]) + (node.set_all ? "All" : "Distinct");
      break;
    }
    case PlanKind::VALUES: line = "Values[" + std::to_string(node.rows.size()) + " rows]"; break;
    case PlanKind::WINDOW: {
      line = "Window";
      std::string calls;
      for (size_t i = 0; i < node.window_calls.size(); i++)
        calls += (i ? ", " : "") + (node.window_calls[i].aggregate ? node.window_calls[i].aggregate->name
                                                                   : node.window_calls[i].function);
      details.push_back("functions: [" + calls + "]");
      break;
    }
  }
  if (node.estimated_rows >= 0 && !analyze) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, " {rows: ~%.0f}", node.estimated_rows);
    line += buffer;
  }
  if (analyze && node.stats) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, " {output: %llu rows, time: %.2fms",
                  (unsigned long long)node.stats->output_rows.load(), node.stats->wall_nanos.load() / 1e6);
    line += buffer;
    if (node.kind == PlanKind::SCAN) {
      line += ", read: " + format_bytes(node.stats->bytes_read.load()) + ", splits: " +
              std::to_string(node.stats->splits.load());
      if (uint64_t requests = node.stats->source_requests.load()) line += ", source requests: " + std::to_string(requests);
      if (uint64_t milli = node.stats->capacity_milli.load()) {
        char capacity[48];
        std::snprintf(capacity, sizeof capacity, ", capacity: %.1f RCU", milli / 1000.0);
        line += capacity;
      }
      if (uint64_t rejected = node.stats->rejected_values.load())
        line += ", values read as NULL (type mismatch): " + std::to_string(rejected);
      std::lock_guard<std::mutex> lock(node.stats->access_path_mutex);
      if (!node.stats->access_paths.empty()) line += ", access: " + node.stats->access_paths;
    }
    line += "}";
  }
  out += indent + "- " + line + "\n";
  for (const auto& d : details) out += indent + "      " + d + "\n";
  for (const auto& child : node.children) render(*child, analyze, depth + 1, out);
}

std::string plan_to_string(const PlanNode& node, bool analyze) {
  std::string out;
  render(node, analyze, 0, out);
  return out;
}

}  // namespace tributary::planner
