#include "connectors/dynamodb/dynamodb_schema.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include "common/decimal.h"
#include "common/error.h"
#include "common/text.h"

namespace tributary::dynamodb {

namespace {

KeySchema parse_key_schema(const nlohmann::json& key_schema) {
  KeySchema keys;
  if (!key_schema.is_array()) return keys;
  for (const auto& k : key_schema) {
    std::string type = k.value("KeyType", "");
    if (type == "HASH") keys.hash_key = k.value("AttributeName", "");
    if (type == "RANGE") keys.range_key = k.value("AttributeName", "");
  }
  return keys;
}

IndexSpec parse_index(const nlohmann::json& index, bool global) {
  IndexSpec spec;
  spec.name = index.value("IndexName", "");
  spec.global = global;
  spec.keys = parse_key_schema(index.value("KeySchema", nlohmann::json::array()));
  if (index.contains("Projection")) {
    const auto& projection = index["Projection"];
    spec.projection_type = projection.value("ProjectionType", "ALL");
    if (projection.contains("NonKeyAttributes"))
      for (const auto& a : projection["NonKeyAttributes"]) spec.non_key_attributes.push_back(a.get<std::string>());
  }
  return spec;
}

Type number_type(bool int64, bool big_integer, bool fraction) {
  if (fraction) return Type::decimal(38, 9);
  if (big_integer) return Type::decimal(38, 0);
  (void)int64;
  return Type::bigint();
}

}  // namespace

bool IndexSpec::projects(const std::string& attribute, const KeySchema& table_keys) const {
  if (projection_type == "ALL") return true;
  if (attribute == keys.hash_key || attribute == keys.range_key || attribute == table_keys.hash_key ||
      attribute == table_keys.range_key)
    return true;
  return std::find(non_key_attributes.begin(), non_key_attributes.end(), attribute) != non_key_attributes.end();
}

int TableDescription::column_of_attribute(const std::string& attribute) const {
  for (size_t i = 0; i < columns.size(); i++)
    if (columns[i].attribute == attribute) return (int)i;
  return -1;
}

TableDescription parse_describe_table(const nlohmann::json& response) {
  TableDescription table;
  const nlohmann::json& t = response.contains("Table") ? response["Table"] : response;
  table.name = t.value("TableName", "");
  table.keys = parse_key_schema(t.value("KeySchema", nlohmann::json::array()));
  if (t.contains("AttributeDefinitions"))
    for (const auto& a : t["AttributeDefinitions"])
      table.attribute_types[a.value("AttributeName", "")] = a.value("AttributeType", "S");
  if (t.contains("GlobalSecondaryIndexes"))
    for (const auto& i : t["GlobalSecondaryIndexes"]) table.indexes.push_back(parse_index(i, true));
  if (t.contains("LocalSecondaryIndexes"))
    for (const auto& i : t["LocalSecondaryIndexes"]) table.indexes.push_back(parse_index(i, false));
  if (t.contains("ItemCount") && t["ItemCount"].is_number()) table.item_count = t["ItemCount"].get<double>();
  if (t.contains("TableSizeBytes") && t["TableSizeBytes"].is_number())
    table.size_bytes = t["TableSizeBytes"].get<int64_t>();
  return table;
}

bool classify_number(const std::string& text, bool* fits_int64, bool* integral) {
  size_t i = 0, n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;  // mantissa digits
  int point = -1;      // digits before the decimal point
  bool any = false;
  for (; i < n; i++) {
    char c = text[i];
    if (std::isdigit((unsigned char)c)) {
      digits += c;
      any = true;
    } else if (c == '.' && point < 0) {
      point = (int)digits.size();
    } else {
      break;
    }
  }
  if (!any) return false;
  if (point < 0) point = (int)digits.size();
  long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    i++;
    bool exp_negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i >= n) return false;
    for (; i < n && std::isdigit((unsigned char)text[i]); i++) exponent = std::min(exponent * 10 + (text[i] - '0'), 100000L);
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) return false;
  long integer_digits = point + exponent;  // digits of the mantissa left of the point after scaling
  *integral = true;
  for (long d = std::max(0L, integer_digits); d < (long)digits.size(); d++)
    if (digits[d] != '0') *integral = false;
  *fits_int64 = false;
  if (!*integral) return true;
  // The integer value: digits[0..integer_digits) followed by zeros.
  std::string integer;
  for (long d = 0; d < integer_digits; d++) integer += d < (long)digits.size() ? digits[d] : '0';
  size_t first = integer.find_first_not_of('0');
  integer = first == std::string::npos ? "0" : integer.substr(first);
  if (integer.size() > 19) return true;
  if (integer.size() < 19) {
    *fits_int64 = true;
    return true;
  }
  const std::string limit = negative ? "9223372036854775808" : "9223372036854775807";
  *fits_int64 = integer <= limit;
  return true;
}

