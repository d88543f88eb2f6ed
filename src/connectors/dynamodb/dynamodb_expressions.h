// DynamoDB expressions (FilterExpression, ProjectionExpression, KeyConditionExpression)
// built from tributary domains. Every attribute name becomes a placeholder #n0, #n1, ...
// (ExpressionAttributeNames) and every value a placeholder :v0, :v1, ...
// (ExpressionAttributeValues): no user text ever appears inline, and reserved words such
// as `status` or `date` just work.
//
// Exactness: DynamoDB compares numbers as decimals and strings/binaries bytewise, as
// tributary does for varchar/varbinary, and a comparison with a value of another type is
// false. So a translated domain is exact for S (varchar), B (varbinary) and BOOL columns;
// for N columns only single values are exact (a range also matches numbers the column
// cannot hold, which tributary reads as NULL), and IS NULL is not translated (same reason).
// Inexact translations are still supersets: callers re-check those domains.
//
// Thread-safety: ExpressionBuilder is not thread-safe; the free functions are pure.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "connectors/dynamodb/dynamodb_schema.h"

namespace tributary::dynamodb {

class ExpressionBuilder {
 public:
  // "#nK" for the attribute (the same placeholder for the same name).
  std::string name(const std::string& attribute);
  // ":vK" for a typed attribute value.
  std::string value(const nlohmann::json& attribute_value);
  // Adds ExpressionAttributeNames / ExpressionAttributeValues to `request` when non-empty.
  void add_to(nlohmann::json& request) const;
  // "#n0 = status, :v0 = {"S":"shipped"}" for EXPLAIN.
  std::string describe_placeholders() const;

 private:
  std::map<std::string, std::string> names_;  // attribute -> placeholder
  std::vector<std::string> name_order_;
  nlohmann::json values_ = nlohmann::json::object();
};

// The typed attribute value of a domain bound for a column, e.g. {"S": "1001"}, {"N": "5"};
// nullopt when the value cannot be expressed exactly (a double against an N column, a
// string against an N column, ...).
std::optional<nlohmann::json> attribute_value(const Value& value, const ColumnSpec& column);

struct TranslatedDomain {
  std::string expression;  // empty: no restriction
  bool exact = false;      // the expression accepts exactly the rows the domain accepts
};

// Translates one column's domain into a condition. nullopt: nothing useful can be pushed
// (the column kind is ANY, a value is not expressible, or it would need more than
// `max_values` IN operands).
std::optional<TranslatedDomain> translate_domain(ExpressionBuilder& builder, const ColumnSpec& column,
                                                 const Domain& domain, size_t max_values = 1000);

// "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2": the hash key equality plus, when `range` is
// given, a sort-key condition on `range_column`. nullopt when the range cannot be a key
// condition (see key_condition_range_supported) or its bounds are not expressible.
std::optional<std::string> key_condition(ExpressionBuilder& builder, const ColumnSpec& hash_column,
                                         const nlohmann::json& hash_value, const ColumnSpec* range_column,
                                         const Range* range);

// Whether one range can be a sort-key condition: =, <, <=, >, >=, or BETWEEN (inclusive).
bool key_condition_range_supported(const Range& range);

// "#n0, #n1, ..." for the attributes.
std::string projection_expression(ExpressionBuilder& builder, const std::vector<std::string>& attributes);

}  // namespace tributary::dynamodb
