// Parquet writer: files written by ParquetWriter read back with the repo's ParquetFile reader
// value by value (every type, NULLs, extremes, several row groups and pages, dictionary on and
// off and falling back mid-chunk, every codec), statistics against the true min/max, the empty
// file, argument errors, and the Thrift encoder against the decoder. When
// TRIBUTARY_PARQUET_WRITE_DIR is set, ParquetWriterDuckDB writes files plus the expected rows for
// tests/integration/parquet/writer_roundtrip.sh, which reads them with DuckDB.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <random>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "connectors/files/table_writer.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/parquet_writer.h"
#include "formats/parquet/thrift_compact_writer.h"
#include "vector/vector.h"

using namespace tributary;
using namespace tributary::parquet;

namespace {

class StringFile : public RandomAccessFile {
 public:
  explicit StringFile(std::string data) : data_(std::move(data)) {}
  uint64_t size() override { return data_.size(); }
  std::string read(uint64_t offset, uint64_t length) override {
    if (offset > data_.size() || length > data_.size() - offset) {
      throw Error(ErrorCode::SOURCE_ERROR, "written.parquet: short read at offset " + std::to_string(offset));
    }
    return data_.substr(offset, length);
  }
  std::string name() const override { return "written.parquet"; }

 private:
  std::string data_;
};

// A table held column by column as Values.
struct Table {
  std::vector<WriterColumn> columns;
  std::vector<std::vector<Value>> values;  // [column][row]
  size_t rows() const { return values.empty() ? 0 : values[0].size(); }
};

std::string write_table(const Table& table, const WriterOptions& options, size_t chunk_rows = kChunkCapacity,
                        uint64_t* rows_written = nullptr) {
  std::string out;
  ParquetWriter writer(table.columns, options, [&](std::string_view bytes) { out.append(bytes); });
  std::vector<Type> types;
  for (const auto& c : table.columns) types.push_back(c.type);
  for (size_t start = 0; start < table.rows(); start += chunk_rows) {
    size_t n = std::min(chunk_rows, table.rows() - start);
    Chunk chunk(types, n);
    for (size_t c = 0; c < types.size(); c++) {
      for (size_t r = 0; r < n; r++) chunk.columns[c].set_value(r, table.values[c][start + r]);
    }
    chunk.size = n;
    writer.write(chunk);
  }
  writer.finish();
  EXPECT_EQ(writer.bytes_written(), out.size());
  if (rows_written) *rows_written = writer.rows_written();
  return out;
}

FileMetaData footer_of(const std::string& data) {
  uint32_t length;
  std::memcpy(&length, data.data() + data.size() - 8, 4);
  size_t offset = data.size() - 8 - length;
  return decode_file_metadata(reinterpret_cast<const uint8_t*>(data.data()) + offset, length, offset);
}

// Equal values; doubles by bits, so -0.0 and NaN are checked exactly.
bool same(const Value& a, const Value& b) {
  if (a.is_null || b.is_null) return a.is_null == b.is_null;
  if (a.type.physical() == PhysicalType::F64) {
    if (std::isnan(a.d) || std::isnan(b.d)) return std::isnan(a.d) && std::isnan(b.d);
    return std::memcmp(&a.d, &b.d, sizeof(double)) == 0;
  }
  return a == b;
}

// Reads the file back and compares every value and every chunk's statistics with `table`.
void expect_round_trip(const Table& table, const std::string& data) {
  auto file = ParquetFile::open(std::make_shared<StringFile>(data));
  ASSERT_EQ(file->columns().size(), table.columns.size());
  EXPECT_EQ(file->num_rows(), static_cast<int64_t>(table.rows()));
  EXPECT_EQ(file->created_by(), "tributary version 0.1.0");
  std::vector<int> all;
  for (size_t c = 0; c < table.columns.size(); c++) {
    const ColumnInfo& info = file->columns()[c];
    EXPECT_EQ(info.name, table.columns[c].name);
    EXPECT_TRUE(info.unsupported.empty()) << info.unsupported;
    Type expected = table.columns[c].type;
    if (expected.id == TypeId::TIMESTAMP) expected = Type::timestamp(6);
    if (expected.id == TypeId::VARCHAR) expected = Type::varchar();
    EXPECT_EQ(info.type, expected) << info.name;
    all.push_back(static_cast<int>(c));
  }
  size_t row = 0, mismatches = 0;
  for (size_t g = 0; g < file->row_groups().size(); g++) {
    const RowGroupInfo& group = file->row_groups()[g];
    size_t first = row;
    auto reader = file->read_row_group(static_cast<int>(g), all);
    Chunk chunk;
    while (reader->next(chunk)) {
      for (size_t r = 0; r < chunk.size; r++, row++) {
        ASSERT_LT(row, table.rows());
        for (size_t c = 0; c < chunk.columns.size(); c++) {
          Value got = chunk.columns[c].get_value(r);
          const Value& want = table.values[c][row];
          if (!same(got, want) && mismatches++ < 20) {
            ADD_FAILURE() << "row " << row << " column " << table.columns[c].name << ": wrote " << want.to_string()
                          << ", read " << got.to_string();
          }
        }
      }
    }
    EXPECT_EQ(row - first, static_cast<size_t>(group.num_rows));
    // Statistics: the true min/max (NaN ignored) and NULL count of the group.
    for (size_t c = 0; c < table.columns.size(); c++) {
      SCOPED_TRACE("row group " + std::to_string(g) + " column " + table.columns[c].name);
      std::optional<Value> lo, hi;
      int64_t nulls = 0;
      for (size_t r = first; r < row; r++) {
        const Value& v = table.values[c][r];
        if (v.is_null) {
          nulls++;
          continue;
        }
        if (v.type.physical() == PhysicalType::F64 && std::isnan(v.d)) continue;
        if (!lo || v.compare(*lo) < 0) lo = v;
        if (!hi || v.compare(*hi) > 0) hi = v;
      }
      const ColumnStatistics& stats = group.stats[c];
      ASSERT_TRUE(stats.null_count.has_value());
      EXPECT_EQ(*stats.null_count, nulls);
      ASSERT_EQ(stats.min.has_value(), lo.has_value());
      ASSERT_EQ(stats.max.has_value(), hi.has_value());
      if (lo) {
        // Value::compare: a zero float statistic may be written as -0.0 (parquet-format's rule).
        EXPECT_EQ(stats.min->compare(*lo), 0) << stats.min->to_string() << " vs " << lo->to_string();
        EXPECT_EQ(stats.max->compare(*hi), 0) << stats.max->to_string() << " vs " << hi->to_string();
      }
    }
  }
  EXPECT_EQ(row, table.rows());
  EXPECT_EQ(mismatches, 0u);
}

// ---- test data --------------------------------------------------------------------------------

Value null_or(bool null, Value v, Type t) { return null ? Value::null(t) : std::move(v); }

std::string random_bytes(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (auto& ch : s) ch = static_cast<char>(rng());
  return s;
}

// Every supported type: NULLs, empty strings, extremes, low- and high-cardinality columns.
Table all_types_table(size_t rows, uint64_t seed = 1) {
  Table t;
  std::mt19937_64 rng(seed);
  auto add = [&](const std::string& name, Type type, auto&& make) {
    t.columns.push_back({name, type});
    std::vector<Value> values;
    for (size_t i = 0; i < rows; i++) values.push_back(make(i));
    t.values.push_back(std::move(values));
  };
  auto integer = [&](const std::string& name, Type type, int64_t lo, int64_t hi, int null_mod) {
    add(name, type, [&, lo, hi, null_mod, type](size_t i) {
      if (i % null_mod == 1) return Value::null(type);
      if (i == 5) return Value::integer(lo, type);
      if (i == 6) return Value::integer(hi, type);
      uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
      uint64_t r = span == UINT64_MAX ? rng() : rng() % (span + 1);
      return Value::integer(static_cast<int64_t>(static_cast<uint64_t>(lo) + r), type);
    });
  };
  add("b", Type::boolean(), [&](size_t i) {
    return null_or(i % 11 == 0, Value::boolean(i < 3000 ? (rng() & 1) : (i / 700) % 2 == 0), Type::boolean());
  });
  integer("ti", Type::tinyint(), -128, 127, 13);
  integer("si", Type::smallint(), -32768, 32767, 14);
  integer("ii", Type::integer(), INT32_MIN, INT32_MAX, 15);
  integer("bi", Type::bigint(), INT64_MIN, INT64_MAX, 16);
  add("bi_low", Type::bigint(), [&](size_t i) {
    static const int64_t kSet[] = {INT64_MIN, -1, 0, 1, 42, INT64_MAX};
    return null_or(i % 9 == 4, Value::integer(kSet[rng() % 6]), Type::bigint());
  });
  add("r", Type::real(), [&](size_t i) {
    float f;
    switch (i) {
      case 3: f = std::numeric_limits<float>::max(); break;
      case 4: f = -std::numeric_limits<float>::max(); break;
      case 7: f = std::numeric_limits<float>::infinity(); break;
      case 8: f = -std::numeric_limits<float>::infinity(); break;
      case 9: f = -0.0f; break;
      case 10: f = std::numeric_limits<float>::quiet_NaN(); break;
      case 11: f = std::numeric_limits<float>::denorm_min(); break;
      default: f = static_cast<float>(std::uniform_real_distribution<double>(-1000, 1000)(rng));
    }
    return null_or(i % 12 == 2, Value::floating(f, Type::real()), Type::real());
  });
  add("d", Type::double_(), [&](size_t i) {
    double d;
    switch (i) {
      case 3: d = std::numeric_limits<double>::max(); break;
      case 4: d = std::numeric_limits<double>::lowest(); break;
      case 7: d = std::numeric_limits<double>::infinity(); break;
      case 9: d = -0.0; break;
      case 10: d = std::numeric_limits<double>::quiet_NaN(); break;
      case 11: d = std::numeric_limits<double>::denorm_min(); break;
      default: d = i % 3 == 0 ? static_cast<double>(rng() % 100) / 4 : std::uniform_real_distribution<double>(-1e12, 1e12)(rng);
    }
    return null_or(i % 12 == 3, Value::floating(d), Type::double_());
  });
  auto dec = [&](const std::string& name, int precision, int scale, int null_mod) {
    Type type = Type::decimal(precision, scale);
    add(name, type, [&, type, precision, null_mod](size_t i) {
      int128 max = decimal::max_unscaled(precision);
      if (i % null_mod == 5) return Value::null(type);
      if (i == 5) return Value::decimal(-max, type);
      if (i == 6) return Value::decimal(max, type);
      if (i % 4 == 0) return Value::decimal(static_cast<int128>(rng() % 7) - 3, type);  // small, dictionary-friendly
      unsigned __int128 r = (static_cast<unsigned __int128>(rng()) << 64) | rng();
      int128 v = static_cast<int128>(r % static_cast<unsigned __int128>(max));
      return Value::decimal(rng() & 1 ? -v : v, type);
    });
  };
  dec("dec4", 4, 2, 13);
  dec("dec9", 9, 3, 14);
  dec("dec18", 18, 4, 15);
  dec("dec19", 19, 2, 16);
  dec("dec38", 38, 10, 17);
  dec("dec38_0", 38, 0, 18);
  add("s", Type::varchar(), [&](size_t i) {
    static const char* kWords[] = {"", "alpha", "Zürich", "東京", "tab\tand\nnewline \\ back", "zzz", "\xF0\x9F\x8E\x89"};
    if (i % 17 == 0) return Value::null(Type::varchar());
    if (i % 17 == 1) return Value::string("", Type::varchar());
    return Value::string(kWords[rng() % 7], Type::varchar());
  });
  add("s_unique", Type::varchar(20), [&](size_t i) {
    if (i % 19 == 0) return Value::null(Type::varchar(20));
    return Value::string("row " + std::to_string(i * 7919 % 100003) + std::string(i % 13, 'x') + "\xC3\xA9",
                         Type::varchar(20));
  });
  add("bin", Type::varbinary(), [&](size_t i) {
    if (i % 7 == 0) return Value::null(Type::varbinary());
    if (i % 7 == 1) return Value::string("", Type::varbinary());
    if (i == 2) return Value::string(std::string(5, '\xff'), Type::varbinary());
    if (i == 3) return Value::string(std::string(3, '\0'), Type::varbinary());
    return Value::string(random_bytes(rng, rng() % 20), Type::varbinary());
  });
  add("dt", Type::date(), [&](size_t i) {
    if (i % 13 == 10) return Value::null(Type::date());
    if (i == 5) return Value::integer(datetime::days_from_civil(1, 1, 1), Type::date());
    if (i == 6) return Value::integer(datetime::days_from_civil(9999, 12, 31), Type::date());
    return Value::integer(static_cast<int64_t>(rng() % 60000) - 40000, Type::date());  // 1860 .. 2034
  });
  add("ts", Type::timestamp(6), [&](size_t i) {
    if (i % 13 == 11) return Value::null(Type::timestamp(6));
    if (i == 5) return Value::integer(datetime::days_from_civil(1, 1, 1) * datetime::kMicrosPerDay, Type::timestamp(6));
    if (i == 6) return Value::integer((datetime::days_from_civil(10000, 1, 1)) * datetime::kMicrosPerDay - 1, Type::timestamp(6));
    if (i == 7) return Value::integer(-1, Type::timestamp(6));
    return Value::integer(static_cast<int64_t>(rng() % 4000000000000000ULL) - 2000000000000000LL, Type::timestamp(6));
  });
  add("all_null", Type::integer(), [&](size_t) { return Value::null(Type::integer()); });
  return t;
}

WriterOptions small_options(WriteCodec codec, bool dictionary) {
  WriterOptions o;
  o.codec = codec;
  o.dictionary = dictionary;
  o.row_group_rows = 3000;
  o.page_rows = 700;
  return o;
}

}  // namespace

