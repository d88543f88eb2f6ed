// JSON lines and DynamoDB JSON export reading.
//
// JSON lines: one object per line; top-level keys are columns (union of the keys
// of the sampled lines, in first-seen order). Inferred types: only integers ->
// bigint, numbers -> double, true/false -> boolean, strings -> varchar, nested
// objects/arrays -> varchar holding the JSON text, mixed kinds -> varchar.
//
// DynamoDB JSON export: lines {"Item": {"attr": {"S": "x"}, "n": {"N": "1"}}}.
// S -> varchar, N -> bigint when every sampled value is an integer else double,
// BOOL -> boolean, NULL -> NULL, B -> varbinary (base64-decoded), M/L/SS/NS/BS ->
// varchar holding plain JSON ({"k": "v"}, [1, 2]); mixed types -> varchar; a
// missing attribute is NULL.
//
// Keys match columns case-insensitively. Values that do not fit the column's type
// (and lines that are not objects) are read as NULL (skipped) and counted.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "connectors/files/text_buffer.h"

namespace tributary::files {

enum class JsonFlavor { LINES, DYNAMODB };

// True when `line` is a DynamoDB export item: one "Item" key whose values are
// type-descriptor objects such as {"S": "..."}.
bool is_dynamodb_item_line(std::string_view line);

struct JsonSample {
  JsonFlavor flavor = JsonFlavor::LINES;
  std::vector<std::string> names;  // lower case, unique
  std::vector<Type> types;
  uint64_t rows = 0;
  uint64_t bytes = 0;
};

// Samples up to `sample_rows` lines from the start of `file`; detects the flavor
// from the first line when `detect_dynamodb`.
JsonSample infer_json_schema(const TextRange& file, size_t sample_rows, bool detect_dynamodb);

struct JsonScan {
  TextRange range;
  JsonFlavor flavor = JsonFlavor::LINES;
  std::vector<std::string> names;  // per output column: the column name (matched to keys ignoring case)
  std::vector<Type> types;         // per output column
  std::optional<int64_t> limit;
  std::atomic<uint64_t>* rejected_values = nullptr;
};

std::unique_ptr<PageSource> make_json_page_source(JsonScan scan);

// Decodes standard base64 (padding optional, whitespace ignored); false on bad input.
bool base64_decode(std::string_view text, std::string* out);

}  // namespace tributary::files
