#include "cli/output_format.h"

#include <algorithm>
#include <charconv>

#include "common/datetime.h"
#include "common/decimal.h"

#include "common/error.h"
#include "function/cast.h"

namespace tributary::cli {

OutputFormat parse_output_format(const std::string& name) {
  std::string n = name;
  for (auto& c : n) c = (char)std::toupper((unsigned char)c);
  if (n == "ALIGNED") return OutputFormat::ALIGNED;
  if (n == "CSV") return OutputFormat::CSV;
  if (n == "CSV_HEADER") return OutputFormat::CSV_HEADER;
  if (n == "TSV") return OutputFormat::TSV;
  if (n == "JSON") return OutputFormat::JSON;
  throw_error(ErrorCode::INVALID_ARGUMENT,
              "Unknown output format '" + name + "' (expected ALIGNED, CSV, CSV_HEADER, TSV or JSON)");
}

std::string cell_text(const Vector& column, size_t row) {
  if (column.is_null(row)) return "NULL";
  return column.get_value(row).to_string();
}

static std::string json_escape(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += (char)c;
        }
    }
  }
  return out + "\"";
}

static std::string csv_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

static size_t display_width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) w++;
  return w;
}

// Decimal text without allocating (the common case fits 64 bits).
static void append_decimal(std::string& out, int128 value, int scale) {
  bool negative = value < 0;
  unsigned __int128 magnitude = negative ? (unsigned __int128)(-(value + 1)) + 1 : (unsigned __int128)value;
  char digits[48];
  int n = 0;
  if (magnitude <= UINT64_MAX) {
    uint64_t small = (uint64_t)magnitude;
    do {
      digits[n++] = (char)('0' + small % 10);
      small /= 10;
    } while (small);
  } else {
    do {
      digits[n++] = (char)('0' + (int)(magnitude % 10));
      magnitude /= 10;
    } while (magnitude);
  }
  while (n <= scale) digits[n++] = '0';  // at least one digit before the point
  if (negative) out += '-';
  for (int i = n - 1; i >= 0; i--) {
    out += digits[i];
    if (i == scale && scale > 0) out += '.';
  }
}

static void append_date(std::string& out, int64_t days) {
  int64_t year;
  unsigned month, day;
  datetime::civil_from_days(days, &year, &month, &day);
  if (year < 0 || year > 9999) {
    out += datetime::format_date(days);
    return;
  }
  char text[10] = {char('0' + year / 1000), char('0' + year / 100 % 10), char('0' + year / 10 % 10),
                   char('0' + year % 10),   '-',
                   char('0' + month / 10), char('0' + month % 10), '-',
                   char('0' + day / 10),   char('0' + day % 10)};
  out.append(text, 10);
}

// Appends the text of one non-NULL value, as Value::to_string would, without building a Value
// for the common types.
static void append_text(std::string& out, const Vector& v, size_t row) {
  char digits[48];
  switch (v.type().id) {
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: {
      auto end = std::to_chars(digits, digits + sizeof digits, v.data<int64_t>()[row]).ptr;
      out.append(digits, end);
      return;
    }
    case TypeId::VARCHAR: {
      std::string_view s = v.data<std::string_view>()[row];
      out.append(s.data(), s.size());
      return;
    }
    case TypeId::DECIMAL: append_decimal(out, v.data<int128>()[row], v.type().scale); return;
    case TypeId::DATE: append_date(out, v.data<int64_t>()[row]); return;
    case TypeId::BOOLEAN: out += v.data<uint8_t>()[row] ? "true" : "false"; return;
    default: out += v.get_value(row).to_string(); return;
  }
}

void write_result(const engine::StatementResult& result, OutputFormat format, std::ostream& out) {
  size_t columns = result.names.size();
  if (format == OutputFormat::ALIGNED) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& chunk : result.chunks)
      for (size_t r = 0; r < chunk.size; r++) {
        std::vector<std::string> row;
        for (size_t c = 0; c < columns; c++) row.push_back(cell_text(chunk.columns[c], r));
        rows.push_back(std::move(row));
      }
    std::vector<size_t> widths(columns);
    for (size_t c = 0; c < columns; c++) widths[c] = display_width(result.names[c]);
    for (const auto& row : rows)
      for (size_t c = 0; c < columns; c++) widths[c] = std::max(widths[c], display_width(row[c]));
    auto pad = [](const std::string& s, size_t width, bool right) {
      size_t w = display_width(s);
      std::string fill(width > w ? width - w : 0, ' ');
      return right ? fill + s : s + fill;
    };
    for (size_t c = 0; c < columns; c++) {
      size_t w = display_width(result.names[c]);
      size_t left = (widths[c] - w) / 2;
      out << (c ? " | " : " ") << std::string(left, ' ') << result.names[c] << std::string(widths[c] - w - left, ' ');
    }
    out << "\n";
    for (size_t c = 0; c < columns; c++) out << (c ? "-+-" : "-") << std::string(widths[c], '-');
    out << "-\n";
    for (const auto& row : rows) {
      for (size_t c = 0; c < columns; c++) {
        bool right = result.types[c].is_numeric();
        out << (c ? " | " : " ") << pad(row[c], widths[c], right);
      }
      out << "\n";
    }
    out << "(" << rows.size() << (rows.size() == 1 ? " row)\n" : " rows)\n");
    return;
  }
  if (format == OutputFormat::CSV_HEADER) {
    for (size_t c = 0; c < columns; c++) out << (c ? "," : "") << csv_quote(result.names[c]);
    out << "\n";
  }
  // Rows are formatted into one buffer per chunk (no Value per cell for the common types).
  std::string buffer;
  for (const auto& chunk : result.chunks) {
    buffer.clear();
    for (size_t r = 0; r < chunk.size; r++) {
      if (format == OutputFormat::JSON) {
        buffer += '{';
        for (size_t c = 0; c < columns; c++) {
          const Vector& v = chunk.columns[c];
          if (c) buffer += ',';
          buffer += json_escape(result.names[c]);
          buffer += ':';
          if (v.is_null(r)) {
            buffer += "null";
            continue;
          }
          const Type& t = result.types[c];
          if (t.id == TypeId::BOOLEAN || t.is_integer()) {
            append_text(buffer, v, r);
          } else if (t.id == TypeId::DOUBLE || t.id == TypeId::REAL) {
            size_t start = buffer.size();
            append_text(buffer, v, r);
            std::string s = buffer.substr(start);
            if (s == "NaN" || s == "Infinity" || s == "-Infinity") {
              buffer.resize(start);
              buffer += json_escape(s);
            }
          } else {
            std::string text;
            append_text(text, v, r);
            buffer += json_escape(text);
          }
        }
        buffer += "}\n";
        continue;
      }
      for (size_t c = 0; c < columns; c++) {
        const Vector& v = chunk.columns[c];
        if (format == OutputFormat::TSV) {
          if (c) buffer += '\t';
          if (!v.is_null(r)) append_text(buffer, v, r);
        } else {
          if (c) buffer += ',';
          if (v.is_null(r)) continue;
          buffer += '"';
          size_t start = buffer.size();
          append_text(buffer, v, r);
          if (buffer.find('"', start) != std::string::npos) {
            std::string quoted;
            for (size_t k = start; k < buffer.size(); k++) {
              if (buffer[k] == '"') quoted += '"';
              quoted += buffer[k];
            }
            buffer.resize(start);
            buffer += quoted;
          }
          buffer += '"';
        }
      }
      buffer += '\n';
    }
    out.write(buffer.data(), (std::streamsize)buffer.size());
  }
}

}  // namespace tributary::cli