// ---- round trips ------------------------------------------------------------------------------

class ParquetWriterCodecs : public ::testing::TestWithParam<std::tuple<WriteCodec, bool>> {};

TEST_P(ParquetWriterCodecs, EveryTypeRoundTrips) {
  auto [codec, dictionary] = GetParam();
  Table table = all_types_table(7500);
  uint64_t rows_written = 0;
  std::string data = write_table(table, small_options(codec, dictionary), 1000, &rows_written);
  EXPECT_EQ(rows_written, 7500u);
  expect_round_trip(table, data);
  FileMetaData meta = footer_of(data);
  ASSERT_EQ(meta.row_groups.size(), 3u);  // 3000 + 3000 + 1500
  EXPECT_EQ(meta.row_groups[2].num_rows, 1500);
  static const int32_t kCodecs[] = {codec::UNCOMPRESSED, codec::SNAPPY, codec::GZIP, codec::ZSTD, codec::LZ4_RAW};
  bool any_dictionary = false;
  for (const RowGroup& g : meta.row_groups) {
    for (const ColumnChunk& c : g.columns) {
      EXPECT_EQ(c.meta_data->codec, kCodecs[static_cast<int>(codec)]);
      for (int32_t e : c.meta_data->encodings) any_dictionary |= e == encoding::RLE_DICTIONARY;
    }
  }
  EXPECT_EQ(any_dictionary, dictionary);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, ParquetWriterCodecs,
                         ::testing::Combine(::testing::Values(WriteCodec::UNCOMPRESSED, WriteCodec::SNAPPY,
                                                              WriteCodec::GZIP, WriteCodec::ZSTD, WriteCodec::LZ4_RAW),
                                            ::testing::Bool()));

