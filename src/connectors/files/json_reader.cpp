#include "connectors/files/json_reader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "common/error.h"
#include "connectors/files/field_parsing.h"

namespace tributary::files {

namespace {

// ---- A small scanner over one line of JSON: no DOM, tokens are spans of the line.

enum class JsonKind { NUL, TRUE_, FALSE_, NUMBER, STRING, OBJECT, ARRAY };

struct JsonToken {
  JsonKind kind;
  const char* begin;  // STRING: content without quotes; others: the raw text
  const char* end;
  bool escaped = false;  // STRING holds backslash escapes
  std::string_view text() const { return std::string_view(begin, (size_t)(end - begin)); }
};

inline void skip_ws(const char*& p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
}

bool scan_string(const char*& p, const char* end, JsonToken* tok) {
  // p at the opening quote
  const char* start = ++p;
  bool escaped = false;
  while (p < end) {
    char c = *p;
    if (c == '"') {
      *tok = {JsonKind::STRING, start, p, escaped};
      p++;
      return true;
    }
    if (c == '\\') {
      escaped = true;
      p += 2;
      continue;
    }
    p++;
  }
  return false;
}

bool scan_value(const char*& p, const char* end, JsonToken* tok) {
  skip_ws(p, end);
  if (p >= end) return false;
  const char* start = p;
  switch (*p) {
    case '"': return scan_string(p, end, tok);
    case '{':
    case '[': {
      int depth = 0;
      while (p < end) {
        char c = *p;
        if (c == '"') {
          JsonToken ignored;
          if (!scan_string(p, end, &ignored)) return false;
          continue;
        }
        if (c == '{' || c == '[') depth++;
        if (c == '}' || c == ']') {
          if (--depth == 0) {
            p++;
            *tok = {*start == '{' ? JsonKind::OBJECT : JsonKind::ARRAY, start, p};
            return true;
          }
        }
        p++;
      }
      return false;
    }
    case 't':
      if (end - p >= 4 && std::memcmp(p, "true", 4) == 0) {
        p += 4;
        *tok = {JsonKind::TRUE_, start, p};
        return true;
      }
      return false;
    case 'f':
      if (end - p >= 5 && std::memcmp(p, "false", 5) == 0) {
        p += 5;
        *tok = {JsonKind::FALSE_, start, p};
        return true;
      }
      return false;
    case 'n':
      if (end - p >= 4 && std::memcmp(p, "null", 4) == 0) {
        p += 4;
        *tok = {JsonKind::NUL, start, p};
        return true;
      }
      return false;
    default:
      if (*p == '-' || (*p >= '0' && *p <= '9')) {
        while (p < end && (std::isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.' || *p == 'e' ||
                           *p == 'E'))
          p++;
        *tok = {JsonKind::NUMBER, start, p};
        return true;
      }
      return false;
  }
}

// Calls f(key_token, value_token) for each member of the object at p. False when malformed.
template <class F>
bool for_each_member(const char* p, const char* end, F&& f) {
  skip_ws(p, end);
  if (p >= end || *p != '{') return false;
  p++;
  skip_ws(p, end);
  if (p < end && *p == '}') return true;
  while (p < end) {
    skip_ws(p, end);
    if (p >= end || *p != '"') return false;
    JsonToken key, value;
    if (!scan_string(p, end, &key)) return false;
    skip_ws(p, end);
    if (p >= end || *p != ':') return false;
    p++;
    if (!scan_value(p, end, &value)) return false;
    f(key, value);
    skip_ws(p, end);
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    return p < end && *p == '}';
  }
  return false;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += (char)cp;
  } else if (cp < 0x800) {
    *out += (char)(0xC0 | (cp >> 6));
    *out += (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += (char)(0xE0 | (cp >> 12));
    *out += (char)(0x80 | ((cp >> 6) & 0x3F));
    *out += (char)(0x80 | (cp & 0x3F));
  } else {
    *out += (char)(0xF0 | (cp >> 18));
    *out += (char)(0x80 | ((cp >> 12) & 0x3F));
    *out += (char)(0x80 | ((cp >> 6) & 0x3F));
    *out += (char)(0x80 | (cp & 0x3F));
  }
}

bool parse_hex4(const char* p, const char* end, uint32_t* out) {
  if (end - p < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
    else return false;
  }
  *out = v;
  return true;
}

std::string unescape_json(const JsonToken& tok) {
  if (!tok.escaped) return std::string(tok.text());
  std::string out;
  out.reserve((size_t)(tok.end - tok.begin));
  for (const char* p = tok.begin; p < tok.end; p++) {
    if (*p != '\\' || p + 1 >= tok.end) {
      out += *p;
      continue;
    }
    char c = *++p;
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        uint32_t cp;
        if (!parse_hex4(p + 1, tok.end, &cp)) {
          out += 'u';
          break;
        }
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && tok.end - p >= 7 && p[1] == '\\' && p[2] == 'u') {
          uint32_t low;
          if (parse_hex4(p + 3, tok.end, &low) && low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
          }
        }
        append_utf8(&out, cp);
        break;
      }
      default: out += c; break;  // \" \\ \/
    }
  }
  return out;
}