void SchemaInference::add_item(const nlohmann::json& item) {
  if (!item.is_object()) return;
  for (const auto& [name, value] : item.items()) {
    Seen& seen = attributes_[name];
    if (!value.is_object() || value.empty()) {
      seen.complex = true;
      continue;
    }
    const std::string& tag = value.begin().key();
    const nlohmann::json& v = value.begin().value();
    if (tag == "S") {
      seen.s = true;
    } else if (tag == "N") {
      bool fits = false, integral = false;
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      if (!classify_number(text, &fits, &integral)) seen.fraction = true;
      else if (!integral) seen.fraction = true;
      else if (fits) seen.int64 = true;
      else seen.big_integer = true;
    } else if (tag == "B") {
      seen.b = true;
    } else if (tag == "BOOL") {
      seen.boolean = true;
    } else if (tag == "NULL") {
      seen.null = true;
    } else {
      seen.complex = true;
    }
  }
}

ColumnSpec key_column(const std::string& attribute, const std::string& attribute_type) {
  ColumnSpec column;
  column.name = to_lower_ascii(attribute);
  column.attribute = attribute;
  if (attribute_type == "N") {
    column.type = Type::decimal(38, 0);
    column.kind = AttributeKind::N;
  } else if (attribute_type == "B") {
    column.type = Type::varbinary();
    column.kind = AttributeKind::B;
  } else {
    column.type = Type::varchar();
    column.kind = AttributeKind::S;
  }
  return column;
}

std::vector<ColumnSpec> SchemaInference::columns(const TableDescription& table) const {
  std::vector<ColumnSpec> out;
  std::set<std::string> taken;
  auto add = [&](ColumnSpec column) {
    if (!taken.insert(column.name).second) return;
    out.push_back(std::move(column));
  };
  for (const std::string& key : {table.keys.hash_key, table.keys.range_key}) {
    if (key.empty()) continue;
    auto declared = table.attribute_types.find(key);
    ColumnSpec column = key_column(key, declared == table.attribute_types.end() ? "S" : declared->second);
    auto seen = attributes_.find(key);
    if (column.kind == AttributeKind::N && seen != attributes_.end() &&
        (seen->second.int64 || seen->second.big_integer || seen->second.fraction))
      column.type = number_type(seen->second.int64, seen->second.big_integer, seen->second.fraction);
    add(column);
  }
  for (const auto& [name, seen] : attributes_) {
    if (name == table.keys.hash_key || name == table.keys.range_key) continue;
    ColumnSpec column;
    column.name = to_lower_ascii(name);
    column.attribute = name;
    bool number = seen.int64 || seen.big_integer || seen.fraction;
    int kinds = (int)seen.s + (int)number + (int)seen.b + (int)seen.boolean + (int)seen.complex;
    if (kinds != 1 || seen.complex) {
      column.type = Type::varchar();
      column.kind = AttributeKind::ANY;
    } else if (seen.s) {
      column.type = Type::varchar();
      column.kind = AttributeKind::S;
    } else if (number) {
      column.type = number_type(seen.int64, seen.big_integer, seen.fraction);
      column.kind = AttributeKind::N;
    } else if (seen.b) {
      column.type = Type::varbinary();
      column.kind = AttributeKind::B;
    } else {
      column.type = Type::boolean();
      column.kind = AttributeKind::BOOL;
    }
    add(column);
  }
  return out;
}

std::vector<ColumnSpec> parse_explicit_columns(const std::string& text, const TableDescription& table,
                                               const std::string& catalog) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  std::vector<ColumnSpec> declared;
  for (std::string part : parts) {
    while (!part.empty() && std::isspace((unsigned char)part.front())) part.erase(part.begin());
    while (!part.empty() && std::isspace((unsigned char)part.back())) part.pop_back();
    size_t space = part.find_first_of(" \t");
    if (part.empty() || space == std::string::npos)
      throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog + "': property 'dynamodb.columns." +
                                                   to_lower_ascii(table.name) + "' must list 'name type' pairs, got '" +
                                                   part + "'");
    ColumnSpec column;
    column.attribute = part.substr(0, space);
    column.name = to_lower_ascii(column.attribute);
    column.type = parse_type_name(part.substr(part.find_first_not_of(" \t", space)));
    if (column.type.id == TypeId::VARCHAR) column.kind = AttributeKind::S;
    else if (column.type.is_numeric()) column.kind = AttributeKind::N;
    else if (column.type.id == TypeId::VARBINARY) column.kind = AttributeKind::B;
    else if (column.type.id == TypeId::BOOLEAN) column.kind = AttributeKind::BOOL;
    else
      throw_error(ErrorCode::INVALID_ARGUMENT, "Catalog '" + catalog + "': column '" + column.name + "' of table '" +
                                                   table.name + "' has type " + column.type.to_string() +
                                                   ", which DynamoDB attributes cannot hold");
    declared.push_back(column);
  }
  std::vector<ColumnSpec> out;
  for (const std::string& key : {table.keys.hash_key, table.keys.range_key}) {
    if (key.empty()) continue;
    bool listed = false;
    for (const auto& c : declared) listed |= c.attribute == key;
    if (!listed) {
      auto t = table.attribute_types.find(key);
      out.push_back(key_column(key, t == table.attribute_types.end() ? "S" : t->second));
    }
  }
  for (auto& c : declared) out.push_back(std::move(c));
  return out;
}

}  // namespace tributary::dynamodb