TEST(ParquetWriter, SchemaAndEncodings) {
  Table table = all_types_table(3000);
  std::string data = write_table(table, small_options(WriteCodec::SNAPPY, true));
  FileMetaData meta = footer_of(data);
  ASSERT_EQ(meta.schema.size(), table.columns.size() + 1);
  EXPECT_EQ(meta.schema[0].num_children, static_cast<int32_t>(table.columns.size()));
  auto leaf = [&](const std::string& name) {
    for (const auto& e : meta.schema) {
      if (e.name == name) return e;
    }
    ADD_FAILURE() << name;
    return SchemaElement{};
  };
  EXPECT_EQ(leaf("ti").logical_type.bit_width, 8);
  EXPECT_EQ(leaf("ti").converted_type, converted::INT_8);
  EXPECT_EQ(leaf("ii").type, PhysicalKind::INT32);
  EXPECT_EQ(leaf("bi").type, PhysicalKind::INT64);
  EXPECT_EQ(leaf("dec9").type, PhysicalKind::INT32);
  EXPECT_EQ(leaf("dec18").type, PhysicalKind::INT64);
  EXPECT_EQ(leaf("dec19").type, PhysicalKind::FIXED_LEN_BYTE_ARRAY);
  EXPECT_EQ(leaf("dec19").type_length, 9);
  EXPECT_EQ(leaf("dec38").type_length, 16);
  EXPECT_EQ(leaf("dec38").logical_type.decimal_precision, 38);
  EXPECT_EQ(leaf("dec38").scale, 10);
  EXPECT_EQ(leaf("s").logical_type.kind, LogicalType::STRING);
  EXPECT_EQ(leaf("bin").logical_type.kind, LogicalType::NONE);
  EXPECT_EQ(leaf("dt").logical_type.kind, LogicalType::DATE);
  EXPECT_EQ(leaf("ts").logical_type.kind, LogicalType::TIMESTAMP);
  EXPECT_EQ(leaf("ts").logical_type.unit, TimeUnit::MICROS);
  EXPECT_FALSE(leaf("ts").logical_type.is_adjusted_to_utc);
  for (size_t i = 1; i < meta.schema.size(); i++) EXPECT_EQ(meta.schema[i].repetition_type, repetition::OPTIONAL);
  // Low-cardinality columns keep their dictionary; unique strings fall back to PLAIN on page one.
  auto encodings = [&](const std::string& name) {
    for (const ColumnChunk& c : meta.row_groups[0].columns) {
      if (c.meta_data->path_in_schema[0] == name) return c.meta_data->encodings;
    }
    return std::vector<int32_t>{};
  };
  auto has = [](const std::vector<int32_t>& list, int32_t e) { return std::find(list.begin(), list.end(), e) != list.end(); };
  EXPECT_TRUE(has(encodings("s"), encoding::RLE_DICTIONARY));
  EXPECT_TRUE(has(encodings("bi_low"), encoding::RLE_DICTIONARY));
  EXPECT_FALSE(has(encodings("s_unique"), encoding::RLE_DICTIONARY));
  EXPECT_FALSE(has(encodings("bi"), encoding::RLE_DICTIONARY));
  EXPECT_FALSE(has(encodings("b"), encoding::RLE_DICTIONARY));
  for (const RowGroup& g : meta.row_groups) {
    for (const ColumnChunk& c : g.columns) {
      const ColumnMetaData& m = *c.meta_data;
      EXPECT_EQ(m.num_values, g.num_rows);
      EXPECT_EQ(c.file_offset, m.dictionary_page_offset ? *m.dictionary_page_offset : m.data_page_offset);
      if (m.dictionary_page_offset) {
        EXPECT_LT(*m.dictionary_page_offset, m.data_page_offset);
      }
    }
  }
}

