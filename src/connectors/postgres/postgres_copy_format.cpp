#include "connectors/postgres/postgres_copy_format.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/datetime.h"
#include "common/decimal.h"

namespace tributary::postgres {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[*pos].
bool read_digits(std::string_view text, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    char c = text[*pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

// "YYYY-MM-DD" with 4+ year digits; sets *pos after it.
bool parse_date_part(std::string_view text, size_t* pos, int64_t* year, unsigned* month, unsigned* day) {
  size_t p = *pos, start = p;
  int64_t y = 0;
  while (p < text.size() && is_digit(text[p]) && p - start < 9) y = y * 10 + (text[p++] - '0');
  if (p - start < 4 || p >= text.size() || text[p] != '-') return false;
  p++;
  int64_t m, d;
  if (!read_digits(text, &p, 2, &m) || p >= text.size() || text[p] != '-') return false;
  p++;
  if (!read_digits(text, &p, 2, &d)) return false;
  *year = y;
  *month = (unsigned)m;
  *day = (unsigned)d;
  *pos = p;
  return true;
}

// Strips a trailing " BC" and turns the year into astronomical numbering (1 BC = year 0).
bool strip_bc(std::string_view* text) {
  if (text->size() > 3 && text->substr(text->size() - 3) == " BC") {
    text->remove_suffix(3);
    return true;
  }
  return false;
}

}  // namespace

bool split_copy_row(std::string_view line, std::vector<std::optional<std::string_view>>* fields,
                    std::string* scratch) {
  fields->clear();
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  scratch->clear();
  scratch->reserve(line.size());
  size_t start = 0;
  while (true) {
    size_t end = start;
    bool escaped = false;
    while (end < line.size() && line[end] != '\t') {
      if (line[end] == '\\') {
        escaped = true;
        end++;  // the escaped character is never a field separator
        if (end >= line.size()) return false;
      }
      end++;
    }
    std::string_view raw = line.substr(start, end - start);
    if (raw == "\\N") {
      fields->push_back(std::nullopt);
    } else if (!escaped) {
      fields->push_back(raw);
    } else {
      size_t begin = scratch->size();
      for (size_t i = 0; i < raw.size(); i++) {
        char c = raw[i];
        if (c != '\\') {
          scratch->push_back(c);
          continue;
        }
        char e = raw[++i];
        switch (e) {
          case 'b': scratch->push_back('\b'); break;
          case 'f': scratch->push_back('\f'); break;
          case 'n': scratch->push_back('\n'); break;
          case 'r': scratch->push_back('\r'); break;
          case 't': scratch->push_back('\t'); break;
          case 'v': scratch->push_back('\v'); break;
          case 'x':
            if (i + 1 < raw.size() && hex_digit(raw[i + 1]) >= 0) {
              int v = hex_digit(raw[++i]);
              if (i + 1 < raw.size() && hex_digit(raw[i + 1]) >= 0) v = v * 16 + hex_digit(raw[++i]);
              scratch->push_back((char)v);
            } else {
              scratch->push_back('x');
            }
            break;
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7'; k++)
                v = v * 8 + (raw[++i] - '0');
              scratch->push_back((char)(v & 0xff));
            } else {
              scratch->push_back(e);
            }
        }
      }
      fields->push_back(std::string_view(scratch->data() + begin, scratch->size() - begin));
    }
    if (end >= line.size()) break;
    start = end + 1;
  }
  return true;
}

bool decode_bytea(std::string_view text, std::string* out) {
  out->clear();
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    if ((text.size() - 2) % 2) return false;
    out->reserve((text.size() - 2) / 2);
    for (size_t i = 2; i < text.size(); i += 2) {
      int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
      if (hi < 0 || lo < 0) return false;
      out->push_back((char)(hi * 16 + lo));
    }
    return true;
  }
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] != '\\') {
      out->push_back(text[i]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      out->push_back('\\');
      i++;
    } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' && text[i + 2] >= '0' &&
               text[i + 2] <= '7' && text[i + 3] >= '0' && text[i + 3] <= '7') {
      out->push_back((char)((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0')));
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

bool parse_pg_date(std::string_view text, int64_t* days) {
  bool bc = strip_bc(&text);
  size_t pos = 0;
  int64_t y;
  unsigned m, d;
  if (!parse_date_part(text, &pos, &y, &m, &d) || pos != text.size()) return false;
  if (bc) y = 1 - y;
  if (!datetime::valid_date(y, m, d)) return false;
  *days = datetime::days_from_civil(y, m, d);
  return true;
}

bool parse_pg_timestamp(std::string_view text, int64_t* micros) {
  bool bc = strip_bc(&text);
  size_t p = 0;
  int64_t y;
  unsigned m, d;
  if (!parse_date_part(text, &p, &y, &m, &d)) return false;
  if (bc) y = 1 - y;
  if (!datetime::valid_date(y, m, d)) return false;
  int64_t hh = 0, mi = 0, ss = 0, frac = 0;
  if (p < text.size()) {
    if (text[p] != ' ' && text[p] != 'T') return false;
    p++;
    if (!read_digits(text, &p, 2, &hh) || p >= text.size() || text[p++] != ':' || !read_digits(text, &p, 2, &mi) ||
        p >= text.size() || text[p++] != ':' || !read_digits(text, &p, 2, &ss))
      return false;
    if (p < text.size() && text[p] == '.') {
      p++;
      int digits = 0;
      while (p < text.size() && is_digit(text[p])) {
        if (digits < 6) frac = frac * 10 + (text[p] - '0');
        digits++;
        p++;
      }
      if (digits == 0) return false;
      for (int i = digits; i < 6; i++) frac *= 10;
    }
  }
  int64_t offset_seconds = 0;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
    int sign = text[p++] == '-' ? -1 : 1;
    int64_t oh = 0, om = 0, os = 0;
    if (!read_digits(text, &p, 2, &oh)) return false;
    if (p < text.size() && text[p] == ':') {
      p++;
      if (!read_digits(text, &p, 2, &om)) return false;
      if (p < text.size() && text[p] == ':') {
        p++;
        if (!read_digits(text, &p, 2, &os)) return false;
      }
    }
    offset_seconds = sign * (oh * 3600 + om * 60 + os);
  }
  if (p != text.size() || hh > 24 || mi > 59 || ss > 60) return false;
  int64_t day_micros = ((hh * 60 + mi) * 60 + ss - offset_seconds) * datetime::kMicrosPerSecond + frac;
  *micros = datetime::days_from_civil(y, m, d) * datetime::kMicrosPerDay + day_micros;
  return true;
}

bool decode_field(std::string_view text, ValueKind kind, Vector& out, size_t row) {
  const char* b = text.data();
  const char* e = text.data() + text.size();
  switch (kind) {
    case ValueKind::INTEGER: {
      int64_t v;
      auto r = std::from_chars(b, e, v);
      if (r.ec != std::errc() || r.ptr != e) return false;
      TypeId id = out.type().id;
      if (v < integer_min(id) || v > integer_max(id)) {
        out.set_null(row);
        return true;
      }
      out.data<int64_t>()[row] = v;
      out.set_null(row, false);
      return true;
    }
    case ValueKind::REAL: {
      float f;
      auto r = std::from_chars(b, e, f);
      if (r.ec != std::errc() || r.ptr != e) return false;
      out.data<double>()[row] = (double)f;
      out.set_null(row, false);
      return true;
    }
    case ValueKind::DOUBLE: {
      double d;
      auto r = std::from_chars(b, e, d);
      if (r.ec != std::errc() || r.ptr != e) return false;
      out.data<double>()[row] = d;
      out.set_null(row, false);
      return true;
    }
    case ValueKind::NUMERIC:
    case ValueKind::NUMERIC_UNBOUNDED: {
      const Type& t = out.type();
      int128 v;
      bool special = text == "NaN" || text == "Infinity" || text == "-Infinity";
      if (!special && decimal::parse(text, t.scale, &v) && decimal::fits(v, t.precision)) {
        out.data<int128>()[row] = v;
        out.set_null(row, false);
      } else {
        out.set_null(row);
      }
      return true;
    }
    case ValueKind::BOOLEAN:
      if (text != "t" && text != "f") return false;
      out.data<uint8_t>()[row] = text[0] == 't';
      out.set_null(row, false);
      return true;
    case ValueKind::TEXT:
    case ValueKind::CHAR:
    case ValueKind::OTHER_TEXT:
      out.data<std::string_view>()[row] = out.add_string(text);
      out.set_null(row, false);
      return true;
    case ValueKind::BYTEA: {
      std::string bytes;
      if (!decode_bytea(text, &bytes)) return false;
      out.data<std::string_view>()[row] = out.add_string(bytes);
      out.set_null(row, false);
      return true;
    }
    case ValueKind::DATE: {
      int64_t days;
      if (parse_pg_date(text, &days)) {
        out.data<int64_t>()[row] = days;
        out.set_null(row, false);
        return true;
      }
      out.set_null(row);
      return text == "infinity" || text == "-infinity";
    }
    case ValueKind::TIMESTAMP:
    case ValueKind::TIMESTAMPTZ: {
      int64_t micros;
      if (parse_pg_timestamp(text, &micros)) {
        out.data<int64_t>()[row] = micros;
        out.set_null(row, false);
        return true;
      }
      out.set_null(row);
      return text == "infinity" || text == "-infinity";
    }
  }
  return false;
}

}  // namespace tributary::postgres
