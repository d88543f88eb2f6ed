// Parquet reader: the Thrift compact decoder, the encodings on hand-made known answers (many
// from parquet-format's Encodings.md), a hand-built file (required/optional columns, dictionary,
// SNAPPY, INT96), a corruption fuzz corpus, and — when TRIBUTARY_PARQUET_TEST_DIR points at the
// output of tests/integration/parquet/make_files.mjs — every value of files written by DuckDB.
#include <gtest/gtest.h>
#include <snappy-c.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "formats/parquet/encodings.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/thrift_compact.h"
#include "vector/vector.h"

using namespace tributary;
using namespace tributary::parquet;

namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> list) {
  std::vector<uint8_t> out;
  for (int b : list) out.push_back(static_cast<uint8_t>(b));
  return out;
}

// ---- test-side writers ------------------------------------------------------------------------

struct CompactWriter {
  std::string out;
  std::vector<int16_t> last_ids{0};

  void varint(uint64_t v) {
    while (v >= 0x80) {
      out += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out += static_cast<char>(v);
  }
  void zigzag(int64_t v) { varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void field(int16_t id, uint8_t type) {
    int delta = id - last_ids.back();
    if (delta > 0 && delta <= 15) {
      out += static_cast<char>((delta << 4) | type);
    } else {
      out += static_cast<char>(type);
      zigzag(id);
    }
    last_ids.back() = id;
  }
  void i32(int16_t id, int32_t v) { field(id, ctype::I32), zigzag(v); }
  void i64(int16_t id, int64_t v) { field(id, ctype::I64), zigzag(v); }
  void binary(int16_t id, const std::string& s) { field(id, ctype::BINARY), varint(s.size()), out += s; }
  void boolean(int16_t id, bool b) { field(id, b ? ctype::BOOL_TRUE : ctype::BOOL_FALSE); }
  void begin_struct(int16_t id) { field(id, ctype::STRUCT), last_ids.push_back(0); }
  void end_struct() { out += '\0', last_ids.pop_back(); }
  void list(int16_t id, uint8_t element_type, size_t size) {
    field(id, ctype::LIST);
    if (size < 15) {
      out += static_cast<char>((size << 4) | element_type);
    } else {
      out += static_cast<char>(0xf0 | element_type);
      varint(size);
    }
  }
  void begin_element() { last_ids.push_back(0); }  // a struct inside a list
};

// Bit-packs values (LSB first) in groups of 8, as the hybrid's bit-packed runs store them.
std::string bit_pack(const std::vector<uint32_t>& values, int bit_width) {
  size_t padded = (values.size() + 7) / 8 * 8;
  std::string out(padded * bit_width / 8, '\0');
  for (size_t i = 0; i < values.size(); i++) {
    for (int b = 0; b < bit_width; b++) {
      if ((values[i] >> b) & 1) {
        size_t bit = i * bit_width + b;
        out[bit / 8] = static_cast<char>(out[bit / 8] | (1 << (bit % 8)));
      }
    }
  }
  return out;
}

std::string hybrid_bit_packed(const std::vector<uint32_t>& values, int bit_width) {
  CompactWriter w;
  w.varint(((values.size() + 7) / 8) << 1 | 1);
  return w.out + bit_pack(values, bit_width);
}

std::string le32(uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); }

class MemoryFile : public RandomAccessFile {
 public:
  explicit MemoryFile(std::string data, std::string name = "memory.parquet")
      : data_(std::move(data)), name_(std::move(name)) {}
  uint64_t size() override { return data_.size(); }
  std::string read(uint64_t offset, uint64_t length) override {
    if (offset > data_.size() || length > data_.size() - offset) {
      throw Error(ErrorCode::SOURCE_ERROR, name_ + ": short read at offset " + std::to_string(offset));
    }
    return data_.substr(offset, length);
  }
  std::string name() const override { return name_; }