bool iequals_lower(std::string_view key, const std::string& lower_name) {
  if (key.size() != lower_name.size()) return false;
  for (size_t i = 0; i < key.size(); i++)
    if ((char)std::tolower((unsigned char)key[i]) != lower_name[i]) return false;
  return true;
}

bool is_integer_text(std::string_view s) {
  int64_t v;
  return parse_int64(s, &v);
}

// DynamoDB typed JSON -> plain JSON, for M/L/SS/NS/BS attributes.
nlohmann::json dynamo_to_plain(const nlohmann::json& typed) {
  if (!typed.is_object() || typed.size() != 1) return typed;
  auto first = typed.begin();
  const std::string tag = first.key();
  const nlohmann::json& value = first.value();
  if (tag == "S" || tag == "B") return value;
  if (tag == "N") {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    try {
      return nlohmann::json::parse(text);
    } catch (...) {
      return text;
    }
  }
  if (tag == "BOOL") return value;
  if (tag == "NULL") return nullptr;
  if (tag == "M") {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) out[k] = dynamo_to_plain(v);
    return out;
  }
  if (tag == "L") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(dynamo_to_plain(v));
    return out;
  }
  if (tag == "SS" || tag == "BS") return value;
  if (tag == "NS") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(dynamo_to_plain(nlohmann::json{{"N", v}}));
    return out;
  }
  return typed;
}

bool dynamo_tag(std::string_view t) {
  static const std::set<std::string_view> tags = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
  return tags.count(t) > 0;
}

// Calls f(attribute_key, tag, value) for each attribute of a DynamoDB item line.
template <class F>
bool for_each_dynamo_attribute(const char* p, const char* end, F&& f) {
  JsonToken item{JsonKind::NUL, nullptr, nullptr};
  bool found = false;
  bool ok = for_each_member(p, end, [&](const JsonToken& key, const JsonToken& value) {
    if (key.text() == "Item" && value.kind == JsonKind::OBJECT) {
      item = value;
      found = true;
    }
  });
  if (!ok || !found) return false;
  return for_each_member(item.begin, item.end, [&](const JsonToken& key, const JsonToken& typed) {
    if (typed.kind != JsonKind::OBJECT) return;
    for_each_member(typed.begin, typed.end, [&](const JsonToken& tag, const JsonToken& value) { f(key, tag, value, typed); });
  });
}

// Which value kinds a sampled key held.
struct KeyGuess {
  std::string key;
  bool boolean = false, integer = false, number = false, string = false, nested = false, binary = false;
  int kinds() const { return boolean + (integer || number) + string + nested + binary; }
  Type type() const {
    if (kinds() != 1) return Type::varchar();
    if (boolean) return Type::boolean();
    if (number) return Type::double_();
    if (integer) return Type::bigint();
    if (binary) return Type::varbinary();
    return Type::varchar();
  }
};

std::vector<std::string> unique_lower_names(const std::vector<KeyGuess>& guesses) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto& g : guesses) {
    std::string name;
    for (char c : g.key) name += (char)std::tolower((unsigned char)c);
    if (name.empty()) name = "column_" + std::to_string(names.size() + 1);
    std::string candidate = name;
    for (int n = 2; seen.count(candidate); n++) candidate = name + "_" + std::to_string(n);
    seen.insert(candidate);
    names.push_back(candidate);
  }
  return names;
}

class JsonPageSource : public PageSource {
 public:
  explicit JsonPageSource(JsonScan scan) : scan_(std::move(scan)), buffer_(scan_.range) {}
  ~JsonPageSource() override { flush_rejected(); }