TEST(ParquetWriter, DictionaryFallsBackMidChunk) {
  // 200k rows in one row group: a few values first (the dictionary pays), then distinct values
  // until the dictionary passes 65536 entries; strings pass the 1 MiB bound first.
  Table t;
  t.columns = {{"id", Type::bigint()}, {"name", Type::varchar()}, {"price", Type::decimal(12, 2)}};
  t.values.resize(3);
  for (int64_t i = 0; i < 200000; i++) {
    int64_t v = i < 50000 ? i % 10 : i * 3;
    t.values[0].push_back(i % 1000 == 7 ? Value::null(Type::bigint()) : Value::integer(v));
    t.values[1].push_back(Value::string(i < 30000 ? "w" + std::to_string(i % 5) : "name-" + std::to_string(i) + std::string(60, 'n')));
    t.values[2].push_back(Value::decimal(i < 50000 ? i % 100 : -i, Type::decimal(12, 2)));
  }
  WriterOptions o;
  o.page_rows = 5000;
  std::string data = write_table(t, o);
  expect_round_trip(t, data);
  FileMetaData meta = footer_of(data);
  ASSERT_EQ(meta.row_groups.size(), 1u);
  for (const ColumnChunk& c : meta.row_groups[0].columns) {
    const auto& e = c.meta_data->encodings;
    EXPECT_NE(std::find(e.begin(), e.end(), encoding::RLE_DICTIONARY), e.end());
    EXPECT_NE(std::find(e.begin(), e.end(), encoding::PLAIN), e.end());
    EXPECT_TRUE(c.meta_data->dictionary_page_offset.has_value());
  }
}

TEST(ParquetWriter, DictionaryIndexWidths) {
  // Dictionaries of 1 .. 65536 entries: index bit widths 1 .. 16.
  for (int distinct : {1, 2, 3, 255, 256, 257, 4096, 65536}) {
    SCOPED_TRACE(distinct);
    Table t;
    t.columns = {{"v", Type::integer()}};
    t.values.resize(1);
    for (int i = 0; i < 300000; i++) {
      t.values[0].push_back(i % 101 == 3 ? Value::null(Type::integer()) : Value::integer((i * 7) % distinct, Type::integer()));
    }
    WriterOptions o;
    o.page_rows = 300000;  // one page holds every distinct value, so the dictionary pays
    std::string data = write_table(t, o);
    expect_round_trip(t, data);
    FileMetaData meta = footer_of(data);
    const auto& e = meta.row_groups[0].columns[0].meta_data->encodings;
    EXPECT_NE(std::find(e.begin(), e.end(), encoding::RLE_DICTIONARY), e.end());
  }
}

TEST(ParquetWriter, NullPatternsAndLongRuns) {
  // Level runs of every length around the 8-value groups of the hybrid encoding.
  Table t;
  t.columns = {{"v", Type::smallint()}, {"flag", Type::boolean()}};
  t.values.resize(2);
  std::mt19937 rng(3);
  size_t i = 0;
  for (int run = 1; run < 40; run++) {
    for (int k = 0; k < 2; k++) {
      bool null = (run + k) % 2 == 0;
      for (int j = 0; j < run; j++, i++) {
        t.values[0].push_back(null ? Value::null(Type::smallint()) : Value::integer(static_cast<int64_t>(rng() % 3), Type::smallint()));
        t.values[1].push_back(j % 3 == 0 ? Value::null(Type::boolean()) : Value::boolean(run % 3 == 0));
      }
    }
  }
  for (int page_rows : {1, 7, 8, 9, 64, 100000}) {
    WriterOptions o;
    o.page_rows = page_rows;
    o.row_group_rows = 500;
    expect_round_trip(t, write_table(t, o, 37));
  }
}

TEST(ParquetWriter, RowGroupBytesLimitAndLongStrings) {
  Table t;
  t.columns = {{"s", Type::varchar()}};
  t.values.resize(1);
  for (int i = 0; i < 3000; i++) t.values[0].push_back(Value::string(std::string(1000 + i % 7, static_cast<char>('a' + i % 26))));
  WriterOptions o;
  o.row_group_bytes = 1 << 20;
  o.dictionary = false;
  std::string data = write_table(t, o, 100);
  expect_round_trip(t, data);
  EXPECT_GE(footer_of(data).row_groups.size(), 3u);
  // A min or max longer than 4 KiB leaves min/max out (null_count stays).
  t.values[0][10] = Value::string(std::string(5000, 'z'));
  data = write_table(t, o);
  auto file = ParquetFile::open(std::make_shared<StringFile>(data));
  EXPECT_FALSE(file->row_groups()[0].stats[0].min.has_value());
  EXPECT_EQ(file->row_groups()[0].stats[0].null_count.value_or(-1), 0);
}