 private:
  std::string data_;
  std::string name_;
};

std::string snappy_compress_string(const std::string& in) {
  size_t length = snappy_max_compressed_length(in.size());
  std::string out(length, '\0');
  EXPECT_EQ(snappy_compress(in.data(), in.size(), out.data(), &length), SNAPPY_OK);
  out.resize(length);
  return out;
}

std::string page_header_v1(int32_t type, const std::string& body_uncompressed, const std::string& body, int32_t num_values,
                           int32_t encoding) {
  CompactWriter w;
  w.i32(1, type);
  w.i32(2, static_cast<int32_t>(body_uncompressed.size()));
  w.i32(3, static_cast<int32_t>(body.size()));
  if (type == page_type::DICTIONARY_PAGE) {
    w.begin_struct(7);
    w.i32(1, num_values);
    w.i32(2, encoding);
    w.end_struct();
  } else {
    w.begin_struct(5);
    w.i32(1, num_values);
    w.i32(2, encoding);
    w.i32(3, encoding::RLE);
    w.i32(4, encoding::RLE);
    w.end_struct();
  }
  w.out += '\0';
  return w.out;
}

std::string page_header_v2(int32_t num_values, int32_t num_nulls, int32_t encoding, size_t def_length,
                           size_t uncompressed, size_t compressed, bool is_compressed) {
  CompactWriter w;
  w.i32(1, page_type::DATA_PAGE_V2);
  w.i32(2, static_cast<int32_t>(uncompressed));
  w.i32(3, static_cast<int32_t>(compressed));
  w.begin_struct(8);
  w.i32(1, num_values);
  w.i32(2, num_nulls);
  w.i32(3, num_values);
  w.i32(4, encoding);
  w.i32(5, static_cast<int32_t>(def_length));
  w.i32(6, 0);
  if (!is_compressed) w.boolean(7, false);
  w.end_struct();
  w.out += '\0';
  return w.out;
}

struct BuiltFile {
  std::string data;
  std::vector<size_t> page_header_offsets;
  size_t footer_offset = 0;
};

// A file of two row groups x `rows` rows and three columns: id INT64 REQUIRED (PLAIN,
// uncompressed), name BYTE_ARRAY UTF8 OPTIONAL (dictionary, SNAPPY; every 3rd row NULL),
// ts INT96 REQUIRED (PLAIN). The footer carries an unknown field the reader must skip.
BuiltFile build_test_file(int rows) {
  BuiltFile f;
  f.data = "PAR1";
  const std::vector<std::string> dictionary = {"alpha", "", "gamma \xE2\x9C\x93"};
  struct Chunk {
    int64_t offset, dict_offset, size, values;
  };
  std::vector<std::vector<Chunk>> groups;
  for (int g = 0; g < 2; g++) {
    std::vector<Chunk> chunks;
    // id
    {
      std::string body;
      for (int i = 0; i < rows; i++) {
        int64_t v = (g * 1000 + i) * (i % 2 ? -1 : 1) * 1000003LL;
        body.append(reinterpret_cast<const char*>(&v), 8);
      }
      // Two pages: a v1 page with the first half, an uncompressed v2 page with the rest.
      int64_t start = f.data.size();
      int first = rows / 2;
      std::string first_body = body.substr(0, first * 8), second_body = body.substr(first * 8);
      f.page_header_offsets.push_back(f.data.size());
      f.data += page_header_v1(page_type::DATA_PAGE, first_body, first_body, first, encoding::PLAIN) + first_body;
      f.page_header_offsets.push_back(f.data.size());
      f.data += page_header_v2(rows - first, 0, encoding::PLAIN, 0, second_body.size(), second_body.size(), false) +
                second_body;
      chunks.push_back({start, -1, static_cast<int64_t>(f.data.size()) - start, rows});
    }
    // name
    {
      std::string dict_body;
      for (const auto& s : dictionary) dict_body += le32(s.size()) + s;
      std::string dict_compressed = snappy_compress_string(dict_body);
      int64_t dict_start = f.data.size();
      f.page_header_offsets.push_back(f.data.size());
      f.data += page_header_v1(page_type::DICTIONARY_PAGE, dict_body, dict_compressed, 3, encoding::PLAIN) +
                dict_compressed;
      std::vector<uint32_t> levels, indices;
      for (int i = 0; i < rows; i++) {
        bool present = i % 3 != 0;
        levels.push_back(present);
        if (present) indices.push_back((i + g) % 3);
      }
      std::string level_bytes = hybrid_bit_packed(levels, 1);
      std::string values = std::string(1, '\x02') + hybrid_bit_packed(indices, 2);
      int64_t start = f.data.size();
      f.page_header_offsets.push_back(f.data.size());
      if (g == 0) {  // data page v1: levels and values compressed together
        std::string body = le32(level_bytes.size()) + level_bytes + values;
        std::string compressed = snappy_compress_string(body);
        f.data += page_header_v1(page_type::DATA_PAGE, body, compressed, rows, encoding::RLE_DICTIONARY) + compressed;
      } else {  // data page v2: levels uncompressed, then the compressed values
        std::string compressed = snappy_compress_string(values);
        f.data += page_header_v2(rows, static_cast<int32_t>(rows - indices.size()), encoding::RLE_DICTIONARY,
                                 level_bytes.size(), level_bytes.size() + values.size(),
                                 level_bytes.size() + compressed.size(), true) +
                  level_bytes + compressed;
      }
      chunks.push_back({start, dict_start, static_cast<int64_t>(f.data.size()) - dict_start, rows});
    }
    // ts (INT96: nanoseconds of the day, Julian day)
    {
      std::string body;
      for (int i = 0; i < rows; i++) {
        uint64_t nanos = 3600ULL * 1000000000ULL + i * 1001ULL;
        uint32_t julian = 2440588 + 19000 + i + g;
        body.append(reinterpret_cast<const char*>(&nanos), 8);
        body.append(reinterpret_cast<const char*>(&julian), 4);
      }
      int64_t start = f.data.size();
      f.page_header_offsets.push_back(f.data.size());
      f.data += page_header_v1(page_type::DATA_PAGE, body, body, rows, encoding::PLAIN) + body;
      chunks.push_back({start, -1, static_cast<int64_t>(f.data.size()) - start, rows});
    }
    groups.push_back(chunks);
  }
  CompactWriter w;
  w.i32(1, 1);
  w.list(2, ctype::STRUCT, 4);
  auto element = [&](std::optional<int> type, int repetition, const std::string& name, int children,
                     std::optional<int> converted) {
    w.begin_element();
    if (type) w.i32(1, *type);
    w.i32(3, repetition);
    w.binary(4, name);
    if (children) w.i32(5, children);
    if (converted) w.i32(6, *converted);
    w.end_struct();
  };
  element(std::nullopt, repetition::REQUIRED, "schema", 3, std::nullopt);
  element(static_cast<int>(PhysicalKind::INT64), repetition::REQUIRED, "id", 0, std::nullopt);
  element(static_cast<int>(PhysicalKind::BYTE_ARRAY), repetition::OPTIONAL, "name", 0, converted::UTF8);
  element(static_cast<int>(PhysicalKind::INT96), repetition::REQUIRED, "ts", 0, std::nullopt);
  w.i64(3, 2 * rows);
  w.list(4, ctype::STRUCT, 2);
  const char* names[] = {"id", "name", "ts"};
  const PhysicalKind types[] = {PhysicalKind::INT64, PhysicalKind::BYTE_ARRAY, PhysicalKind::INT96};
  for (int g = 0; g < 2; g++) {
    w.begin_element();
    w.list(1, ctype::STRUCT, 3);
    for (int c = 0; c < 3; c++) {
      const Chunk& chunk = groups[g][c];
      w.begin_element();
      w.i64(2, chunk.offset);
      w.begin_struct(3);
      w.i32(1, static_cast<int>(types[c]));
      w.list(2, ctype::I32, 1);
      w.zigzag(c == 1 ? encoding::RLE_DICTIONARY : encoding::PLAIN);
      w.list(3, ctype::BINARY, 1);
      w.varint(strlen(names[c]));
      w.out += names[c];
      w.i32(4, c == 1 ? codec::SNAPPY : codec::UNCOMPRESSED);
      w.i64(5, chunk.values);
      w.i64(6, chunk.size);
      w.i64(7, chunk.size);
      w.i64(9, chunk.offset);
      if (chunk.dict_offset >= 0) w.i64(11, chunk.dict_offset);
      if (c == 0) {
        w.begin_struct(12);
        w.i64(3, 0);
        int64_t lo = -(g * 1000 + rows - 1) * 1000003LL, hi = (g * 1000 + rows - 2) * 1000003LL;
        w.binary(5, std::string(reinterpret_cast<const char*>(&hi), 8));
        w.binary(6, std::string(reinterpret_cast<const char*>(&lo), 8));
        w.end_struct();
      }
      w.end_struct();
      w.end_struct();
    }
    w.i64(2, 0);
    w.i64(3, rows);
    w.end_struct();
  }
  w.binary(6, "tributary test writer");
  // Unknown field 20: a struct holding a double, a map, a list of lists and a bool list.
  w.begin_struct(20);
  w.field(1, ctype::DOUBLE);
  w.out += std::string(8, '\x01');
  w.field(2, ctype::MAP);
  w.varint(2);
  w.out += static_cast<char>((ctype::BINARY << 4) | ctype::I64);
  for (int i = 0; i < 2; i++) w.varint(1), w.out += 'k', w.zigzag(i);
  w.list(3, ctype::LIST, 2);
  for (int i = 0; i < 2; i++) w.out += static_cast<char>((1 << 4) | ctype::I32), w.zigzag(7);
  w.list(4, ctype::BOOL_TRUE, 3);
  w.out += "\x01\x02\x01";
  w.end_struct();
  w.out += '\0';
  f.footer_offset = f.data.size();
  f.data += w.out + le32(w.out.size()) + "PAR1";
  return f;
}

// Renders one value the way make_files.mjs renders DuckDB's (see its header).
std::string render(const Vector& v, size_t row) {
  if (v.is_null(row)) return "\\N";
  const Type& t = v.type();
  switch (t.id) {
    case TypeId::BOOLEAN: return v.data<uint8_t>()[row] ? "true" : "false";
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: return std::to_string(v.data<int64_t>()[row]);
    case TypeId::REAL:
    case TypeId::DOUBLE: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", v.data<double>()[row]);
      return buf;
    }
    case TypeId::DECIMAL: return decimal::to_string(v.data<int128>()[row], t.scale);
    case TypeId::DATE: return datetime::format_date(v.data<int64_t>()[row]);
    case TypeId::TIMESTAMP: return datetime::format_timestamp(v.data<int64_t>()[row], 6);
    case TypeId::VARBINARY: {
      std::string out;
      static const char* kHex = "0123456789ABCDEF";
      for (unsigned char c : v.data<std::string_view>()[row]) out += kHex[c >> 4], out += kHex[c & 15];
      return out;
    }
    default: return std::string(v.data<std::string_view>()[row]);
  }
}

