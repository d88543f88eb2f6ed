#include "connectors/dynamodb/dynamodb_expressions.h"

#include "common/decimal.h"
#include "connectors/dynamodb/dynamodb_item_reader.h"

namespace tributary::dynamodb {

std::string ExpressionBuilder::name(const std::string& attribute) {
  auto it = names_.find(attribute);
  if (it != names_.end()) return it->second;
  std::string placeholder = "#n" + std::to_string(names_.size());
  names_[attribute] = placeholder;
  name_order_.push_back(attribute);
  return placeholder;
}

std::string ExpressionBuilder::value(const nlohmann::json& attribute_value) {
  std::string placeholder = ":v" + std::to_string(values_.size());
  values_[placeholder] = attribute_value;
  return placeholder;
}

void ExpressionBuilder::add_to(nlohmann::json& request) const {
  if (!names_.empty()) {
    nlohmann::json names = nlohmann::json::object();
    for (const auto& [attribute, placeholder] : names_) names[placeholder] = attribute;
    request["ExpressionAttributeNames"] = names;
  }
  if (!values_.empty()) request["ExpressionAttributeValues"] = values_;
}

std::string ExpressionBuilder::describe_placeholders() const {
  std::string out;
  for (const auto& attribute : name_order_) {
    if (!out.empty()) out += ", ";
    out += names_.at(attribute) + " = " + attribute;
  }
  for (size_t i = 0; i < values_.size(); i++) {
    std::string key = ":v" + std::to_string(i);
    if (!out.empty()) out += ", ";
    out += key + " = " + values_[key].dump();
  }
  return out;
}

std::optional<nlohmann::json> attribute_value(const Value& value, const ColumnSpec& column) {
  if (value.is_null) return std::nullopt;
  switch (column.kind) {
    case AttributeKind::S:
      if (value.type.id != TypeId::VARCHAR) return std::nullopt;
      return nlohmann::json{{"S", value.s}};
    case AttributeKind::B:
      if (value.type.id != TypeId::VARBINARY) return std::nullopt;
      return nlohmann::json{{"B", base64_encode(value.s)}};
    case AttributeKind::BOOL:
      if (value.type.id != TypeId::BOOLEAN) return std::nullopt;
      return nlohmann::json{{"BOOL", value.b}};
    case AttributeKind::N:
      if (value.type.is_integer()) return nlohmann::json{{"N", std::to_string(value.i)}};
      if (value.type.id == TypeId::DECIMAL) return nlohmann::json{{"N", decimal::to_string(value.dec, value.type.scale)}};
      return std::nullopt;  // doubles compare as binary floating point in SQL: not exact
    case AttributeKind::ANY: return std::nullopt;
  }
  return std::nullopt;
}

bool key_condition_range_supported(const Range& range) {
  if (range.low_unbounded && range.high_unbounded) return false;
  if (!range.low_unbounded && !range.high_unbounded) return range.low_inclusive && range.high_inclusive;
  return true;
}

namespace {

// One range as a condition; nullopt when a bound is not expressible.
std::optional<std::string> range_condition(ExpressionBuilder& builder, const std::string& n, const ColumnSpec& column,
                                           const Range& range) {
  std::optional<nlohmann::json> low, high;
  if (!range.low_unbounded && !(low = attribute_value(range.low, column))) return std::nullopt;
  if (!range.high_unbounded && !(high = attribute_value(range.high, column))) return std::nullopt;
  if (range.is_single_value()) return n + " = " + builder.value(*low);
  // Placeholders are numbered in text order: take them one statement at a time.
  std::string low_placeholder = low ? builder.value(*low) : "";
  std::string high_placeholder = high ? builder.value(*high) : "";
  if (low && high && range.low_inclusive && range.high_inclusive)
    return n + " BETWEEN " + low_placeholder + " AND " + high_placeholder;
  std::string out;
  if (low) out = n + (range.low_inclusive ? " >= " : " > ") + low_placeholder;
  if (high) out += (out.empty() ? "" : " AND ") + n + (range.high_inclusive ? " <= " : " < ") + high_placeholder;
  return out;
}

const char* type_tag(AttributeKind kind) {
  switch (kind) {
    case AttributeKind::S: return "S";
    case AttributeKind::N: return "N";
    case AttributeKind::B: return "B";
    case AttributeKind::BOOL: return "BOOL";
    case AttributeKind::ANY: break;
  }
  return "";
}

}  // namespace

std::optional<TranslatedDomain> translate_domain(ExpressionBuilder& builder, const ColumnSpec& column,
                                                 const Domain& domain, size_t max_values) {
  if (column.kind == AttributeKind::ANY) return std::nullopt;
  bool number = column.kind == AttributeKind::N;
  TranslatedDomain out;
  if (domain.all && domain.null_allowed) return out;  // no restriction
  if (domain.is_none()) return std::nullopt;          // the caller short-cuts contradictions
  if (number && domain.null_allowed) return std::nullopt;
  // BOOL has no order in DynamoDB: only single values.
  if (column.kind == AttributeKind::BOOL)
    for (const auto& r : domain.ranges)
      if (!r.is_single_value()) return std::nullopt;
  std::string n = builder.name(column.attribute);
  std::vector<std::string> disjuncts;
  bool exact = true;
  if (domain.null_allowed)
    disjuncts.push_back("attribute_not_exists(" + n + ") OR NOT attribute_type(" + n + ", " +
                        builder.value({{"S", type_tag(column.kind)}}) + ")");
  if (domain.all) {
    disjuncts.push_back("attribute_type(" + n + ", " + builder.value({{"S", type_tag(column.kind)}}) + ")");
    if (number) exact = false;  // also non-fitting numbers, which read as NULL
  } else {
    std::vector<nlohmann::json> singles;
    for (const auto& r : domain.ranges) {
      if (r.is_single_value()) {
        auto v = attribute_value(r.low, column);
        if (!v) return std::nullopt;
        singles.push_back(*v);
        continue;
      }
      auto condition = range_condition(builder, n, column, r);
      if (!condition) return std::nullopt;
      if (condition->empty()) {
        condition = "attribute_type(" + n + ", " + builder.value({{"S", type_tag(column.kind)}}) + ")";
      }
      if (number) exact = false;
      disjuncts.push_back(*condition);
    }
    if (singles.size() > max_values) return std::nullopt;
    if (singles.size() == 1) {
      disjuncts.push_back(n + " = " + builder.value(singles[0]));
    } else {
      // IN takes at most 100 operands.
      for (size_t start = 0; start < singles.size(); start += 100) {
        std::string in = n + " IN (";
        for (size_t i = start; i < std::min(singles.size(), start + 100); i++)
          in += (i > start ? ", " : "") + builder.value(singles[i]);
        disjuncts.push_back(in + ")");
      }
    }
  }
  if (disjuncts.empty()) {
    out.expression = "attribute_not_exists(" + n + ") AND attribute_exists(" + n + ")";  // false
  } else if (disjuncts.size() == 1) {
    out.expression = disjuncts[0];
  } else {
    for (size_t i = 0; i < disjuncts.size(); i++) out.expression += (i ? " OR (" : "(") + disjuncts[i] + ")";
  }
  out.exact = exact;
  return out;
}

std::optional<std::string> key_condition(ExpressionBuilder& builder, const ColumnSpec& hash_column,
                                         const nlohmann::json& hash_value, const ColumnSpec* range_column,
                                         const Range* range) {
  std::string out = builder.name(hash_column.attribute);
  out += " = " + builder.value(hash_value);
  if (range_column && range) {
    if (!key_condition_range_supported(*range)) return std::nullopt;
    auto condition = range_condition(builder, builder.name(range_column->attribute), *range_column, *range);
    if (!condition) return std::nullopt;
    out += " AND " + *condition;
  }
  return out;
}

std::string projection_expression(ExpressionBuilder& builder, const std::vector<std::string>& attributes) {
  std::string out;
  for (const auto& a : attributes) out += (out.empty() ? "" : ", ") + builder.name(a);
  return out;
}

}  // namespace tributary::dynamodb