  PageStatus next(Chunk& out) override {
    out.size = 0;
    if (done_) return PageStatus::FINISHED;
    if (cancelled_.load(std::memory_order_relaxed))
      throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading '" + scan_.range.path + "'");
    if (!started_) {
      started_ = true;
      buffer_.fill();
      buffer_.skip_to_first_line();
    }
    size_t capacity = out.columns.empty() ? kChunkCapacity : out.columns[0].capacity();
    if (scan_.limit) capacity = (size_t)std::min<int64_t>((int64_t)capacity, *scan_.limit - rows_emitted_);
    size_t row = 0;
    while (row < capacity && !done_) {
      const char* p = buffer_.cursor;
      const char* end = buffer_.limit();
      if (p == end) {
        if (!buffer_.fill()) done_ = true;
        continue;
      }
      if (buffer_.past_end(p)) {
        done_ = true;
        break;
      }
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', (size_t)(end - p)));
      if (!nl && !buffer_.at_eof()) {
        if (!buffer_.fill() && buffer_.cursor == buffer_.limit()) done_ = true;
        continue;
      }
      const char* line_end = nl ? nl : end;
      buffer_.cursor = nl ? nl + 1 : end;
      const char* q = p;
      skip_ws(q, line_end);
      if (q == line_end) continue;  // blank line
      if (read_line(q, line_end, out, row)) row++;
      else rejected_++;
    }
    out.size = row;
    rows_emitted_ += (int64_t)row;
    if (scan_.limit && rows_emitted_ >= *scan_.limit) done_ = true;
    if (done_) flush_rejected();
    return done_ ? PageStatus::FINISHED : PageStatus::HAVE_DATA;
  }

  uint64_t bytes_read() const override { return buffer_.source_bytes(); }
  void cancel() override { cancelled_ = true; }

 private:
  int find_column(std::string_view key) {
    const size_t n = scan_.names.size();
    if (n == 0) return -1;
    // Keys usually come in the same order on every line: try the next expected column first.
    for (size_t i = 0; i < n; i++) {
      size_t c = (hint_ + i) % n;
      if (iequals_lower(key, scan_.names[c])) {
        hint_ = c + 1;
        return (int)c;
      }
    }
    return -1;
  }

  void store(Vector& vec, size_t row, const JsonToken& value, bool base64) {
    bool ok = false;
    switch (value.kind) {
      case JsonKind::NUL: vec.set_null(row); return;
      case JsonKind::STRING:
        if (value.escaped) {
          scratch_ = unescape_json(value);
        } else {
          scratch_.assign(value.begin, value.end);
        }
        if (base64 && vec.type().id == TypeId::VARBINARY) {
          std::string decoded;
          ok = base64_decode(scratch_, &decoded);
          if (ok) vec.data<std::string_view>()[row] = vec.add_string(decoded);
        } else {
          ok = store_text_value(vec, row, scratch_);
        }
        break;
      case JsonKind::NUMBER: ok = vec.type().id != TypeId::BOOLEAN && store_text_value(vec, row, value.text()); break;
      case JsonKind::TRUE_:
      case JsonKind::FALSE_:
        if (vec.type().id == TypeId::BOOLEAN) {
          vec.data<uint8_t>()[row] = value.kind == JsonKind::TRUE_;
          ok = true;
        } else if (vec.type().id == TypeId::VARCHAR) {
          ok = store_text_value(vec, row, value.text());
        }
        break;
      case JsonKind::OBJECT:
      case JsonKind::ARRAY:
        if (vec.type().id == TypeId::VARCHAR) ok = store_text_value(vec, row, value.text());
        break;
    }
    vec.set_null(row, !ok);
    if (!ok) rejected_++;
  }

  bool read_line(const char* p, const char* end, Chunk& out, size_t row) {
    const size_t outputs = scan_.names.size();
    seen_.assign(outputs, 0);
    bool ok;
    if (scan_.flavor == JsonFlavor::LINES) {
      ok = for_each_member(p, end, [&](const JsonToken& key, const JsonToken& value) {
        int c = key.escaped ? find_column(unescape_json(key)) : find_column(key.text());
        if (c < 0 || seen_[c]) return;
        seen_[c] = 1;
        store(out.columns[c], row, value, false);
      });
    } else {
      ok = for_each_dynamo_attribute(p, end, [&](const JsonToken& key, const JsonToken& tag, const JsonToken& value,
                                                 const JsonToken& typed) {
        int c = key.escaped ? find_column(unescape_json(key)) : find_column(key.text());
        if (c < 0 || seen_[c]) return;
        seen_[c] = 1;
        Vector& vec = out.columns[c];
        std::string_view t = tag.text();
        if (t == "NULL") {
          vec.set_null(row);
        } else if (t == "M" || t == "L" || t == "SS" || t == "NS" || t == "BS") {
          bool stored = false;
          if (vec.type().id == TypeId::VARCHAR) {
            try {
              std::string plain = dynamo_to_plain(nlohmann::json::parse(typed.text())).dump();
              vec.data<std::string_view>()[row] = vec.add_string(plain);
              stored = true;
            } catch (const nlohmann::json::exception&) {
            }
          }
          vec.set_null(row, !stored);
          if (!stored) rejected_++;
        } else {
          store(vec, row, value, t == "B");
        }
      });
    }
    if (!ok) return false;
    for (size_t c = 0; c < outputs; c++)
      if (!seen_[c]) out.columns[c].set_null(row);
    return true;
  }