// Reads every supported column of every row group; returns rows of rendered values.
std::vector<std::vector<std::string>> read_everything(const std::shared_ptr<ParquetFile>& file) {
  std::vector<int> columns;
  for (size_t i = 0; i < file->columns().size(); i++) {
    if (file->columns()[i].unsupported.empty()) columns.push_back(static_cast<int>(i));
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t g = 0; g < file->row_groups().size(); g++) {
    auto reader = file->read_row_group(static_cast<int>(g), columns);
    Chunk chunk;
    while (reader->next(chunk)) {
      for (size_t r = 0; r < chunk.size; r++) {
        std::vector<std::string> row;
        for (auto& column : chunk.columns) row.push_back(render(column, r));
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

// Opens and reads a possibly corrupt file: returns normally or throws tributary::Error.
void read_tolerating_errors(const std::string& data, bool* threw) {
  *threw = false;
  try {
    auto file = ParquetFile::open(std::make_shared<MemoryFile>(data));
    read_everything(file);
  } catch (const Error& e) {
    *threw = true;
    EXPECT_FALSE(e.message().empty());
  }
}

}  // namespace

// ---- Thrift compact ---------------------------------------------------------------------------

TEST(ParquetThrift, VarintsAndZigzag) {
  auto data = bytes({0x96, 0x01, 0x03, 0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  CompactReader r(data.data(), data.size());
  EXPECT_EQ(r.read_varint(), 150u);
  EXPECT_EQ(r.read_zigzag(), -2);
  EXPECT_EQ(r.read_zigzag(), 2);
  EXPECT_EQ(r.read_varint(), UINT64_MAX);
  EXPECT_THROW(r.read_varint(), Error);  // nothing left
  auto overlong = bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  CompactReader r2(overlong.data(), overlong.size());
  EXPECT_THROW(r2.read_varint(), Error);
}

TEST(ParquetThrift, StructFieldsListsAndSkipping) {
  CompactWriter w;
  w.i32(1, -5);
  w.binary(2, "ab");
  w.boolean(5, true);
  w.begin_struct(6);  // nested struct, skipped
  w.i64(1, 1LL << 40);
  w.list(2, ctype::BINARY, 2);
  w.varint(1), w.out += 'x', w.varint(0);
  w.end_struct();
  w.list(40, ctype::I32, 3);  // long-form field id, list of i32
  w.zigzag(1), w.zigzag(-1), w.zigzag(300);
  w.field(41, ctype::DOUBLE);
  w.out += std::string(8, '\0');
  w.out += '\0';
  CompactReader r(reinterpret_cast<const uint8_t*>(w.out.data()), w.out.size(), 1000);
  int32_t a = 0;
  std::string b;
  bool c = false;
  std::vector<int32_t> list;
  std::vector<int> ids;
  r.read_struct([&](int16_t id, uint8_t type) {
    ids.push_back(id);
    if (id == 1) a = r.read_i32(type);
    else if (id == 2) b = r.read_string(type);
    else if (id == 5) c = r.read_bool(type);
    else if (id == 40) {
      auto h = r.read_list_header(type);
      for (uint32_t i = 0; i < h.size; i++) list.push_back(r.read_list_i32(h.element_type));
    } else r.skip(type);
  });
  EXPECT_EQ(a, -5);
  EXPECT_EQ(b, "ab");
  EXPECT_TRUE(c);
  EXPECT_EQ(list, (std::vector<int32_t>{1, -1, 300}));
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 5, 6, 40, 41}));
  EXPECT_EQ(r.position(), w.out.size());
  // A wrong wire type for a known field is an error, as is a truncated struct (with its offset).
  CompactReader wrong(reinterpret_cast<const uint8_t*>(w.out.data()), w.out.size());
  EXPECT_THROW(wrong.read_struct([&](int16_t, uint8_t type) { wrong.read_string(type); }), Error);
  for (size_t cut = 0; cut < w.out.size(); cut++) {
    CompactReader t(reinterpret_cast<const uint8_t*>(w.out.data()), cut, 1000);
    try {
      t.read_struct([&](int16_t, uint8_t type) { t.skip(type); });
      ADD_FAILURE() << "cut at " << cut << " did not throw";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::SOURCE_ERROR);
      EXPECT_NE(e.message().find("at offset 1"), std::string::npos) << e.message();
    }
  }
}

TEST(ParquetThrift, DeepNestingAndHugeListsAreRejected) {
  std::string deep;
  for (int i = 0; i < 200; i++) deep += static_cast<char>((1 << 4) | ctype::STRUCT);
  CompactReader r(reinterpret_cast<const uint8_t*>(deep.data()), deep.size());
  EXPECT_THROW(r.skip(ctype::STRUCT), Error);
  auto huge = bytes({0xf5, 0xff, 0xff, 0xff, 0xff, 0x0f});  // list<i32> of 2^32-1 elements
  CompactReader r2(huge.data(), huge.size());
  EXPECT_THROW(r2.read_list_header(ctype::LIST), Error);
}

TEST(ParquetThrift, PageHeaderAndMetadata) {
  std::string body(10, 'x');
  std::string header = page_header_v1(page_type::DATA_PAGE, body, body, 7, encoding::PLAIN);
  size_t size = 0;
  PageHeader h = decode_page_header(reinterpret_cast<const uint8_t*>(header.data()), header.size() + 3, 0, &size);
  EXPECT_EQ(size, header.size());
  EXPECT_EQ(h.type, page_type::DATA_PAGE);
  EXPECT_EQ(h.compressed_page_size, 10);
  ASSERT_TRUE(h.data_page_header);
  EXPECT_EQ(h.data_page_header->num_values, 7);
  BuiltFile f = build_test_file(10);
  size_t footer_length = f.data.size() - 8 - f.footer_offset;
  FileMetaData md = decode_file_metadata(reinterpret_cast<const uint8_t*>(f.data.data()) + f.footer_offset,
                                         footer_length, f.footer_offset);
  EXPECT_EQ(md.num_rows, 20);
  EXPECT_EQ(md.schema.size(), 4u);
  EXPECT_EQ(md.row_groups.size(), 2u);
  EXPECT_EQ(md.created_by, "tributary test writer");
  EXPECT_EQ(md.row_groups[1].columns[1].meta_data->codec, codec::SNAPPY);
  EXPECT_EQ(md.row_groups[0].columns[1].meta_data->path_in_schema, std::vector<std::string>{"name"});
}

// ---- encodings --------------------------------------------------------------------------------

TEST(ParquetEncodings, RleBitPackedSpecExample) {
  // Encodings.md: 0..7 with bit width 3 bit-packed as 10001000 11000110 11111010.
  auto data = bytes({0x03, 0x88, 0xc6, 0xfa, /* RLE run: 100 x 5 */ 0xc8, 0x01, 0x05});
  RleBitPackedDecoder d(data.data(), data.size(), 3, 0);
  std::vector<uint32_t> out(108);
  d.decode(out.data(), 3);
  d.decode(out.data() + 3, 105);  // across runs and calls
  for (uint32_t i = 0; i < 8; i++) EXPECT_EQ(out[i], i);
  for (size_t i = 8; i < 108; i++) EXPECT_EQ(out[i], 5u);
  EXPECT_THROW(d.decode(out.data(), 1), Error);
}

TEST(ParquetEncodings, RleBitPackedAllWidthsRoundTrip) {
  std::mt19937 rng(42);
  for (int width = 0; width <= 32; width++) {
    std::vector<uint32_t> values(1003);
    for (auto& v : values) v = width == 0 ? 0 : static_cast<uint32_t>(rng() & (width == 32 ? ~0u : (1u << width) - 1));
    // A bit-packed run, an RLE run, another bit-packed run.
    // (Only the last bit-packed run may be padded, so the first one holds a multiple of 8.)
    std::string data = hybrid_bit_packed(std::vector<uint32_t>(values.begin(), values.begin() + 496), width);
    CompactWriter w;
    w.varint(3 << 1);
    data += w.out;
    for (int b = 0; b < (width + 7) / 8; b++) data += static_cast<char>((values[496] >> (8 * b)) & 0xff);
    for (int i = 497; i < 499; i++) values[i] = values[496];
    data += hybrid_bit_packed(std::vector<uint32_t>(values.begin() + 499, values.end()), width);
    RleBitPackedDecoder d(reinterpret_cast<const uint8_t*>(data.data()), data.size(), width, 0);
    std::vector<uint32_t> out(values.size());
    size_t done = 0;
    for (size_t step : {1, 7, 64, 300, 631}) d.decode(out.data() + done, step), done += step;
    ASSERT_EQ(done, values.size());
    EXPECT_EQ(out, values) << "bit width " << width;
  }
}

TEST(ParquetEncodings, RleRejectsCorruptRuns) {
  auto oversized = bytes({0x02, 0x09});  // RLE value 9 does not fit 3 bits
  RleBitPackedDecoder d(oversized.data(), oversized.size(), 3, 77);
  uint32_t out[1];
  try {
    d.decode(out, 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("at offset 77"), std::string::npos);
  }
  auto truncated = bytes({0x05, 0x88});  // two groups announced, one byte present
  RleBitPackedDecoder t(truncated.data(), truncated.size(), 3, 0);
  uint32_t many[16];
  EXPECT_THROW(t.decode(many, 16), Error);
}

TEST(ParquetEncodings, DeltaBinaryPackedSpecExamples) {
  size_t consumed = 0;
  // Example 1: 1, 2, 3, 4, 5 — block size 8, 1 miniblock, min delta 1, bit width 0.
  auto ex1 = bytes({0x08, 0x01, 0x05, 0x02, 0x02, 0x00});
  EXPECT_EQ(decode_delta_binary_packed(ex1.data(), ex1.size(), 100, 0, &consumed),
            (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(consumed, ex1.size());
  // Example 2: 7, 5, 3, 1, 2, 3, 4, 5 — min delta -2, bit width 2, relative deltas 0,0,0,3,3,3,3.
  auto ex2 = bytes({0x08, 0x01, 0x08, 0x0e, 0x03, 0x02, 0xc0, 0x3f});
  EXPECT_EQ(decode_delta_binary_packed(ex2.data(), ex2.size(), 100, 0, &consumed),
            (std::vector<int64_t>{7, 5, 3, 1, 2, 3, 4, 5}));
  // More values than the caller allows, and truncated miniblocks, are errors.
  EXPECT_THROW(decode_delta_binary_packed(ex2.data(), ex2.size(), 4, 0, &consumed), Error);
  for (size_t cut = 0; cut + 1 < ex2.size(); cut++) {
    EXPECT_THROW(decode_delta_binary_packed(ex2.data(), cut, 100, 0, &consumed), Error) << cut;
  }
}

TEST(ParquetEncodings, DeltaBinaryPackedWideValuesWrap) {
  // INT64 extremes: deltas overflow and must wrap; 64-bit miniblock width.
  std::vector<int64_t> values = {INT64_MAX, INT64_MIN, 0, -1, INT64_MAX};
  uint64_t min_delta = UINT64_MAX;
  std::vector<uint64_t> deltas;
  for (size_t i = 1; i < values.size(); i++) {
    deltas.push_back(static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]));
  }
  // Frame of reference as a signed minimum.
  int64_t min_signed = INT64_MAX;
  for (auto d : deltas) min_signed = std::min(min_signed, static_cast<int64_t>(d));
  min_delta = static_cast<uint64_t>(min_signed);
  CompactWriter w;
  w.varint(128), w.varint(4), w.varint(values.size()), w.zigzag(values[0]);
  w.zigzag(min_signed);
  w.out += std::string("\x40\x00\x00\x00", 4);
  std::string packed(32 * 8, '\0');
  for (size_t i = 0; i < deltas.size(); i++) {
    uint64_t rel = deltas[i] - min_delta;
    std::memcpy(&packed[i * 8], &rel, 8);
  }
  w.out += packed;
  size_t consumed = 0;
  auto out = decode_delta_binary_packed(reinterpret_cast<const uint8_t*>(w.out.data()), w.out.size(), 10, 0, &consumed);
  EXPECT_EQ(out, values);
  EXPECT_EQ(consumed, w.out.size());
}

TEST(ParquetEncodings, DeltaLengthByteArraySpecExample) {
  // "Hello", "World", "Foobar", "ABCDEF": lengths 5,5,6,6 (block 128 / 4 miniblocks), then the bytes.
  auto header = bytes({0x80, 0x01, 0x04, 0x04, 0x0a, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00});
  std::string data(header.begin(), header.end());
  data += "HelloWorldFoobarABCDEF";
  std::string_view out[4];
  size_t consumed = 0;
  decode_delta_length_byte_array(reinterpret_cast<const uint8_t*>(data.data()), data.size(), 4, 0, out, &consumed);
  EXPECT_EQ(out[0], "Hello");
  EXPECT_EQ(out[1], "World");
  EXPECT_EQ(out[2], "Foobar");
  EXPECT_EQ(out[3], "ABCDEF");
  EXPECT_EQ(consumed, data.size());
  EXPECT_THROW(decode_delta_length_byte_array(reinterpret_cast<const uint8_t*>(data.data()), data.size() - 1, 4, 0,
                                              out, &consumed),
               Error);
}

TEST(ParquetEncodings, DeltaByteArraySpecExample) {
  // "axis", "axle", "babble", "babyhood": prefixes 0,2,0,3; suffixes 4,2,6,5 + "axislebabbleyhood".
  auto prefixes = bytes({0x08, 0x01, 0x04, 0x00, 0x03, 0x03, 0x44, 0x01, 0x00});
  auto suffixes = bytes({0x08, 0x01, 0x04, 0x08, 0x03, 0x03, 0x70, 0x00, 0x00});
  std::string data(prefixes.begin(), prefixes.end());
  data.append(suffixes.begin(), suffixes.end());
  data += "axislebabbleyhood";
  StringHeap heap;
  std::string_view out[4];
  decode_delta_byte_array(reinterpret_cast<const uint8_t*>(data.data()), data.size(), 4, 0, heap, out);
  EXPECT_EQ(out[0], "axis");
  EXPECT_EQ(out[1], "axle");
  EXPECT_EQ(out[2], "babble");
  EXPECT_EQ(out[3], "babyhood");
  // A prefix longer than the previous value is corrupt.
  data[6] = 0x47;  // first delta becomes 5: prefix 5 of "axis"
  EXPECT_THROW(decode_delta_byte_array(reinterpret_cast<const uint8_t*>(data.data()), data.size(), 4, 0, heap, out),
               Error);
}

TEST(ParquetEncodings, ByteStreamSplit) {
  std::vector<float> floats = {1.0f, 2.5f, -3.0f, 1e-30f, 7.0f};
  std::vector<uint8_t> split(floats.size() * 4);
  for (size_t i = 0; i < floats.size(); i++) {
    uint8_t b[4];
    std::memcpy(b, &floats[i], 4);
    for (int k = 0; k < 4; k++) split[k * floats.size() + i] = b[k];
  }
  std::vector<float> out(floats.size());
  decode_byte_stream_split(split.data(), split.size(), floats.size(), 4, 0, reinterpret_cast<uint8_t*>(out.data()));
  EXPECT_EQ(out, floats);
  // Three-byte FIXED_LEN_BYTE_ARRAY values use the generic path.
  auto fixed = bytes({'a', 'd', 'b', 'e', 'c', 'f'});
  uint8_t joined[6];
  decode_byte_stream_split(fixed.data(), fixed.size(), 2, 3, 0, joined);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(joined), 6), "abcdef");
  EXPECT_THROW(decode_byte_stream_split(split.data(), split.size() - 1, floats.size(), 4, 0,
                                        reinterpret_cast<uint8_t*>(out.data())),
               Error);
}

