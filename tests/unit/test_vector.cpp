// Tests of src/vector: Vector gather (with and without a selection) for every
// physical type, string heap sharing, grow, constant vectors, generic
// get/set access and Chunk::select / Chunk::slice.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "vector/vector.h"

using namespace tributary;

namespace {

// A source vector of `count` rows for `type` where row i holds make(i), and rows with i % 5 == 4 are NULL.
Vector make_source(const Type& type, size_t count, Value (*make)(size_t), bool with_nulls = true) {
  Vector v(type, count);
  for (size_t i = 0; i < count; i++) {
    if (with_nulls && i % 5 == 4) {
      v.set_null(i);
    } else {
      v.set_value(i, make(i));
    }
  }
  return v;
}

Value bool_at(size_t i) { return Value::boolean(i % 2 == 0); }
Value bigint_at(size_t i) { return Value::integer((int64_t)i * 1000000007LL - 5); }
Value date_at(size_t i) { return Value::integer(19000 + (int64_t)i, Type::date()); }
Value double_at(size_t i) { return Value::floating(0.5 + (double)i); }
Value decimal_at(size_t i) { return Value::decimal((int128)i * 100 + 25, Type::decimal(20, 2)); }
Value string_at(size_t i) { return Value::string("value-" + std::to_string(i) + std::string(i % 3 * 10, 'x')); }

struct TypeCase {
  const char* name;
  Type type;
  Value (*make)(size_t);
};

std::vector<TypeCase> all_physical_types() {
  return {{"boolean", Type::boolean(), bool_at},       {"bigint", Type::bigint(), bigint_at},
          {"date", Type::date(), date_at},             {"double", Type::double_(), double_at},
          {"decimal", Type::decimal(20, 2), decimal_at}, {"varchar", Type::varchar(), string_at}};
}

std::string expected_at(const TypeCase& c, size_t i) {
  if (i % 5 == 4) return "NULL";
  return c.make(i).to_string();
}

}  // namespace

TEST(VectorGather, WithoutSelectionEveryPhysicalType) {
  for (const auto& c : all_physical_types()) {
    Vector src = make_source(c.type, 20, c.make);
    Vector dst(c.type, 20);
    dst.gather(src, nullptr, 20);
    int mismatches = 0;
    for (size_t i = 0; i < 20; i++)
      if (dst.get_value(i).to_string() != expected_at(c, i)) mismatches++;
    EXPECT_EQ(mismatches, 0) << c.name;
    EXPECT_TRUE(dst.may_have_nulls()) << c.name;
    EXPECT_TRUE(dst.is_null(4)) << c.name;
    EXPECT_FALSE(dst.is_null(3)) << c.name;
  }
}

TEST(VectorGather, WithSelectionEveryPhysicalType) {
  const std::vector<uint32_t> sel = {7, 0, 4, 19, 7, 12};
  for (const auto& c : all_physical_types()) {
    Vector src = make_source(c.type, 20, c.make);
    Vector dst(c.type, 8);
    dst.gather(src, sel.data(), sel.size());
    for (size_t i = 0; i < sel.size(); i++)
      EXPECT_EQ(dst.get_value(i).to_string(), expected_at(c, sel[i])) << c.name << " row " << i;
    EXPECT_TRUE(dst.is_null(2)) << c.name;  // source row 4
    EXPECT_TRUE(dst.is_null(3)) << c.name;  // source row 19
    EXPECT_FALSE(dst.is_null(0)) << c.name;
  }
}

TEST(VectorGather, AtOffsetGrowsAndKeepsEarlierRows) {
  Vector src = make_source(Type::bigint(), 10, bigint_at, false);
  Vector dst(Type::bigint(), 4);
  dst.gather(src, nullptr, 3);
  const uint32_t sel[] = {9, 8, 7, 6, 5};
  dst.gather(src, sel, 5, 3);  // needs 8 rows: grows from 4
  EXPECT_GE(dst.capacity(), 8u);
  std::vector<int64_t> got;
  for (size_t i = 0; i < 8; i++) got.push_back(dst.get_value(i).i);
  std::vector<int64_t> want = {bigint_at(0).i, bigint_at(1).i, bigint_at(2).i, bigint_at(9).i,
                               bigint_at(8).i, bigint_at(7).i, bigint_at(6).i, bigint_at(5).i};
  EXPECT_EQ(got, want);
  EXPECT_FALSE(dst.may_have_nulls());
}

