// The parquet.thrift structs the reader needs (FileMetaData down to Statistics, and PageHeader),
// decoded by hand from the Thrift compact protocol. Field ids and enum values follow
// apache/parquet-format's parquet.thrift; unknown fields of any type are skipped.
//
// decode_* throw Error(SOURCE_ERROR, "<what> at offset N") on malformed input (N is a file
// offset when the caller passes the buffer's file offset as base_offset).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tributary::parquet {

// parquet.thrift enum Type
enum class PhysicalKind : int32_t {
  BOOLEAN = 0, INT32 = 1, INT64 = 2, INT96 = 3, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6, FIXED_LEN_BYTE_ARRAY = 7
};
// enum ConvertedType (the subset the reader looks at)
namespace converted {
constexpr int32_t UTF8 = 0, MAP = 1, MAP_KEY_VALUE = 2, LIST = 3, ENUM = 4, DECIMAL = 5, DATE = 6, TIME_MILLIS = 7,
                  TIME_MICROS = 8, TIMESTAMP_MILLIS = 9, TIMESTAMP_MICROS = 10, UINT_8 = 11, UINT_16 = 12,
                  UINT_32 = 13, UINT_64 = 14, INT_8 = 15, INT_16 = 16, INT_32 = 17, INT_64 = 18, JSON = 19,
                  BSON = 20, INTERVAL = 21;
}
// enum FieldRepetitionType
namespace repetition {
constexpr int32_t REQUIRED = 0, OPTIONAL = 1, REPEATED = 2;
}
// enum Encoding
namespace encoding {
constexpr int32_t PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, BIT_PACKED = 4, DELTA_BINARY_PACKED = 5,
                  DELTA_LENGTH_BYTE_ARRAY = 6, DELTA_BYTE_ARRAY = 7, RLE_DICTIONARY = 8, BYTE_STREAM_SPLIT = 9;
}
// enum CompressionCodec
namespace codec {
constexpr int32_t UNCOMPRESSED = 0, SNAPPY = 1, GZIP = 2, LZO = 3, BROTLI = 4, LZ4 = 5, ZSTD = 6, LZ4_RAW = 7;
}
// enum PageType
namespace page_type {
constexpr int32_t DATA_PAGE = 0, INDEX_PAGE = 1, DICTIONARY_PAGE = 2, DATA_PAGE_V2 = 3;
}
// union TimeUnit
enum class TimeUnit { NONE, MILLIS, MICROS, NANOS };

// union LogicalType, flattened: `kind` names the member that was set.
struct LogicalType {
  enum Kind { NONE, STRING, MAP, LIST, ENUM, DECIMAL, DATE, TIME, TIMESTAMP, INTEGER, UNKNOWN, JSON, BSON, UUID,
              FLOAT16, OTHER };
  Kind kind = NONE;
  int32_t decimal_scale = 0, decimal_precision = 0;  // DECIMAL
  bool is_adjusted_to_utc = false;                   // TIME, TIMESTAMP
  TimeUnit unit = TimeUnit::NONE;                    // TIME, TIMESTAMP
  int32_t bit_width = 0;                             // INTEGER
  bool is_signed = true;                             // INTEGER
};

struct SchemaElement {
  std::optional<PhysicalKind> type;  // absent for groups
  int32_t type_length = 0;
  std::optional<int32_t> repetition_type;
  std::string name;
  int32_t num_children = 0;
  std::optional<int32_t> converted_type;
  int32_t scale = 0, precision = 0;
  std::optional<int32_t> field_id;
  LogicalType logical_type;
};

struct Statistics {
  std::optional<std::string> max, min;  // deprecated (signed order)
  std::optional<int64_t> null_count, distinct_count;
  std::optional<std::string> max_value, min_value;
};

struct ColumnMetaData {
  PhysicalKind type = PhysicalKind::BOOLEAN;
  std::vector<int32_t> encodings;
  std::vector<std::string> path_in_schema;
  int32_t codec = 0;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  std::string file_path;  // set when the chunk lives in another file (not supported)
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> total_compressed_size;
};

struct FileMetaData {
  int32_t version = 0;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::string created_by;
};

struct DataPageHeader {
  int32_t num_values = 0;
  int32_t encoding = 0;
  int32_t definition_level_encoding = encoding::RLE;
  int32_t repetition_level_encoding = encoding::RLE;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  int32_t encoding = encoding::PLAIN;
  bool is_sorted = false;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  int32_t encoding = 0;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  int32_t type = 0;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
};

// Decodes FileMetaData from `size` bytes (the footer without its length and magic).
FileMetaData decode_file_metadata(const uint8_t* data, size_t size, uint64_t base_offset);
// Decodes one PageHeader at the start of `data`; *header_size receives its length in bytes.
PageHeader decode_page_header(const uint8_t* data, size_t size, uint64_t base_offset, size_t* header_size);

}  // namespace tributary::parquet
