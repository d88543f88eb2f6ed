// Attribute values (DynamoDB typed JSON, {"S": "x"}, {"N": "1.5"}, ...) -> column vectors.
//
// A missing attribute or a NULL value reads as SQL NULL. A value of a type the column does
// not read (see AttributeKind), or a number that does not fit the column's type, reads as
// NULL and is counted in ReadCounters::type_mismatches; it never throws. Kind ANY renders
// every type as text: S as is, N as its digits, BOOL as true/false, B as base64, and
// SS/NS/BS/L/M as plain JSON (sets as arrays, numbers as JSON numbers when they round-trip).
//
// Thread-safety: ItemReader is immutable after construction and may be shared.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "connectors/dynamodb/dynamodb_schema.h"
#include "vector/vector.h"

namespace tributary::dynamodb {

struct ReadCounters {
  uint64_t items = 0;
  uint64_t item_bytes = 0;       // DynamoDB-style item size: names plus value bytes
  uint64_t type_mismatches = 0;  // values read as NULL because they did not fit the column
};

class ItemReader {
 public:
  explicit ItemReader(std::vector<ColumnSpec> columns) : columns_(std::move(columns)) {}
  // Writes `item` into row `row` of `out`, whose columns match `columns` in order.
  void read(const nlohmann::json& item, Chunk& out, size_t row, ReadCounters& counters) const;
  const std::vector<ColumnSpec>& columns() const { return columns_; }

 private:
  std::vector<ColumnSpec> columns_;
};

// Writes one attribute value (nullptr = missing) into `vector` at `row`; false when the
// value did not fit and NULL was written instead.
bool read_attribute(const nlohmann::json* value, const ColumnSpec& column, Vector& vector, size_t row);

// Approximate stored size of an item: attribute names plus value bytes.
uint64_t item_size(const nlohmann::json& item);

// Typed DynamoDB JSON -> plain JSON text (for ANY columns and M/L/sets).
std::string attribute_to_json_text(const nlohmann::json& typed);

std::string base64_encode(const std::string& bytes);
// False on malformed input.
bool base64_decode(const std::string& text, std::string* bytes);

}  // namespace tributary::dynamodb