// ---- a hand-built file ------------------------------------------------------------------------

TEST(ParquetFileTest, ReadsHandBuiltFile) {
  const int rows = 3000;  // two chunks per row group
  BuiltFile f = build_test_file(rows);
  auto file = ParquetFile::open(std::make_shared<MemoryFile>(f.data));
  ASSERT_EQ(file->columns().size(), 3u);
  EXPECT_EQ(file->columns()[0].type, Type::bigint());
  EXPECT_EQ(file->columns()[1].type, Type::varchar());
  EXPECT_EQ(file->columns()[1].max_definition_level, 1);
  EXPECT_EQ(file->columns()[2].type, Type::timestamp(6));
  EXPECT_EQ(file->num_rows(), 2 * rows);
  ASSERT_EQ(file->row_groups().size(), 2u);
  const auto& stats = file->row_groups()[1].stats[0];
  ASSERT_TRUE(stats.min && stats.max);
  EXPECT_EQ(stats.min->i, -(1000 + rows - 1) * 1000003LL);
  EXPECT_EQ(stats.null_count, 0);
  EXPECT_FALSE(file->row_groups()[0].stats[1].min);
  const std::vector<std::string> dictionary = {"alpha", "", "gamma \xE2\x9C\x93"};
  for (int g = 0; g < 2; g++) {
    auto reader = file->read_row_group(g, {2, 1, 0});
    Chunk chunk;
    int row = 0;
    while (reader->next(chunk)) {
      ASSERT_EQ(chunk.column_count(), 3u);
      for (size_t r = 0; r < chunk.size; r++, row++) {
        int64_t id = (g * 1000 + row) * (row % 2 ? -1 : 1) * 1000003LL;
        EXPECT_EQ(chunk.columns[2].data<int64_t>()[r], id);
        EXPECT_FALSE(chunk.columns[2].is_null(r));
        if (row % 3 == 0) {
          EXPECT_TRUE(chunk.columns[1].is_null(r));
        } else {
          ASSERT_FALSE(chunk.columns[1].is_null(r));
          EXPECT_EQ(chunk.columns[1].data<std::string_view>()[r], dictionary[(row + g) % 3]);
        }
        int64_t expected_ts = (19000LL + row + g) * datetime::kMicrosPerDay + 3600LL * 1000000 + (row * 1001LL) / 1000;
        EXPECT_EQ(chunk.columns[0].data<int64_t>()[r], expected_ts);
      }
    }
    EXPECT_EQ(row, rows);
    EXPECT_EQ(chunk.size, 0u);
    EXPECT_GT(reader->bytes_read(), 0u);
  }
  EXPECT_THROW(file->read_row_group(2, {0}), Error);
  EXPECT_THROW(file->read_row_group(0, {3}), Error);
}