TEST(ParquetWriter, EmptyFile) {
  Table t;
  t.columns = {{"a", Type::integer()}, {"s", Type::varchar()}, {"d", Type::decimal(30, 5)}};
  t.values.resize(3);
  std::string out;
  ParquetWriter writer(t.columns, WriterOptions{}, [&](std::string_view b) { out.append(b); });
  Chunk empty({Type::integer(), Type::varchar(), Type::decimal(30, 5)});
  writer.write(empty);
  EXPECT_EQ(out.size(), 0u);
  writer.finish();
  EXPECT_EQ(writer.rows_written(), 0u);
  EXPECT_EQ(out.substr(0, 4), "PAR1");
  EXPECT_EQ(out.substr(out.size() - 4), "PAR1");
  auto file = ParquetFile::open(std::make_shared<StringFile>(out));
  EXPECT_EQ(file->num_rows(), 0);
  EXPECT_TRUE(file->row_groups().empty());
  ASSERT_EQ(file->columns().size(), 3u);
  EXPECT_EQ(file->columns()[2].type, Type::decimal(30, 5));
  // A file without columns is valid too.
  std::string none;
  ParquetWriter no_columns({}, WriterOptions{}, [&](std::string_view b) { none.append(b); });
  no_columns.finish();
  EXPECT_EQ(ParquetFile::open(std::make_shared<StringFile>(none))->columns().size(), 0u);
}

TEST(ParquetWriter, ChunkRowsSplitAcrossRowGroupsExactly) {
  Table t = all_types_table(5000, 9);
  WriterOptions o = small_options(WriteCodec::ZSTD, true);
  o.row_group_rows = 1234;
  std::string data = write_table(t, o, 2048);
  expect_round_trip(t, data);
  FileMetaData meta = footer_of(data);
  ASSERT_EQ(meta.row_groups.size(), 5u);
  for (int g = 0; g < 4; g++) EXPECT_EQ(meta.row_groups[g].num_rows, 1234);
  EXPECT_EQ(meta.num_rows, 5000);
}

// ---- errors -----------------------------------------------------------------------------------

TEST(ParquetWriter, ParseCodec) {
  EXPECT_EQ(parse_write_codec("SNAPPY"), WriteCodec::SNAPPY);
  EXPECT_EQ(parse_write_codec("gzip"), WriteCodec::GZIP);
  EXPECT_EQ(parse_write_codec("Zstd"), WriteCodec::ZSTD);
  EXPECT_EQ(parse_write_codec("lz4"), WriteCodec::LZ4_RAW);
  EXPECT_EQ(parse_write_codec("LZ4_RAW"), WriteCodec::LZ4_RAW);
  EXPECT_EQ(parse_write_codec("none"), WriteCodec::UNCOMPRESSED);
  EXPECT_EQ(parse_write_codec("UNCOMPRESSED"), WriteCodec::UNCOMPRESSED);
  try {
    parse_write_codec("brotli");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::INVALID_ARGUMENT);
    EXPECT_NE(e.message().find("brotli"), std::string::npos);
    EXPECT_NE(e.message().find("snappy, gzip, zstd, lz4"), std::string::npos) << e.message();
  }
}

TEST(ParquetWriter, Errors) {
  auto sink = [](std::string_view) {};
  try {
    ParquetWriter w({{"a", Type::integer()}, {"span", Type::interval_day_time()}}, WriterOptions{}, sink);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::NOT_SUPPORTED);
    EXPECT_NE(e.message().find("Parquet writer: column span of type"), std::string::npos) << e.message();
  }
  EXPECT_THROW(ParquetWriter({{"n", Type::unknown()}}, WriterOptions{}, sink), Error);
  WriterOptions bad;
  bad.page_rows = 0;
  EXPECT_THROW(ParquetWriter({{"a", Type::integer()}}, bad, sink), Error);

  ParquetWriter w({{"a", Type::integer()}, {"d", Type::decimal(10, 2)}}, WriterOptions{}, sink);
  Chunk wrong_count({Type::integer()});
  EXPECT_THROW(w.write(wrong_count), Error);
  Chunk wrong_type({Type::bigint(), Type::decimal(10, 2)});
  EXPECT_THROW(w.write(wrong_type), Error);
  Chunk wrong_scale({Type::integer(), Type::decimal(10, 3)});
  EXPECT_THROW(w.write(wrong_scale), Error);
  w.finish();
  try {
    w.finish();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::INTERNAL_ERROR);
  }
  Chunk right({Type::integer(), Type::decimal(10, 2)});
  EXPECT_THROW(w.write(right), Error);
}

TEST(ParquetWriter, SinkSeesBytesInOrder) {
  Table t = all_types_table(4000, 5);
  std::vector<size_t> calls;
  std::string out;
  {
    ParquetWriter w(t.columns, small_options(WriteCodec::SNAPPY, true), [&](std::string_view b) {
      out.append(b);
      calls.push_back(b.size());
    });
    std::vector<Type> types;
    for (const auto& c : t.columns) types.push_back(c.type);
    Chunk chunk(types, 4000);
    for (size_t c = 0; c < types.size(); c++) {
      for (size_t r = 0; r < 4000; r++) chunk.columns[c].set_value(r, t.values[c][r]);
    }
    chunk.size = 4000;
    w.write(chunk);
    EXPECT_GT(w.bytes_written(), 4u);  // the first row group (3000 rows) went out
    EXPECT_EQ(w.bytes_written(), out.size());
    w.finish();
    EXPECT_EQ(w.bytes_written(), out.size());
  }
  EXPECT_GT(calls.size(), 2u);
  expect_round_trip(t, out);
}

// ---- thrift -----------------------------------------------------------------------------------

