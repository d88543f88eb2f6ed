// CompactReader: the read side of the Thrift compact protocol over one in-memory buffer,
// enough to decode parquet.thrift structs (FileMetaData, PageHeader) by hand without codegen.
//
// Every read checks the end of the buffer; malformed input (truncated varints, lengths past
// the end, nesting deeper than kMaxDepth, a field of an unexpected wire type) throws
// Error(SOURCE_ERROR, "<what> at offset N") where N is base_offset + position, so the caller
// can name the file. The reader does not own the buffer. Not thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::parquet {

// Wire types of the compact protocol (low nibble of a field header).
namespace ctype {
constexpr uint8_t STOP = 0, BOOL_TRUE = 1, BOOL_FALSE = 2, BYTE = 3, I16 = 4, I32 = 5, I64 = 6, DOUBLE = 7,
                  BINARY = 8, LIST = 9, SET = 10, MAP = 11, STRUCT = 12;
}

class CompactReader {
 public:
  static constexpr int kMaxDepth = 64;

  CompactReader(const uint8_t* data, size_t size, uint64_t base_offset = 0)
      : data_(data), size_(size), base_offset_(base_offset) {}

  // Reads one struct: calls on_field(field_id, wire_type) for each field until STOP. The callback
  // must consume the field's value (with a typed read below, or skip(wire_type)).
  template <class OnField>
  void read_struct(OnField&& on_field) {
    enter();
    int16_t last_id = 0;
    while (true) {
      uint8_t header = read_u8();
      if (header == ctype::STOP) break;
      uint8_t type = header & 0x0f;
      int delta = header >> 4;
      int16_t id = delta != 0 ? static_cast<int16_t>(last_id + delta) : read_i16_raw();
      last_id = id;
      on_field(id, type);
    }
    leave();
  }

  // Typed field values; `type` is the wire type from the field header (checked).
  bool read_bool(uint8_t type);
  int32_t read_i32(uint8_t type);
  int64_t read_i64(uint8_t type);
  double read_double(uint8_t type);
  std::string read_string(uint8_t type);
  std::string_view read_binary_view(uint8_t type);

  struct ListHeader {
    uint8_t element_type;
    uint32_t size;  // at most the bytes left, so allocations stay bounded
  };
  ListHeader read_list_header(uint8_t type);
  // List elements (no field header): element_type from the list header.
  int32_t read_list_i32(uint8_t element_type) { return read_i32(element_type); }
  std::string read_list_string(uint8_t element_type) { return read_string(element_type); }
  // Calls f() once per element of a list of structs.
  template <class F>
  void read_struct_list(uint8_t type, F&& f) {
    ListHeader h = read_list_header(type);
    if (h.size > 0) expect(h.element_type, ctype::STRUCT, "list<struct>");
    for (uint32_t i = 0; i < h.size; i++) f();
  }

  // Skips a value of any wire type, including nested structs, lists, sets and maps.
  void skip(uint8_t type);

  // Position within the buffer and in the file.
  size_t position() const { return pos_; }
  uint64_t offset() const { return base_offset_ + pos_; }
  [[noreturn]] void fail(const std::string& what) const;

  // Low-level reads (public for tests).
  uint8_t read_u8();
  uint64_t read_varint();
  int64_t read_zigzag();

 private:
  int16_t read_i16_raw();
  void expect(uint8_t got, uint8_t want, const char* what) const;
  void enter();
  void leave() { depth_--; }

  const uint8_t* data_;
  size_t size_;
  uint64_t base_offset_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace tributary::parquet