TEST(ParquetFileTest, ErrorsNameTheFileAndOffset) {
  BuiltFile f = build_test_file(10);
  auto expect_error = [](const std::string& data, const std::string& fragment) {
    try {
      auto file = ParquetFile::open(std::make_shared<MemoryFile>(data, "bad.parquet"));
      read_everything(file);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::SOURCE_ERROR);
      EXPECT_EQ(e.message().rfind("bad.parquet: ", 0), 0u) << e.message();
      EXPECT_NE(e.message().find(fragment), std::string::npos) << e.message();
    }
  };
  expect_error("hello world, not parquet", "missing PAR1 magic");
  std::string long_footer = f.data;
  uint32_t huge = 123456;
  std::memcpy(&long_footer[long_footer.size() - 8], &huge, 4);
  expect_error(long_footer, "footer length 123456 exceeds file size");
  // A dictionary index past the dictionary's end: rewrite the first name page's indices.
  std::string bad_index = f.data;
  size_t header_offset = f.page_header_offsets[3];  // id v1, id v2, name dictionary, name data
  size_t header_size = 0;
  PageHeader h = decode_page_header(reinterpret_cast<const uint8_t*>(bad_index.data()) + header_offset,
                                    bad_index.size() - header_offset, header_offset, &header_size);
  size_t body_offset = header_offset + header_size;
  std::string body(h.uncompressed_page_size, '\0');
  size_t length = body.size();
  ASSERT_EQ(snappy_uncompress(bad_index.data() + body_offset, h.compressed_page_size, body.data(), &length), SNAPPY_OK);
  body.back() = static_cast<char>(0xff);  // the last packed index group now holds 3s
  std::string recompressed = snappy_compress_string(body);
  ASSERT_EQ(recompressed.size(), static_cast<size_t>(h.compressed_page_size));
  bad_index.replace(body_offset, recompressed.size(), recompressed);
  expect_error(bad_index, "dictionary index 3 out of range (dictionary has 3 values)");
  // Snappy garbage.
  std::string bad_snappy = f.data;
  for (int i = 0; i < 4; i++) bad_snappy[body_offset + i] = static_cast<char>(0xff);
  expect_error(bad_snappy, "snappy data");
}