TEST(ParquetWriter, ThriftEncoderMatchesDecoder) {
  PageHeader h;
  h.type = page_type::DICTIONARY_PAGE;
  h.uncompressed_page_size = 1 << 20;
  h.compressed_page_size = 12345;
  h.dictionary_page_header.emplace();
  h.dictionary_page_header->num_values = 65536;
  h.dictionary_page_header->is_sorted = true;
  std::string bytes;
  encode_page_header(h, &bytes);
  size_t used = 0;
  PageHeader back = decode_page_header(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), 0, &used);
  EXPECT_EQ(used, bytes.size());
  EXPECT_EQ(back.type, h.type);
  EXPECT_EQ(back.uncompressed_page_size, h.uncompressed_page_size);
  EXPECT_EQ(back.compressed_page_size, h.compressed_page_size);
  ASSERT_TRUE(back.dictionary_page_header);
  EXPECT_EQ(back.dictionary_page_header->num_values, 65536);
  EXPECT_TRUE(back.dictionary_page_header->is_sorted);

  FileMetaData f;
  f.version = 1;
  f.num_rows = 1LL << 40;
  f.created_by = "tributary";
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement leaf;
  leaf.name = std::string(300, 'n');  // a name longer than one varint byte
  leaf.type = PhysicalKind::INT64;
  leaf.repetition_type = repetition::OPTIONAL;
  leaf.converted_type = converted::TIMESTAMP_MICROS;
  leaf.logical_type.kind = LogicalType::TIMESTAMP;
  leaf.logical_type.unit = TimeUnit::NANOS;
  leaf.logical_type.is_adjusted_to_utc = true;
  f.schema = {root, leaf};
  RowGroup g;
  g.num_rows = 7;
  g.total_byte_size = 99;
  g.total_compressed_size = 77;
  ColumnChunk c;
  c.file_offset = 4;
  ColumnMetaData m;
  m.type = PhysicalKind::INT64;
  m.encodings = {0, 3, 8, 0, 3, 8, 0, 3, 8, 0, 3, 8, 0, 3, 8, 0};  // 16: the long list header form
  m.path_in_schema = {leaf.name};
  m.codec = codec::ZSTD;
  m.num_values = -5;
  m.data_page_offset = 1LL << 33;
  m.dictionary_page_offset = 4;
  m.statistics.emplace();
  m.statistics->null_count = 3;
  m.statistics->min_value = std::string("\0\x80", 2);
  m.statistics->max_value = "max";
  c.meta_data = m;
  g.columns = {c};
  f.row_groups = {g, g};
  std::string encoded;
  encode_file_metadata(f, &encoded);
  FileMetaData d = decode_file_metadata(reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size(), 0);
  EXPECT_EQ(d.version, 1);
  EXPECT_EQ(d.num_rows, 1LL << 40);
  EXPECT_EQ(d.created_by, "tributary");
  ASSERT_EQ(d.schema.size(), 2u);
  EXPECT_EQ(d.schema[0].num_children, 1);
  EXPECT_FALSE(d.schema[0].type.has_value());
  EXPECT_EQ(d.schema[1].name, leaf.name);
  EXPECT_EQ(d.schema[1].logical_type.kind, LogicalType::TIMESTAMP);
  EXPECT_EQ(d.schema[1].logical_type.unit, TimeUnit::NANOS);
  EXPECT_TRUE(d.schema[1].logical_type.is_adjusted_to_utc);
  ASSERT_EQ(d.row_groups.size(), 2u);
  EXPECT_EQ(d.row_groups[1].total_compressed_size, 77);
  const ColumnMetaData& dm = *d.row_groups[1].columns[0].meta_data;
  EXPECT_EQ(dm.encodings, m.encodings);
  EXPECT_EQ(dm.codec, codec::ZSTD);
  EXPECT_EQ(dm.num_values, -5);
  EXPECT_EQ(dm.data_page_offset, 1LL << 33);
  EXPECT_EQ(dm.dictionary_page_offset, 4);
  EXPECT_EQ(dm.statistics->min_value, m.statistics->min_value);
  EXPECT_EQ(dm.statistics->max_value, "max");
  EXPECT_EQ(dm.statistics->null_count, 3);
}

// ---- files for DuckDB (tests/integration/parquet/writer_roundtrip.sh) ---------------------------

namespace {

std::string duckdb_type(const Type& t) {
  switch (t.id) {
    case TypeId::REAL: return "FLOAT";
    case TypeId::VARBINARY: return "BLOB";
    case TypeId::VARCHAR: return "VARCHAR";
    case TypeId::TIMESTAMP: return "TIMESTAMP";
    case TypeId::DECIMAL: return "DECIMAL(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    default: {
      std::string s = t.to_string();
      for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return s;
    }
  }
}

// The renderings writer_check.mjs asks DuckDB for (see its header).
std::string render(const Value& v) {
  if (v.is_null) return "\\N";
  std::string text;
  switch (v.type.id) {
    case TypeId::BOOLEAN: text = v.b ? "true" : "false"; break;
    case TypeId::REAL:
    case TypeId::DOUBLE: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", v.d);
      text = buf;
      break;
    }
    case TypeId::DECIMAL: text = decimal::to_string(v.dec, v.type.scale); break;
    case TypeId::DATE: text = datetime::format_date(v.i); break;
    case TypeId::TIMESTAMP: text = datetime::format_timestamp(v.i, 6); break;
    case TypeId::VARBINARY:
      for (unsigned char c : v.s) text += "0123456789ABCDEF"[c >> 4], text += "0123456789ABCDEF"[c & 15];
      break;
    case TypeId::VARCHAR: text = v.s; break;
    default: text = std::to_string(v.i);
  }
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

void write_for_duckdb(const std::string& dir, const std::string& name, const Table& t, const WriterOptions& o) {
  std::string data = write_table(t, o, 1500);
  std::ofstream(dir + "/" + name + ".parquet", std::ios::binary) << data;
  std::ofstream expected(dir + "/" + name + ".expected.tsv", std::ios::binary);
  for (size_t r = 0; r < t.rows(); r++) {
    for (size_t c = 0; c < t.columns.size(); c++) expected << (c ? "\t" : "") << render(t.values[c][r]);
    expected << "\n";
  }
  std::ofstream types(dir + "/" + name + ".types", std::ios::binary);
  for (const auto& c : t.columns) types << c.name << "\t" << duckdb_type(c.type) << "\n";
}

}  // namespace