  void flush_rejected() {
    if (scan_.rejected_values && rejected_) scan_.rejected_values->fetch_add(rejected_);
    rejected_ = 0;
  }

  JsonScan scan_;
  TextBuffer buffer_;
  std::vector<uint8_t> seen_;
  std::string scratch_;
  size_t hint_ = 0;
  bool started_ = false;
  bool done_ = false;
  int64_t rows_emitted_ = 0;
  uint64_t rejected_ = 0;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

bool is_dynamodb_item_line(std::string_view line) {
  const char* p = line.data();
  const char* end = p + line.size();
  int members = 0;
  bool item_ok = false;
  bool ok = for_each_member(p, end, [&](const JsonToken& key, const JsonToken& value) {
    members++;
    if (key.text() != "Item" || value.kind != JsonKind::OBJECT) return;
    item_ok = true;
    for_each_member(value.begin, value.end, [&](const JsonToken&, const JsonToken& typed) {
      if (typed.kind != JsonKind::OBJECT) {
        item_ok = false;
        return;
      }
      int tags = 0;
      for_each_member(typed.begin, typed.end, [&](const JsonToken& tag, const JsonToken&) {
        tags++;
        if (!dynamo_tag(tag.text())) item_ok = false;
      });
      if (tags != 1) item_ok = false;
    });
  });
  return ok && members == 1 && item_ok;
}

JsonSample infer_json_schema(const TextRange& file, size_t sample_rows, bool detect_dynamodb) {
  TextRange whole = file;
  whole.start = 0;
  whole.end = UINT64_MAX;
  TextBuffer buffer(whole, 1 << 20);
  JsonSample sample;
  std::vector<KeyGuess> guesses;
  auto guess_for = [&](std::string key) -> KeyGuess& {
    for (auto& g : guesses)
      if (g.key == key) return g;
    guesses.push_back(KeyGuess{std::move(key)});
    return guesses.back();
  };
  bool first = true;
  buffer.fill();
  while (sample.rows < sample_rows) {
    const char* p = buffer.cursor;
    const char* end = buffer.limit();
    if (p == end) {
      if (!buffer.fill()) break;
      continue;
    }
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', (size_t)(end - p)));
    if (!nl && !buffer.at_eof()) {
      if (!buffer.fill() && buffer.cursor == buffer.limit()) break;
      continue;
    }
    const char* line_end = nl ? nl : end;
    buffer.cursor = nl ? nl + 1 : end;
    const char* q = p;
    skip_ws(q, line_end);
    if (q == line_end) continue;
    if (first) {
      first = false;
      if (detect_dynamodb && is_dynamodb_item_line(std::string_view(q, (size_t)(line_end - q))))
        sample.flavor = JsonFlavor::DYNAMODB;
    }
    bool ok;
    if (sample.flavor == JsonFlavor::LINES) {
      ok = for_each_member(q, line_end, [&](const JsonToken& key, const JsonToken& value) {
        KeyGuess& g = guess_for(unescape_json(key));
        switch (value.kind) {
          case JsonKind::NUL: break;
          case JsonKind::TRUE_:
          case JsonKind::FALSE_: g.boolean = true; break;
          case JsonKind::NUMBER: (is_integer_text(value.text()) ? g.integer : g.number) = true; break;
          case JsonKind::STRING: g.string = true; break;
          case JsonKind::OBJECT:
          case JsonKind::ARRAY: g.nested = true; break;
        }
      });
    } else {
      ok = for_each_dynamo_attribute(q, line_end, [&](const JsonToken& key, const JsonToken& tag,
                                                     const JsonToken& value, const JsonToken&) {
        KeyGuess& g = guess_for(unescape_json(key));
        std::string_view t = tag.text();
        if (t == "S") g.string = true;
        else if (t == "N") (is_integer_text(unescape_json(value)) ? g.integer : g.number) = true;
        else if (t == "BOOL") g.boolean = true;
        else if (t == "B") g.binary = true;
        else if (t != "NULL") g.nested = true;
      });
    }
    if (ok) {
      sample.rows++;
      sample.bytes = buffer.offset_of(buffer.cursor);
    }
  }
  sample.names = unique_lower_names(guesses);
  for (const auto& g : guesses) sample.types.push_back(g.type());
  return sample;
}

std::unique_ptr<PageSource> make_json_page_source(JsonScan scan) {
  return std::make_unique<JsonPageSource>(std::move(scan));
}

bool base64_decode(std::string_view text, std::string* out) {
  out->clear();
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=' || c == ' ' || c == '\n' || c == '\r') continue;
    else return false;
    buffer = (buffer << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *out += (char)((buffer >> bits) & 0xFF);
    }
  }
  return true;
}

}  // namespace tributary::files