TEST(VectorGather, NullsClearedWhenSourceHasNone) {
  Vector dst(Type::bigint(), 4);
  dst.set_null(0);
  dst.set_null(1);
  Vector src = make_source(Type::bigint(), 4, bigint_at, false);
  dst.gather(src, nullptr, 2);
  EXPECT_FALSE(dst.is_null(0));
  EXPECT_FALSE(dst.is_null(1));
  EXPECT_EQ(dst.get_value(1).i, bigint_at(1).i);
}

TEST(VectorGather, StringsOutliveTheirSourceVector) {
  Vector dst(Type::varchar(), 4);
  {
    auto src = std::make_unique<Vector>(Type::varchar(), 100);
    for (size_t i = 0; i < 100; i++) src->set_value(i, Value::string("long string number " + std::to_string(i) + std::string(50, 'z')));
    const uint32_t sel[] = {99, 0, 42};
    dst.gather(*src, sel, 3);
    src.reset();  // destroys the source vector; its heap must stay alive through dst
  }
  EXPECT_EQ(dst.get_value(0).s, "long string number 99" + std::string(50, 'z'));
  EXPECT_EQ(dst.get_value(1).s, "long string number 0" + std::string(50, 'z'));
  EXPECT_EQ(dst.get_value(2).s, "long string number 42" + std::string(50, 'z'));
}

TEST(VectorGather, StringsSurviveTwoHops) {
  Vector last(Type::varchar(), 2);
  {
    Vector first(Type::varchar(), 2);
    first.set_value(0, Value::string("alpha"));
    first.set_value(1, Value::string("beta"));
    Vector middle(Type::varchar(), 2);
    middle.gather(first, nullptr, 2);
    const uint32_t sel[] = {1, 0};
    last.gather(middle, sel, 2);
  }
  EXPECT_EQ(last.get_value(0).to_string(), "beta");
  EXPECT_EQ(last.get_value(1).to_string(), "alpha");
}

TEST(VectorGrow, KeepsDataAndNulls) {
  for (const auto& c : all_physical_types()) {
    Vector v = make_source(c.type, 10, c.make);
    v.grow(5000, 10);
    EXPECT_EQ(v.capacity(), 5000u) << c.name;
    for (size_t i = 0; i < 10; i++) EXPECT_EQ(v.get_value(i).to_string(), expected_at(c, i)) << c.name;
    EXPECT_FALSE(v.is_null(4999)) << c.name;
    v.set_value(4999, c.make(1));
    EXPECT_EQ(v.get_value(4999).to_string(), c.make(1).to_string()) << c.name;
  }
  Vector small(Type::bigint(), 16);
  small.grow(8, 8);  // never shrinks
  EXPECT_EQ(small.capacity(), 16u);
}

TEST(VectorGrow, NewStringSlotsAreEmpty) {
  Vector v(Type::varchar(), 2);
  v.set_value(0, Value::string("kept"));
  v.grow(10, 1);
  EXPECT_EQ(v.get_value(0).s, "kept");
  EXPECT_EQ(v.get_value(5).s, "");
  EXPECT_TRUE(v.data<std::string_view>()[9].empty());
}

TEST(VectorConstant, RepeatsOneValue) {
  Vector ints = Vector::constant(Value::integer(7, Type::integer()), 100);
  EXPECT_EQ(ints.type(), Type::integer());
  EXPECT_EQ(ints.get_value(0).to_string(), "7");
  EXPECT_EQ(ints.get_value(99).to_string(), "7");
  EXPECT_FALSE(ints.may_have_nulls());
  Vector text = Vector::constant(Value::string("same"), 3);
  EXPECT_EQ(text.get_value(2).to_string(), "same");
  EXPECT_EQ(text.data<std::string_view>()[0].data(), text.data<std::string_view>()[2].data());  // one copy
  Vector dec = Vector::constant(Value::decimal(-150, Type::decimal(5, 2)), 4);
  EXPECT_EQ(dec.get_value(3).to_string(), "-1.50");
  Vector flag = Vector::constant(Value::boolean(true), 2);
  EXPECT_EQ(flag.get_value(1).to_string(), "true");
  Vector nulls = Vector::constant(Value::null(Type::double_()), 5);
  EXPECT_TRUE(nulls.may_have_nulls());
  EXPECT_TRUE(nulls.is_null(0));
  EXPECT_TRUE(nulls.is_null(4));
  EXPECT_EQ(nulls.get_value(3).to_string(), "NULL");
  Vector empty = Vector::constant(Value::integer(1), 0);
  EXPECT_EQ(empty.capacity(), 1u);
}