TEST(ParquetWriterDuckDB, WriteFiles) {
  const char* dir = std::getenv("TRIBUTARY_PARQUET_WRITE_DIR");
  if (!dir) GTEST_SKIP() << "TRIBUTARY_PARQUET_WRITE_DIR is not set";
  Table table = all_types_table(7500);
  const std::pair<WriteCodec, const char*> codecs[] = {{WriteCodec::UNCOMPRESSED, "uncompressed"},
                                                       {WriteCodec::SNAPPY, "snappy"},
                                                       {WriteCodec::GZIP, "gzip"},
                                                       {WriteCodec::ZSTD, "zstd"},
                                                       {WriteCodec::LZ4_RAW, "lz4_raw"}};
  for (const auto& [codec, name] : codecs) {
    for (bool dictionary : {true, false}) {
      write_for_duckdb(dir, std::string("alltypes_") + name + (dictionary ? "_dict" : "_plain"), table,
                       small_options(codec, dictionary));
    }
  }
  // A dictionary that overflows mid-chunk, with the default options.
  Table fallback;
  fallback.columns = {{"id", Type::bigint()}, {"name", Type::varchar()}, {"price", Type::decimal(12, 2)}};
  fallback.values.resize(3);
  for (int64_t i = 0; i < 120000; i++) {
    fallback.values[0].push_back(i % 1000 == 7 ? Value::null(Type::bigint()) : Value::integer(i < 30000 ? i % 10 : i * 3));
    fallback.values[1].push_back(Value::string(i < 20000 ? "w" + std::to_string(i % 5) : "name-" + std::to_string(i) + std::string(40, 'n')));
    fallback.values[2].push_back(Value::decimal(i < 30000 ? i % 100 : -i, Type::decimal(12, 2)));
  }
  write_for_duckdb(dir, "dictionary_fallback", fallback, WriterOptions{});
  Table empty = all_types_table(0);
  write_for_duckdb(dir, "empty", empty, WriterOptions{});
}

// ---- skipping rows (late materialization) -------------------------------------------------

// Batches of rows where each column is read or skipped at random: every read value must be the
// row's, across page boundaries (pages skipped whole or in part), dictionary and PLAIN pages,
// NULL runs and row groups.
TEST(ParquetReaderSkip, ReadOrSkipEveryColumnPerBatch) {
  Table t;
  t.columns = {{"id", Type::bigint()}, {"s", Type::varchar()}, {"d", Type::decimal(12, 2)},
               {"x", Type::double_()}, {"day", Type::date()}, {"b", Type::boolean()}};
  t.values.resize(t.columns.size());
  std::mt19937 rng(11);
  const size_t rows = 20000;
  for (size_t i = 0; i < rows; i++) {
    bool null_run = (i / 700) % 5 == 3;
    t.values[0].push_back(Value::integer(static_cast<int64_t>(i)));
    t.values[1].push_back(null_or(null_run || rng() % 9 == 0, Value::string("k" + std::to_string(rng() % 40)), Type::varchar()));
    t.values[2].push_back(null_or(rng() % 13 == 0, Value::decimal(static_cast<int128>(rng() % 100000) - 500, Type::decimal(12, 2)),
                                  Type::decimal(12, 2)));
    t.values[3].push_back(Value::floating(static_cast<double>(rng() % 1000) / 8));
    t.values[4].push_back(null_or(null_run, Value::integer(18000 + static_cast<int64_t>(i % 365), Type::date()), Type::date()));
    t.values[5].push_back(null_or(i % 11 == 0, Value::boolean(rng() % 2), Type::boolean()));
  }
  for (int page_rows : {1, 300, 2048, 5000}) {
    for (bool dictionary : {true, false}) {
      SCOPED_TRACE("page_rows " + std::to_string(page_rows) + (dictionary ? " dictionary" : " plain"));
      WriterOptions o;
      o.page_rows = page_rows;
      o.row_group_rows = 9000;
      o.dictionary = dictionary;
      auto file = ParquetFile::open(std::make_shared<StringFile>(write_table(t, o, 1000)));
      std::vector<int> all;
      std::vector<Type> types;
      for (size_t c = 0; c < t.columns.size(); c++) {
        all.push_back(static_cast<int>(c));
        types.push_back(file->columns()[c].type);
      }
      size_t row = 0, mismatches = 0, reads = 0, skips = 0;
      for (size_t g = 0; g < file->row_groups().size(); g++) {
        auto reader = file->read_row_group(static_cast<int>(g), all);
        Chunk chunk(types, kChunkCapacity);
        while (size_t n = reader->begin_rows()) {
          for (size_t c = 0; c < t.columns.size(); c++) {
            if (rng() % 3 == 0) {
              reader->skip_column(c, n);
              skips++;
              continue;
            }
            reader->read_column(c, chunk.columns[c], n);
            reads++;
            for (size_t r = 0; r < n; r++) {
              Value got = chunk.columns[c].get_value(r);
              if (!same(got, t.values[c][row + r]) && mismatches++ < 10)
                ADD_FAILURE() << "row " << row + r << " column " << t.columns[c].name << ": wrote "
                              << t.values[c][row + r].to_string() << ", read " << got.to_string();
            }
          }
          reader->end_rows(n);
          row += n;
        }
      }
      EXPECT_EQ(row, rows);
      EXPECT_EQ(mismatches, 0u);
      EXPECT_GT(reads, 0u);
      EXPECT_GT(skips, 0u);
    }
  }
}

// A column skipped past its end is a clear error, never a crash.
TEST(ParquetReaderSkip, SkippingPastTheEndIsAnError) {
  Table t;
  t.columns = {{"v", Type::integer()}};
  t.values.resize(1);
  for (int i = 0; i < 100; i++) t.values[0].push_back(Value::integer(i, Type::integer()));
  WriterOptions o;
  o.page_rows = 30;
  auto file = ParquetFile::open(std::make_shared<StringFile>(write_table(t, o)));
  auto reader = file->read_row_group(0, {0});
  reader->skip_column(0, 90);
  try {
    reader->skip_column(0, 20);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("written.parquet"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("ends 10 rows early"), std::string::npos) << e.message();
  }
}

// ---- remote reads ------------------------------------------------------------------------

// A file that counts its reads and may claim to be remote, or fail reads that end past an
// offset (the footer read, which ends at the end, excepted).
class CountingFile : public RandomAccessFile {
 public:
  CountingFile(std::string data, bool remote, uint64_t fail_from = UINT64_MAX)
      : data_(std::move(data)), remote_(remote), fail_from_(fail_from) {}
  uint64_t size() override { return data_.size(); }
  std::string read(uint64_t offset, uint64_t length) override {
    reads_++;
    if (offset + length > fail_from_ && offset + length < data_.size()) throw Error(ErrorCode::SOURCE_ERROR, "remote.parquet: GET failed at offset " + std::to_string(offset));
    return data_.substr(offset, length);
  }
  std::string name() const override { return "remote.parquet"; }
  bool remote() const override { return remote_; }
  std::atomic<int> reads_{0};

