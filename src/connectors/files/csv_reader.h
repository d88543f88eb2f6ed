// CSV/TSV reading: an RFC 4180 tokenizer (double quotes, "" escapes, newlines
// inside quotes, CRLF), schema inference from a sample, and the page source that
// parses only the requested columns straight into vectors.
//
// NULLs: an unquoted field equal to CsvOptions::null_string (default: the empty
// field) is NULL. A value that does not parse as its column's type (e.g. "abc" in
// a bigint column) becomes NULL and is counted in `rejected_values`; it never fails
// the query.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "connectors/files/text_buffer.h"

namespace tributary::files {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  bool header = true;
  std::string null_string;  // an unquoted field equal to this is NULL
};

struct CsvField {
  const char* data;
  uint32_t size;
  uint8_t flags;  // kQuoted, kEscaped
  static constexpr uint8_t kQuoted = 1;
  static constexpr uint8_t kEscaped = 2;  // quoted and holds doubled quotes: unescape before use
};

// Tokenizes the record starting at `p` into `fields` (views into [p, end)).
// Returns the position after the record's line end, or nullptr when the record
// runs past `end` and more data may follow (!at_eof): refill and call again.
const char* tokenize_csv_record(const char* p, const char* end, bool at_eof, const CsvOptions& options,
                                std::vector<CsvField>* fields);
// The field's text with "" collapsed to ".
std::string unescape_csv_field(const CsvField& field, char quote);

struct CsvSample {
  std::vector<std::string> names;  // header names (lower case, unique) or column_1..n
  std::vector<Type> types;         // inferred: boolean, bigint, double, date, timestamp(3), varchar
  uint64_t rows = 0;               // data rows sampled
  uint64_t bytes = 0;              // bytes those rows occupied (for row estimates)
};

// Reads up to `sample_rows` data rows from the start of `file` and infers the columns.
CsvSample infer_csv_schema(const TextRange& file, const CsvOptions& options, size_t sample_rows);

struct CsvScan {
  TextRange range;
  bool skip_header = false;          // drop the first line (the split at offset 0 of a file with a header)
  CsvOptions options;
  std::vector<int> field_indexes;    // per output column: the field position in the record
  std::vector<Type> types;           // per output column
  std::optional<int64_t> limit;      // stop after this many rows
  std::atomic<uint64_t>* rejected_values = nullptr;  // incremented for values read as NULL by parse failure
};

std::unique_ptr<PageSource> make_csv_page_source(CsvScan scan);

}  // namespace tributary::files
