#include "connectors/dynamodb/dynamodb_item_reader.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "common/decimal.h"

namespace tributary::dynamodb {

namespace {

const std::string& number_text(const nlohmann::json& v, std::string* storage) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  *storage = v.dump();
  return *storage;
}

nlohmann::json to_plain(const nlohmann::json& typed) {
  if (!typed.is_object() || typed.size() != 1) return typed;
  const std::string& tag = typed.begin().key();
  const nlohmann::json& value = typed.begin().value();
  if (tag == "S" || tag == "B" || tag == "BOOL") return value;
  if (tag == "NULL") return nullptr;
  if (tag == "N") {
    std::string storage;
    const std::string& text = number_text(value, &storage);
    bool fits = false, integral = false;
    if (classify_number(text, &fits, &integral) && integral && fits) return (int64_t)std::strtoll(text.c_str(), nullptr, 10);
    // Keep full precision: numbers that do not fit int64 stay exact as JSON number text.
    try {
      nlohmann::json parsed = nlohmann::json::parse(text);
      if (parsed.is_number() && parsed.dump() == text) return parsed;
    } catch (...) {
    }
    return nlohmann::json(text);
  }
  if (tag == "M") {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) out[k] = to_plain(v);
    return out;
  }
  if (tag == "L") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(to_plain(v));
    return out;
  }
  if (tag == "SS" || tag == "BS") return value;
  if (tag == "NS") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(to_plain(nlohmann::json{{"N", v}}));
    return out;
  }
  return typed;
}

uint64_t value_size(const nlohmann::json& typed) {
  if (!typed.is_object() || typed.size() != 1) return 1;
  const std::string& tag = typed.begin().key();
  const nlohmann::json& value = typed.begin().value();
  if (tag == "S" && value.is_string()) return value.get_ref<const std::string&>().size();
  if (tag == "N" && value.is_string()) return value.get_ref<const std::string&>().size() / 2 + 1;
  if (tag == "B" && value.is_string()) return value.get_ref<const std::string&>().size() * 3 / 4;
  if (tag == "BOOL" || tag == "NULL") return 1;
  uint64_t total = 3;
  if (tag == "M" && value.is_object()) {
    for (const auto& [k, v] : value.items()) total += k.size() + value_size(v) + 1;
  } else if (tag == "L" && value.is_array()) {
    for (const auto& v : value) total += value_size(v) + 1;
  } else if (value.is_array()) {
    for (const auto& v : value) total += v.is_string() ? v.get_ref<const std::string&>().size() : 8;
  }
  return total;
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = ((uint8_t)bytes[i] << 16) | ((uint8_t)bytes[i + 1] << 8) | (uint8_t)bytes[i + 2];
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = (uint8_t)bytes[i] << 16;
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t v = ((uint8_t)bytes[i] << 16) | ((uint8_t)bytes[i + 1] << 8);
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool base64_decode(const std::string& text, std::string* bytes) {
  auto digit = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  bytes->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    if (c == '\n' || c == '\r') continue;
    int d = digit(c);
    if (d < 0) return false;
    acc = (acc << 6) | (uint32_t)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes->push_back((char)((acc >> bits) & 0xFF));
    }
  }
  return true;
}

std::string attribute_to_json_text(const nlohmann::json& typed) { return to_plain(typed).dump(); }

uint64_t item_size(const nlohmann::json& item) {
  uint64_t total = 0;
  if (!item.is_object()) return 0;
  for (const auto& [name, value] : item.items()) total += name.size() + value_size(value);
  return total;
}

bool read_attribute(const nlohmann::json* value, const ColumnSpec& column, Vector& vector, size_t row) {
  if (!value || !value->is_object() || value->size() != 1 || value->begin().key() == "NULL") {
    vector.set_null(row);
    return true;
  }
  const std::string& tag = value->begin().key();
  const nlohmann::json& v = value->begin().value();
  bool ok = false;
  const Type& type = column.type;
  switch (column.kind) {
    case AttributeKind::S:
      if (tag == "S" && v.is_string() && type.id == TypeId::VARCHAR) {
        vector.data<std::string_view>()[row] = vector.add_string(v.get_ref<const std::string&>());
        ok = true;
      }
      break;
    case AttributeKind::B:
      if (tag == "B" && v.is_string()) {
        std::string bytes;
        if (base64_decode(v.get_ref<const std::string&>(), &bytes)) {
          vector.data<std::string_view>()[row] = vector.add_string(bytes);
          ok = true;
        }
      }
      break;
    case AttributeKind::BOOL:
      if (tag == "BOOL" && v.is_boolean() && type.id == TypeId::BOOLEAN) {
        vector.data<uint8_t>()[row] = v.get<bool>() ? 1 : 0;
        ok = true;
      }
      break;
    case AttributeKind::N: {
      if (tag != "N") break;
      std::string storage;
      const std::string& text = number_text(v, &storage);
      if (type.is_integer()) {
        bool fits = false, integral = false;
        if (classify_number(text, &fits, &integral) && integral && fits) {
          int128 parsed = 0;
          if (decimal::parse(text, 0, &parsed) && parsed >= integer_min(type.id) && parsed <= integer_max(type.id)) {
            vector.data<int64_t>()[row] = (int64_t)parsed;
            ok = true;
          }
        }
      } else if (type.id == TypeId::DECIMAL) {
        int128 parsed = 0;
        if (decimal::parse(text, type.scale, &parsed) && decimal::fits(parsed, type.precision)) {
          vector.data<int128>()[row] = parsed;
          ok = true;
        }
      } else if (type.id == TypeId::DOUBLE || type.id == TypeId::REAL) {
        errno = 0;
        char* end = nullptr;
        double d = std::strtod(text.c_str(), &end);
        if (end && *end == 0 && !text.empty() && std::isfinite(d)) {
          vector.data<double>()[row] = type.id == TypeId::REAL ? (double)(float)d : d;
          ok = true;
        }
      }
      break;
    }
    case AttributeKind::ANY: {
      std::string text;
      if (tag == "S" && v.is_string()) text = v.get<std::string>();
      else if (tag == "N") {
        std::string storage;
        text = number_text(v, &storage);
      }
      else if (tag == "BOOL" && v.is_boolean()) text = v.get<bool>() ? "true" : "false";
      else if (tag == "B" && v.is_string()) text = v.get<std::string>();
      else text = attribute_to_json_text(*value);
      vector.data<std::string_view>()[row] = vector.add_string(text);
      ok = true;
      break;
    }
  }
  vector.set_null(row, !ok);
  return ok;
}

void ItemReader::read(const nlohmann::json& item, Chunk& out, size_t row, ReadCounters& counters) const {
  counters.items++;
  counters.item_bytes += item_size(item);
  for (size_t c = 0; c < columns_.size(); c++) {
    auto it = item.find(columns_[c].attribute);
    const nlohmann::json* value = it == item.end() ? nullptr : &*it;
    if (!read_attribute(value, columns_[c], out.columns[c], row)) counters.type_mismatches++;
  }
}

}  // namespace tributary::dynamodb