 private:
  std::string data_;
  bool remote_;
  uint64_t fail_from_;
};

// Column chunks of a row group: remotely, chunks near each other are one read; locally only
// adjacent ones are merged. Values are the same either way; a failed read is the error.
TEST(ParquetReaderRemote, NearbyChunksAreMergedIntoOneRead) {
  Table t;
  t.columns = {{"a", Type::bigint()}, {"b", Type::varchar()}, {"c", Type::bigint()}};
  t.values.resize(3);
  for (int i = 0; i < 5000; i++) {
    t.values[0].push_back(Value::integer(i));
    t.values[1].push_back(Value::string("row " + std::to_string(i)));
    t.values[2].push_back(Value::integer(i * 3));
  }
  WriterOptions o;
  o.row_group_rows = 5000;
  std::string data = write_table(t, o);
  for (bool remote : {false, true}) {
    auto counting = std::make_shared<CountingFile>(data, remote);
    auto file = ParquetFile::open(counting);
    int after_footer = counting->reads_;
    auto reader = file->read_row_group(0, {2, 0});  // a and c: b lies between them
    EXPECT_EQ(counting->reads_ - after_footer, remote ? 1 : 2);
    Chunk chunk;
    size_t row = 0;
    while (reader->next(chunk)) {
      for (size_t r = 0; r < chunk.size; r++, row++) {
        ASSERT_EQ(chunk.columns[0].get_value(r).i, static_cast<int64_t>(row) * 3);
        ASSERT_EQ(chunk.columns[1].get_value(r).i, static_cast<int64_t>(row));
      }
    }
    EXPECT_EQ(row, 5000u);
    // Adjacent chunks are one read locally too.
    after_footer = counting->reads_;
    file->read_row_group(0, {0, 1});
    EXPECT_EQ(counting->reads_ - after_footer, 1);
  }
  // A failing request is the error of the whole row group.
  o.row_group_rows = 1000;
  data = write_table(t, o);
  auto failing = std::make_shared<CountingFile>(data, true, data.size() / 2);
  auto file = ParquetFile::open(std::make_shared<StringFile>(data));
  auto remote_file = ParquetFile::open(failing);
  int last = static_cast<int>(file->row_groups().size()) - 1;
  try {
    remote_file->read_row_group(last, {0, 1, 2});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("GET failed"), std::string::npos) << e.message();
  }
}

// Dictionary codes: a batch of non-NULL dictionary-coded strings gives each row's index into
// the chunk's dictionary; a batch touching a NULL or a PLAIN page (dictionary fallback) does not.
TEST(ParquetReaderSkip, DictionaryCodesOfStringBatches) {
  Table t;
  t.columns = {{"tag", Type::varchar()}, {"maybe", Type::varchar()}};
  t.values.resize(2);
  for (int i = 0; i < 6000; i++) {
    t.values[0].push_back(Value::string("tag" + std::to_string(i % 7)));
    t.values[1].push_back(i >= 3000 && i % 500 == 0 ? Value::null(Type::varchar()) : Value::string("m" + std::to_string(i % 3)));
  }
  WriterOptions o;
  o.page_rows = 1000;
  o.row_group_rows = 6000;
  auto file = ParquetFile::open(std::make_shared<StringFile>(write_table(t, o)));
  auto reader = file->read_row_group(0, {0, 1});
  Chunk chunk({Type::varchar(), Type::varchar()}, kChunkCapacity);
  std::vector<uint32_t> codes(kChunkCapacity);
  size_t row = 0;
  int coded_batches[2] = {0, 0};
  while (size_t n = reader->begin_rows()) {
    for (size_t c = 0; c < 2; c++) {
      const std::vector<std::string_view>* dictionary = nullptr;
      bool coded = reader->read_column_codes(c, chunk.columns[c], n, codes.data(), &dictionary);
      bool has_null = false;
      for (size_t r = 0; r < n; r++) has_null |= t.values[c][row + r].is_null;
      EXPECT_EQ(coded, !has_null) << "column " << c << " rows " << row;
      for (size_t r = 0; r < n; r++) {
        ASSERT_EQ(chunk.columns[c].get_value(r).to_string(), t.values[c][row + r].to_string());
        if (coded) {
          ASSERT_LT(codes[r], dictionary->size());
          ASSERT_EQ(std::string((*dictionary)[codes[r]]), t.values[c][row + r].s);
        }
      }
      coded_batches[c] += coded;
    }
    reader->end_rows(n);
    row += n;
  }
  EXPECT_EQ(row, 6000u);
  EXPECT_EQ(coded_batches[0], 3);  // every batch of the NULL-free column
  EXPECT_EQ(coded_batches[1], 1);  // rows 0..2047 only: NULLs from row 3000 on
  // Without a dictionary no batch is coded.
  o.dictionary = false;
  file = ParquetFile::open(std::make_shared<StringFile>(write_table(t, o)));
  reader = file->read_row_group(0, {0});
  const std::vector<std::string_view>* dictionary = nullptr;
  EXPECT_FALSE(reader->read_column_codes(0, chunk.columns[0], reader->begin_rows(), codes.data(), &dictionary));
}

// ---- write locations ---------------------------------------------------------------------

// One CREATE TABLE AS at a time per location, for as long as its session holds the claim.
TEST(TableWriterClaim, SecondClaimOfALocationIsRefusedUntilReleased) {
  auto first = tributary::files::claim_write_location("/data/lake/t/");
  try {
    tributary::files::claim_write_location("/data/lake/t");
    FAIL() << "expected ALREADY_EXISTS";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::ALREADY_EXISTS);
    EXPECT_NE(e.message().find("Another CREATE TABLE AS is writing into /data/lake/t"), std::string::npos) << e.message();
  }
  auto other = tributary::files::claim_write_location("/data/lake/u/");
  first.reset();
  EXPECT_NO_THROW(tributary::files::claim_write_location("/data/lake/t/"));
}