TEST(ParquetFileTest, CorruptionFuzzNeverCrashes) {
  BuiltFile f = build_test_file(40);
  // Every truncation must throw.
  for (size_t cut = 0; cut < f.data.size(); cut++) {
    bool threw = false;
    read_tolerating_errors(f.data.substr(0, cut), &threw);
    EXPECT_TRUE(threw) << "truncated at " << cut;
  }
  // Every byte of the footer and of each page header, flipped in a few ways: an error or a
  // (possibly wrong) result, never a crash or another exception type.
  std::vector<size_t> positions;
  for (size_t p = f.footer_offset; p < f.data.size(); p++) positions.push_back(p);
  for (size_t header : f.page_header_offsets) {
    for (size_t p = header; p < header + 24 && p < f.data.size(); p++) positions.push_back(p);
  }
  for (size_t p : positions) {
    for (uint8_t mask : {0x01, 0x10, 0x80, 0xff}) {
      std::string data = f.data;
      data[p] = static_cast<char>(data[p] ^ mask);
      bool threw = false;
      read_tolerating_errors(data, &threw);
    }
  }
  // Random multi-byte damage anywhere.
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; i++) {
    std::string data = f.data;
    for (int k = 0; k < 3; k++) data[rng() % data.size()] = static_cast<char>(rng());
    bool threw = false;
    read_tolerating_errors(data, &threw);
  }
}

