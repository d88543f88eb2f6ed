#include "connector/connector.h"

#include <cmath>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"

namespace tributary {

namespace {

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
  return true;
}

// Compares two non-null values; tolerates mixed numeric types (a bigint literal
// against a decimal column, an integer against a double) so the planner need not
// coerce every bound first.
int compare_values(const Value& a, const Value& b) {
  PhysicalType pa = a.type.physical(), pb = b.type.physical();
  if (pa == pb && (pa != PhysicalType::I128 || a.type.scale == b.type.scale)) return a.compare(b);
  auto as_double = [](const Value& v) -> double {
    switch (v.type.physical()) {
      case PhysicalType::BOOL: return v.b;
      case PhysicalType::I64: return (double)v.i;
      case PhysicalType::F64: return v.d;
      case PhysicalType::I128: return decimal::to_double(v.dec, v.type.scale);
      case PhysicalType::STRING: return 0;
    }
    return 0;
  };
  // Exact paths for integer/decimal mixes.
  auto as_decimal = [](const Value& v, int scale, int128* out) -> bool {
    if (v.type.physical() == PhysicalType::I64) {
      *out = (int128)v.i * decimal::pow10(scale);
      return true;
    }
    if (v.type.physical() == PhysicalType::I128) {
      *out = decimal::rescale(v.dec, v.type.scale, scale);
      return v.type.scale <= scale;
    }
    return false;
  };
  if ((pa == PhysicalType::I128 || pb == PhysicalType::I128) && pa != PhysicalType::F64 && pb != PhysicalType::F64) {
    int scale = std::max(pa == PhysicalType::I128 ? a.type.scale : 0, pb == PhysicalType::I128 ? b.type.scale : 0);
    int128 x, y;
    if (as_decimal(a, scale, &x) && as_decimal(b, scale, &y)) return x < y ? -1 : x > y;
  }
  double x = as_double(a), y = as_double(b);
  return x < y ? -1 : x > y;
}

std::string literal(const Value& v) {
  if (v.is_null) return "NULL";
  switch (v.type.id) {
    case TypeId::VARCHAR: {
      std::string out = "'";
      for (char c : v.s) {
        if (c == '\'') out += '\'';
        out += c;
      }
      return out + "'";
    }
    case TypeId::VARBINARY: return "X'" + v.to_string() + "'";
    case TypeId::DATE: return "DATE '" + v.to_string() + "'";
    case TypeId::TIMESTAMP: return "TIMESTAMP '" + v.to_string() + "'";
    default: return v.to_string();
  }
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, ConnectorFactory> factories;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

int TableMetadata::column_index(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); i++)
    if (iequals(columns[i].name, column)) return (int)i;
  return -1;
}

bool Range::contains(const Value& v) const {
  if (v.is_null) return false;
  if (!low_unbounded) {
    int c = compare_values(v, low);
    if (c < 0 || (c == 0 && !low_inclusive)) return false;
  }
  if (!high_unbounded) {
    int c = compare_values(v, high);
    if (c > 0 || (c == 0 && !high_inclusive)) return false;
  }
  return true;
}

bool Domain::contains(const Value& v) const {
  if (v.is_null) return null_allowed;
  if (all) return true;
  for (const auto& r : ranges)
    if (r.contains(v)) return true;
  return false;
}

bool Domain::may_overlap(const Value& min, const Value& max) const {
  if (all) return true;
  for (const auto& r : ranges) {
    if (!r.high_unbounded) {
      int c = compare_values(r.high, min);
      if (c < 0 || (c == 0 && !r.high_inclusive)) continue;
    }
    if (!r.low_unbounded) {
      int c = compare_values(r.low, max);
      if (c > 0 || (c == 0 && !r.low_inclusive)) continue;
    }
    return true;
  }
  return false;
}