TEST(VectorValues, SetAndGetRoundTrip) {
  Vector v(Type::timestamp(6), 3);
  v.set_value(0, Value::integer(1705314030123456LL, Type::timestamp(6)));
  v.set_value(1, Value::null());
  EXPECT_EQ(v.get_value(0).to_string(), "2024-01-15 10:20:30.123456");
  EXPECT_TRUE(v.get_value(1).is_null);
  EXPECT_EQ(v.get_value(1).type, Type::timestamp(6));
  EXPECT_TRUE(v.may_have_nulls());
  v.set_value(1, Value::integer(0, Type::timestamp(6)));  // overwrite a NULL with a value
  EXPECT_FALSE(v.is_null(1));
  EXPECT_EQ(v.get_value(1).to_string(), "1970-01-01 00:00:00.000000");
  Vector real(Type::real(), 1);
  real.set_value(0, Value::floating((float)1.1f, Type::real()));
  EXPECT_EQ(real.get_value(0).to_string(), "1.1");
  Vector bin(Type::varbinary(), 1);
  bin.set_value(0, Value::string(std::string("\x00\xff", 2), Type::varbinary()));
  EXPECT_EQ(bin.get_value(0).to_string(), "00 ff");
  Vector unknown(Type::unknown(), 1);
  EXPECT_TRUE(unknown.get_value(0).is_null);
}

TEST(VectorValues, SetAllValidAndMemory) {
  Vector v(Type::bigint(), 8);
  v.set_null(3);
  EXPECT_TRUE(v.may_have_nulls());
  v.set_all_valid(8);
  EXPECT_FALSE(v.may_have_nulls());
  EXPECT_FALSE(v.is_null(3));
  EXPECT_EQ(v.memory_bytes(), 8u * 9u);
  EXPECT_EQ(physical_width(PhysicalType::I128), 16u);
  EXPECT_EQ(physical_width(PhysicalType::BOOL), 1u);
  StringHeap heap;
  std::string_view a = heap.add("abc");
  std::string_view b = heap.add(std::string(100000, 'q'));  // bigger than one block
  EXPECT_EQ(a, "abc");
  EXPECT_EQ(b.size(), 100000u);
  EXPECT_EQ(heap.bytes(), 100003u);
  EXPECT_TRUE(heap.add("").empty());
}

namespace {

Chunk make_chunk(size_t rows) {
  Chunk chunk({Type::bigint(), Type::varchar(), Type::decimal(10, 2)}, rows);
  for (size_t i = 0; i < rows; i++) {
    chunk.columns[0].set_value(i, Value::integer((int64_t)i));
    if (i == 2)
      chunk.columns[1].set_null(i);
    else
      chunk.columns[1].set_value(i, Value::string("s" + std::to_string(i)));
    chunk.columns[2].set_value(i, Value::decimal((int128)i * 101, Type::decimal(10, 2)));
  }
  chunk.size = rows;
  return chunk;
}

std::string row_text(const Chunk& c, size_t row) {
  std::string out;
  for (size_t k = 0; k < c.column_count(); k++) {
    if (k) out += "|";
    out += c.columns[k].get_value(row).to_string();
  }
  return out;
}

}  // namespace

TEST(VectorChunk, SelectPicksRows) {
  Chunk chunk = make_chunk(6);
  const uint32_t sel[] = {5, 2, 0};
  Chunk picked = chunk.select(sel, 3);
  EXPECT_EQ(picked.size, 3u);
  EXPECT_EQ(picked.column_count(), 3u);
  EXPECT_EQ(row_text(picked, 0), "5|s5|5.05");
  EXPECT_EQ(row_text(picked, 1), "2|NULL|2.02");
  EXPECT_EQ(row_text(picked, 2), "0|s0|0.00");
  EXPECT_EQ(picked.types()[2], Type::decimal(10, 2));
}

TEST(VectorChunk, SliceCopiesRangeAndOutlivesSource) {
  Chunk sliced;
  {
    Chunk chunk = make_chunk(10);
    sliced = chunk.slice(7, 3);
  }
  ASSERT_EQ(sliced.size, 3u);
  EXPECT_EQ(row_text(sliced, 0), "7|s7|7.07");
  EXPECT_EQ(row_text(sliced, 2), "9|s9|9.09");
  Chunk empty = make_chunk(4).slice(4, 0);
  EXPECT_EQ(empty.size, 0u);
  EXPECT_EQ(empty.column_count(), 3u);
}

TEST(VectorChunk, InitResetsSize) {
  Chunk chunk = make_chunk(3);
  chunk.init({Type::boolean()}, 16);
  EXPECT_EQ(chunk.size, 0u);
  EXPECT_EQ(chunk.column_count(), 1u);
  EXPECT_EQ(chunk.columns[0].capacity(), 16u);
  EXPECT_EQ(chunk.memory_bytes(), 16u * 2u);
}
