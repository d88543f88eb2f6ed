// The shape of a DynamoDB table as tributary sees it: key schema, secondary indexes and
// the columns (inferred from a sample of items, or declared in the catalog properties).
//
// Type mapping (documented in docs/connectors/dynamodb.md):
//   S -> varchar          N -> bigint when every sampled value is an integer within int64,
//   B -> varbinary             decimal(38,0) when integral but larger, else decimal(38,9)
//   BOOL -> boolean       SS/NS/BS/L/M, attributes seen with several types, and attributes
//   NULL -> ignored            only ever NULL -> varchar holding JSON text (kind ANY)
// Key attributes are always columns, typed by their declared attribute type.
// Columns: hash key, range key, then the other attributes in name order; column names
// are the attribute names lower-cased (the first spelling wins on a case clash).
//
// Thread-safety: plain values; SchemaInference is not thread-safe.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/types.h"

namespace tributary::dynamodb {

// Which DynamoDB attribute type a column reads. A value of another type reads as NULL
// (and is counted), except for ANY, which renders every type as text.
enum class AttributeKind { S, N, B, BOOL, ANY };

struct ColumnSpec {
  std::string name;       // lower-case column name
  std::string attribute;  // attribute name as stored
  Type type;
  AttributeKind kind = AttributeKind::ANY;
};

struct KeySchema {
  std::string hash_key;
  std::string range_key;  // empty when the table has a simple primary key
};

struct IndexSpec {
  std::string name;
  bool global = true;
  KeySchema keys;
  std::string projection_type = "ALL";          // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key_attributes;  // INCLUDE
  // Whether the index holds `attribute` (index keys, table keys and projected ones).
  bool projects(const std::string& attribute, const KeySchema& table_keys) const;
};

struct TableDescription {
  std::string name;  // real (case-preserving) table name
  KeySchema keys;
  std::map<std::string, std::string> attribute_types;  // key attributes -> "S" | "N" | "B"
  std::vector<IndexSpec> indexes;
  double item_count = 0;
  int64_t size_bytes = 0;
  std::vector<ColumnSpec> columns;
  // Column index of an attribute (exact name), or -1.
  int column_of_attribute(const std::string& attribute) const;
};

// Reads DescribeTable's response ({"Table": {...}}); columns are left empty.
TableDescription parse_describe_table(const nlohmann::json& response);

// Accumulates the attribute types of sampled items; columns() merges them.
class SchemaInference {
 public:
  void add_item(const nlohmann::json& item);
  std::vector<ColumnSpec> columns(const TableDescription& table) const;

 private:
  struct Seen {
    bool s = false, b = false, boolean = false, null = false, complex = false;
    bool int64 = false, big_integer = false, fraction = false;
  };
  std::map<std::string, Seen> attributes_;
};

// The column for a key attribute of declared type "S", "N" or "B" (N: decimal(38,0) unless
// sampled values say bigint/decimal(38,9); see SchemaInference).
ColumnSpec key_column(const std::string& attribute, const std::string& attribute_type);

// Parses an explicit column list "name type, name type, ..." (types as in SQL, e.g.
// decimal(10,2)); key attributes missing from the list are added first. Throws
// Error(INVALID_ARGUMENT) naming `catalog` and the table on a malformed list.
std::vector<ColumnSpec> parse_explicit_columns(const std::string& text, const TableDescription& table,
                                               const std::string& catalog);

// Classifies the text of an N value: fits int64 (and is integral), integral but larger,
// or has a fraction. False when the text is not a number.
bool classify_number(const std::string& text, bool* fits_int64, bool* integral);

}  // namespace tributary::dynamodb