std::string Domain::to_string(const std::string& column) const {
  if (is_none()) return "false";
  if (all) return null_allowed ? "true" : column + " IS NOT NULL";
  std::vector<Range> sorted = ranges;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Range& a, const Range& b) {
    if (a.low_unbounded != b.low_unbounded) return a.low_unbounded;
    if (a.low_unbounded) return false;
    return compare_values(a.low, b.low) < 0;
  });
  std::vector<std::string> singles, terms;
  for (const auto& r : sorted) {
    if (r.is_single_value()) {
      std::string lit = literal(r.low);
      if (singles.empty() || singles.back() != lit) singles.push_back(lit);
      continue;
    }
    std::string term;
    if (!r.low_unbounded) term = column + (r.low_inclusive ? " >= " : " > ") + literal(r.low);
    if (!r.high_unbounded) {
      if (!term.empty()) term += " AND ";
      term += column + (r.high_inclusive ? " <= " : " < ") + literal(r.high);
    }
    if (term.empty()) term = column + " IS NOT NULL";
    terms.push_back(term);
  }
  if (singles.size() == 1) {
    terms.insert(terms.begin(), column + " = " + singles[0]);
  } else if (singles.size() > 1) {
    std::string in = column + " IN (";
    for (size_t i = 0; i < singles.size(); i++) in += (i ? "," : "") + singles[i];
    terms.insert(terms.begin(), in + ")");
  }
  if (null_allowed) terms.insert(terms.begin(), column + " IS NULL");
  if (terms.size() == 1) return terms[0];
  std::string out;
  for (size_t i = 0; i < terms.size(); i++) {
    if (i) out += " OR ";
    bool needs_parens = terms[i].find(" AND ") != std::string::npos;
    out += needs_parens ? "(" + terms[i] + ")" : terms[i];
  }
  return out;
}

void register_connector_factory(const std::string& connector_name, ConnectorFactory factory) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[connector_name] = std::move(factory);
}

std::vector<std::string> connector_names() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, factory] : r.factories) names.push_back(name);
  return names;
}

std::shared_ptr<Connector> create_connector(const std::string& catalog_name, const ConnectorProperties& properties) {
  std::string name = require_property(properties, "connector.name", catalog_name);
  ConnectorFactory factory;
  {
    auto& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.factories.find(name);
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    throw_error(ErrorCode::NOT_FOUND, "Unknown connector '" + name + "' for catalog '" + catalog_name + "'." +
                                          did_you_mean(name, connector_names()));
  }
  return factory(catalog_name, properties);
}

std::string require_property(const ConnectorProperties& properties, const std::string& key,
                             const std::string& catalog_name) {
  auto it = properties.find(key);
  if (it == properties.end() || it->second.empty())
    throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog_name + "' is missing required property '" + key + "'");
  return it->second;
}

std::string get_property(const ConnectorProperties& properties, const std::string& key,
                         const std::string& default_value) {
  auto it = properties.find(key);
  return it == properties.end() ? default_value : it->second;
}

int integer_property(const ConnectorProperties& properties, const std::string& key, int default_value, int minimum,
                     const std::string& context) {
  auto it = properties.find(key);
  if (it == properties.end()) return default_value;
  try {
    size_t used = 0;
    long v = std::stol(it->second, &used);
    if (used == it->second.size() && v >= minimum && v <= 1000000000) return (int)v;
  } catch (...) {
  }
  throw_error(ErrorCode::INVALID_ARGUMENT, context + ": property '" + key + "' must be an integer >= " +
                                               std::to_string(minimum) + ", got '" + it->second + "'");
}

double non_negative_property(const ConnectorProperties& properties, const std::string& key, double default_value,
                             const std::string& context) {
  auto it = properties.find(key);
  if (it == properties.end()) return default_value;
  try {
    size_t used = 0;
    double v = std::stod(it->second, &used);
    if (used == it->second.size() && v >= 0 && std::isfinite(v)) return v;
  } catch (...) {
  }
  throw_error(ErrorCode::INVALID_ARGUMENT,
              context + ": property '" + key + "' must be a non-negative number, got '" + it->second + "'");
}

}  // namespace tributary

