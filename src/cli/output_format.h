// Rendering of query results for the CLI: ALIGNED (psql-like table), CSV
// (every non-NULL value quoted, NULL empty), CSV_HEADER, TSV, JSON (one object
// per line, keys in column order; NULL -> null; booleans/integers/doubles as
// JSON values; DECIMAL, DATE, TIMESTAMP, VARCHAR as strings).
#pragma once
#include <ostream>
#include <string>

#include "engine/engine.h"

namespace tributary::cli {

enum class OutputFormat { ALIGNED, CSV, CSV_HEADER, TSV, JSON };

// Throws Error(INVALID_ARGUMENT) for an unknown name.
OutputFormat parse_output_format(const std::string& name);
void write_result(const engine::StatementResult& result, OutputFormat format, std::ostream& out);
// Text form of one value as printed by ALIGNED/CSV/TSV ("" for NULL in CSV).
std::string cell_text(const Vector& column, size_t row);

}  // namespace tributary::cli