// ---- files written by DuckDB ------------------------------------------------------------------

namespace {

const char* duckdb_dir() { return std::getenv("TRIBUTARY_PARQUET_TEST_DIR"); }

std::vector<std::string> parquet_files() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(duckdb_dir())) {
    if (entry.path().extension() == ".parquet") out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> split_expected_line(const std::string& line) {
  std::vector<std::string> fields(1);
  for (size_t i = 0; i < line.size(); i++) {
    char c = line[i];
    if (c == '\t') {
      fields.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      char n = line[++i];
      fields.back() += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n == 'N' ? '\x01' : n;
      if (n == 'N') fields.back() = "\\N";
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

TEST(ParquetDuckDB, EveryValueMatchesDuckDB) {
  if (!duckdb_dir()) GTEST_SKIP() << "TRIBUTARY_PARQUET_TEST_DIR is not set";
  auto files = parquet_files();
  ASSERT_FALSE(files.empty());
  for (const auto& path : files) {
    SCOPED_TRACE(path);
    auto file = ParquetFile::open(open_local_file(path));
    for (const auto& c : file->columns()) EXPECT_TRUE(c.unsupported.empty()) << c.name << ": " << c.unsupported;
    auto rows = read_everything(file);
    std::ifstream expected(path.substr(0, path.size() - 8) + ".expected.tsv");
    ASSERT_TRUE(expected.good());
    std::string line;
    size_t row = 0, mismatches = 0;
    while (std::getline(expected, line)) {
      ASSERT_LT(row, rows.size());
      auto fields = split_expected_line(line);
      ASSERT_EQ(fields.size(), rows[row].size());
      for (size_t c = 0; c < fields.size(); c++) {
        if (fields[c] != rows[row][c] && mismatches++ < 20) {
          ADD_FAILURE() << "row " << row << " column " << file->columns()[c].name << ": expected '" << fields[c]
                        << "', read '" << rows[row][c] << "'";
        }
      }
      row++;
    }
    EXPECT_EQ(row, rows.size());
    EXPECT_EQ(static_cast<int64_t>(row), file->num_rows());
    EXPECT_EQ(mismatches, 0u);
    if (path.find("alltypes") != std::string::npos) EXPECT_GE(file->row_groups().size(), 3u);
  }
}

TEST(ParquetDuckDB, TypesAndStatistics) {
  if (!duckdb_dir()) GTEST_SKIP() << "TRIBUTARY_PARQUET_TEST_DIR is not set";
  auto file = ParquetFile::open(open_local_file(std::string(duckdb_dir()) + "/alltypes_snappy_v1.parquet"));
  std::map<std::string, ColumnInfo> by_name;
  for (const auto& c : file->columns()) by_name[c.name] = c;
  EXPECT_EQ(by_name["ti"].type, Type::tinyint());
  EXPECT_EQ(by_name["si"].type, Type::smallint());
  EXPECT_EQ(by_name["ii"].type, Type::integer());
  EXPECT_EQ(by_name["f"].type, Type::real());
  EXPECT_EQ(by_name["dec9"].type, Type::decimal(9, 2));
  EXPECT_EQ(by_name["dec18"].type, Type::decimal(18, 4));
  EXPECT_EQ(by_name["dec38"].type, Type::decimal(38, 10));
  EXPECT_EQ(by_name["dt"].type, Type::date());
  EXPECT_EQ(by_name["ts"].type, Type::timestamp(6));
  EXPECT_EQ(by_name["ts_ms"].type, Type::timestamp(3));
  EXPECT_EQ(by_name["bl"].type, Type::varbinary());
  EXPECT_TRUE(by_name["li"].is_list);
  EXPECT_EQ(by_name["li"].element_type, Type::integer());
  EXPECT_EQ(by_name["ls"].type, Type::varchar());
  // Statistics agree with the data they summarise.
  auto rows = read_everything(file);
  size_t first = 0;
  for (const auto& group : file->row_groups()) {
    const auto& stats = group.stats[4];  // bi
    ASSERT_TRUE(stats.min && stats.max && stats.null_count);
    int64_t lo = INT64_MAX, hi = INT64_MIN, nulls = 0;
    for (int64_t r = 0; r < group.num_rows; r++) {
      const std::string& v = rows[first + r][4];
      if (v == "\\N") {
        nulls++;
        continue;
      }
      lo = std::min<int64_t>(lo, std::stoll(v));
      hi = std::max<int64_t>(hi, std::stoll(v));
    }
    EXPECT_EQ(stats.min->i, lo);
    EXPECT_EQ(stats.max->i, hi);
    EXPECT_EQ(*stats.null_count, nulls);
    first += group.num_rows;
  }
}

TEST(ParquetDuckDB, CorruptionFuzzNeverCrashes) {
  if (!duckdb_dir()) GTEST_SKIP() << "TRIBUTARY_PARQUET_TEST_DIR is not set";
  for (const char* name : {"alltypes_snappy_v1.parquet", "alltypes_zstd_v2.parquet", "alltypes_gzip_v1.parquet"}) {
    SCOPED_TRACE(name);
    std::ifstream in(std::string(duckdb_dir()) + "/" + name, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(data.size(), 1000u);
    for (size_t cut = 0; cut < data.size(); cut += 1 + data.size() / 150) {
      bool threw = false;
      read_tolerating_errors(data.substr(0, cut), &threw);
      EXPECT_TRUE(threw) << "truncated at " << cut;
    }
    uint32_t footer_length;
    std::memcpy(&footer_length, data.data() + data.size() - 8, 4);
    size_t footer = data.size() - 8 - footer_length;
    std::mt19937 rng(11);
    for (size_t p = footer; p < data.size(); p += 1 + footer_length / 400) {
      std::string damaged = data;
      damaged[p] = static_cast<char>(damaged[p] ^ (1 << (rng() % 8)));
      bool threw = false;
      read_tolerating_errors(damaged, &threw);
    }
    for (int i = 0; i < 120; i++) {
      std::string damaged = data;
      for (int k = 0; k < 4; k++) damaged[rng() % footer] = static_cast<char>(rng());
      bool threw = false;
      read_tolerating_errors(damaged, &threw);
    }
  }
}
