#include "formats/parquet/thrift_compact.h"

#include <cstring>

#include "common/error.h"

namespace tributary::parquet {

static const char* wire_type_name(uint8_t type) {
  switch (type) {
    case ctype::BOOL_TRUE:
    case ctype::BOOL_FALSE: return "bool";
    case ctype::BYTE: return "byte";
    case ctype::I16: return "i16";
    case ctype::I32: return "i32";
    case ctype::I64: return "i64";
    case ctype::DOUBLE: return "double";
    case ctype::BINARY: return "binary";
    case ctype::LIST: return "list";
    case ctype::SET: return "set";
    case ctype::MAP: return "map";
    case ctype::STRUCT: return "struct";
    default: return "unknown";
  }
}

void CompactReader::fail(const std::string& what) const {
  throw Error(ErrorCode::SOURCE_ERROR, what + " at offset " + std::to_string(offset()));
}

void CompactReader::expect(uint8_t got, uint8_t want, const char* what) const {
  if (got != want) {
    fail(std::string("thrift value of wire type ") + wire_type_name(got) + " (" + std::to_string(got) +
         ") where " + what + " was expected");
  }
}

void CompactReader::enter() {
  if (++depth_ > kMaxDepth) fail("thrift structs nested deeper than " + std::to_string(kMaxDepth));
}

uint8_t CompactReader::read_u8() {
  if (pos_ >= size_) fail("thrift data is truncated");
  return data_[pos_++];
}

uint64_t CompactReader::read_varint() {
  uint64_t result = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    uint8_t byte = read_u8();
    if (shift == 63 && (byte & 0x7e) != 0) fail("thrift varint overflows 64 bits");
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return result;
  }
  fail("thrift varint is longer than 10 bytes");
}

int64_t CompactReader::read_zigzag() {
  uint64_t n = read_varint();
  return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1);
}

int16_t CompactReader::read_i16_raw() {
  int64_t v = read_zigzag();
  if (v < INT16_MIN || v > INT16_MAX) fail("thrift field id out of range");
  return static_cast<int16_t>(v);
}

bool CompactReader::read_bool(uint8_t type) {
  if (type == ctype::BOOL_TRUE) return true;
  if (type == ctype::BOOL_FALSE) return false;
  // Inside lists and sets a bool is a byte of its own.
  if (type == ctype::BYTE) return read_u8() == 1;
  expect(type, ctype::BOOL_TRUE, "bool");
  return false;
}

int32_t CompactReader::read_i32(uint8_t type) {
  if (type == ctype::BYTE) return static_cast<int8_t>(read_u8());
  if (type != ctype::I16 && type != ctype::I32) expect(type, ctype::I32, "i32");
  int64_t v = read_zigzag();
  if (v < INT32_MIN || v > INT32_MAX) fail("thrift i32 value out of range");
  return static_cast<int32_t>(v);
}

int64_t CompactReader::read_i64(uint8_t type) {
  if (type == ctype::BYTE) return static_cast<int8_t>(read_u8());
  if (type != ctype::I16 && type != ctype::I32 && type != ctype::I64) expect(type, ctype::I64, "i64");
  return read_zigzag();
}

double CompactReader::read_double(uint8_t type) {
  expect(type, ctype::DOUBLE, "double");
  if (size_ - pos_ < 8) fail("thrift data is truncated");
  double d;
  std::memcpy(&d, data_ + pos_, 8);
  pos_ += 8;
  return d;
}

std::string_view CompactReader::read_binary_view(uint8_t type) {
  expect(type, ctype::BINARY, "binary");
  uint64_t length = read_varint();
  if (length > size_ - pos_) {
    fail("thrift binary of " + std::to_string(length) + " bytes runs past the end of the data");
  }
  std::string_view out(reinterpret_cast<const char*>(data_ + pos_), length);
  pos_ += length;
  return out;
}

std::string CompactReader::read_string(uint8_t type) { return std::string(read_binary_view(type)); }

CompactReader::ListHeader CompactReader::read_list_header(uint8_t type) {
  if (type != ctype::SET) expect(type, ctype::LIST, "list");
  uint8_t header = read_u8();
  uint64_t size = header >> 4;
  if (size == 15) size = read_varint();
  // Every element takes at least one byte, so a larger count is corrupt (and must not allocate).
  if (size > size_ - pos_) fail("thrift list of " + std::to_string(size) + " elements runs past the end of the data");
  return {static_cast<uint8_t>(header & 0x0f), static_cast<uint32_t>(size)};
}

void CompactReader::skip(uint8_t type) {
  switch (type) {
    case ctype::BOOL_TRUE:
    case ctype::BOOL_FALSE: return;
    case ctype::BYTE: read_u8(); return;
    case ctype::I16:
    case ctype::I32:
    case ctype::I64: read_varint(); return;
    case ctype::DOUBLE:
      if (size_ - pos_ < 8) fail("thrift data is truncated");
      pos_ += 8;
      return;
    case ctype::BINARY: read_binary_view(type); return;
    case ctype::LIST:
    case ctype::SET: {
      ListHeader h = read_list_header(type);
      enter();
      // Bools inside lists are one byte each.
      uint8_t element = h.element_type == ctype::BOOL_TRUE || h.element_type == ctype::BOOL_FALSE ? ctype::BYTE
                                                                                                   : h.element_type;
      for (uint32_t i = 0; i < h.size; i++) skip(element);
      leave();
      return;
    }
    case ctype::MAP: {
      uint64_t size = read_varint();
      if (size == 0) return;
      if (size > size_ - pos_) fail("thrift map of " + std::to_string(size) + " entries runs past the end of the data");
      uint8_t kinds = read_u8();
      uint8_t key = kinds >> 4, value = kinds & 0x0f;
      if (key == ctype::BOOL_TRUE || key == ctype::BOOL_FALSE) key = ctype::BYTE;
      if (value == ctype::BOOL_TRUE || value == ctype::BOOL_FALSE) value = ctype::BYTE;
      enter();
      for (uint64_t i = 0; i < size; i++) {
        skip(key);
        skip(value);
      }
      leave();
      return;
    }
    case ctype::STRUCT:
      read_struct([&](int16_t, uint8_t field_type) { skip(field_type); });
      return;
    default: fail("unknown thrift wire type " + std::to_string(type));
  }
}

}  // namespace tributary::parquet