namespace tributary {

std::string PushedExpression::to_string(const std::vector<std::string>& column_names) const {
  auto arg = [&](size_t i) { return args[i]->to_string(column_names); };
  switch (kind) {
    case Kind::COLUMN: return column >= 0 && column < (int)column_names.size() ? column_names[column] : "?";
    case Kind::CONSTANT:
      if (value.is_null) return "NULL";
      if (value.type.is_string() || value.type.is_temporal()) return "'" + value.to_string() + "'";
      return value.to_string();
    case Kind::COMPARE: return "(" + arg(0) + " " + op + " " + arg(1) + ")";
    case Kind::LIKE:
      return "(" + arg(0) + " LIKE " + arg(1) + (args.size() > 2 ? " ESCAPE " + arg(2) : std::string()) + ")";
    case Kind::AND: return "(" + arg(0) + " AND " + arg(1) + ")";
    case Kind::OR: return "(" + arg(0) + " OR " + arg(1) + ")";
    case Kind::NOT: return "(NOT " + arg(0) + ")";
    case Kind::IS_NULL: return "(" + arg(0) + " IS NULL)";
    case Kind::IN: {
      std::string out = "(" + arg(0) + " IN (";
      for (size_t i = 1; i < args.size(); i++) out += (i > 1 ? ", " : "") + arg(i);
      return out + "))";
    }
  }
  return "?";
}

namespace {
[[noreturn]] void no_ddl(const Connector& connector, const char* what) {
  throw_error(ErrorCode::NOT_SUPPORTED, std::string(what) + " is not supported by " + connector.type() +
                                            " catalogs (databases and external tables live in the AwsDataCatalog)");
}
}  // namespace

void Connector::create_schema(const std::string&, const std::string&, const std::map<std::string, std::string>&,
                              bool) {
  no_ddl(*this, "CREATE DATABASE");
}
void Connector::drop_schema(const std::string&, bool, bool) { no_ddl(*this, "DROP DATABASE"); }
void Connector::create_table(const TableDefinition&, bool) { no_ddl(*this, "CREATE EXTERNAL TABLE"); }
void Connector::drop_table(const std::string&, const std::string&, bool) { no_ddl(*this, "DROP TABLE"); }
std::string Connector::show_create_table(const std::string&, const std::string&) {
  no_ddl(*this, "SHOW CREATE TABLE");
}
std::unique_ptr<TableWriteSession> Connector::begin_create_table_as(const TableDefinition&, const WriteContext&) {
  no_ddl(*this, "CREATE TABLE AS");
}
std::unique_ptr<TableWriteSession> Connector::begin_insert(const std::string&, const std::string&,
                                                           const WriteContext&) {
  no_ddl(*this, "INSERT INTO");
}
std::vector<std::string> Connector::list_partitions(const std::string&, const std::string&) {
  no_ddl(*this, "SHOW PARTITIONS");
}
int Connector::repair_table(const std::string&, const std::string&) { no_ddl(*this, "MSCK REPAIR TABLE"); }
int Connector::add_partitions(const std::string&, const std::string&,
                              const std::vector<std::pair<std::vector<std::pair<std::string, std::string>>, std::string>>&,
                              bool) {
  no_ddl(*this, "ALTER TABLE ADD PARTITION");
}
int Connector::drop_partitions(const std::string&, const std::string&,
                               const std::vector<std::vector<std::pair<std::string, std::string>>>&, bool) {
  no_ddl(*this, "ALTER TABLE DROP PARTITION");
}

}  // namespace tributary

namespace tributary {

void check_property_keys(const ConnectorProperties& properties, const std::vector<std::string>& known,
                         const std::string& context, const std::function<bool(const std::string&)>& also) {
  for (const auto& [key, value] : properties) {
    if (std::find(known.begin(), known.end(), key) != known.end() || (also && also(key))) continue;
    throw_error(ErrorCode::INVALID_ARGUMENT, context + ": unknown property '" + key + "'." + did_you_mean(key, known));
  }
}

}  // namespace tributary
