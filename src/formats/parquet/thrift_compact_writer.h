// CompactWriter: the write side of the Thrift compact protocol, appending to a std::string; and
// the parquet.thrift structs of metadata.h (FileMetaData, PageHeader) encoded with it, the
// mirror of decode_file_metadata / decode_page_header. Field ids follow apache/parquet-format's
// parquet.thrift. Nothing here throws except std::bad_alloc. Not thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/parquet/metadata.h"

namespace tributary::parquet {

class CompactWriter {
 public:
  // Appends to *out (not owned; must outlive the writer).
  explicit CompactWriter(std::string* out) : out_(out) {}

  // Fields of the struct being written; ids must increase within a struct.
  void field_bool(int16_t id, bool value);
  void field_i8(int16_t id, int8_t value);
  void field_i32(int16_t id, int32_t value);
  void field_i64(int16_t id, int64_t value);
  void field_binary(int16_t id, std::string_view value);
  // A struct field: its fields follow, then end_struct().
  void begin_struct(int16_t id);
  void end_struct();  // writes STOP and returns to the enclosing struct
  // A list field of `size` elements of `element_type` (ctype::*). Struct elements are written
  // with begin_list_struct() ... end_struct(); scalars with the list_* calls.
  void begin_list(int16_t id, uint8_t element_type, size_t size);
  void begin_list_struct();
  void list_i32(int32_t value) { zigzag(value); }
  void list_binary(std::string_view value);
  // The STOP byte of the top-level struct.
  void stop() { out_->push_back('\0'); }

  void varint(uint64_t value);
  void zigzag(int64_t value) { varint((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63)); }

 private:
  void field_header(int16_t id, uint8_t type);

  std::string* out_;
  std::vector<int16_t> last_ids_{0};
};

// Appends the encoded struct. encode_file_metadata also writes column_orders (TYPE_ORDER for
// every leaf), so readers trust min_value/max_value, and each row group's file_offset (its first
// column chunk's offset).
void encode_file_metadata(const FileMetaData& metadata, std::string* out);
void encode_page_header(const PageHeader& header, std::string* out);

}  // namespace tributary::parquet
