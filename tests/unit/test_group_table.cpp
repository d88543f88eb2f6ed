// GroupTable: group ids agree with a reference map whichever path finds them (the per-call memo
// of key identities for strings and fixed-width keys, the bulk hashing it falls back to), for
// repeated addresses, equal bytes at different addresses, NULL keys and many distinct keys.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exec/group_table.h"

using namespace tributary;

namespace {

using Key = std::vector<std::optional<std::string>>;

// Runs find_or_create over `chunks` and checks every id against first-seen order of the keys.
void expect_consistent_groups(const std::vector<std::vector<Vector>>& chunks, const std::vector<size_t>& sizes) {
  std::vector<Type> types;
  for (const auto& v : chunks[0]) types.push_back(v.type());
  exec::MemoryTracker memory;
  exec::GroupTable table(types, 16, &memory);
  std::map<Key, uint32_t> expected;
  for (size_t c = 0; c < chunks.size(); c++) {
    std::vector<uint32_t> ids(sizes[c]);
    uint32_t created = 0;
    table.find_or_create(chunks[c], sizes[c], ids.data(), [&](uint32_t) { created++; });
    for (size_t row = 0; row < sizes[c]; row++) {
      Key key;
      for (const auto& column : chunks[c]) {
        Value value = column.get_value(row);
        key.push_back(value.is_null ? std::nullopt : std::optional<std::string>(value.to_string()));
      }
      auto [it, inserted] = expected.emplace(key, static_cast<uint32_t>(expected.size()));
      ASSERT_EQ(ids[row], it->second) << "chunk " << c << " row " << row;
    }
  }
  EXPECT_EQ(table.size(), expected.size());
}

}  // namespace

TEST(GroupTable, StringKeysFromOneDictionaryAndCopies) {
  // Rows share three dictionary strings by address; some rows hold equal bytes elsewhere.
  const size_t n = 3000;
  Vector flags(Type::varchar(), n), status(Type::varchar(), n);
  std::string_view dictionary[] = {flags.add_string("A"), flags.add_string("N"), flags.add_string("R")};
  std::string_view states[] = {status.add_string("F"), status.add_string("O")};
  for (size_t i = 0; i < n; i++) {
    flags.data<std::string_view>()[i] = i % 97 == 0 ? flags.add_string("N") : dictionary[(i * 7) % 3];
    status.data<std::string_view>()[i] = states[(i / 5) % 2];
  }
  expect_consistent_groups({{flags, status}}, {n});
}

TEST(GroupTable, NullKeysAndFixedWidthKeys) {
  const size_t n = 2048;
  Vector name(Type::varchar(), n), number(Type::bigint(), n);
  std::string_view words[] = {name.add_string("x"), name.add_string("y")};
  for (size_t i = 0; i < n; i++) {
    name.data<std::string_view>()[i] = words[i % 2];
    if (i % 11 == 0) name.set_null(i);
    number.data<int64_t>()[i] = static_cast<int64_t>(i % 3);
    if (i % 13 == 0) number.set_null(i);
  }
  expect_consistent_groups({{name, number}}, {n});
  expect_consistent_groups({{number}}, {n});
}

TEST(GroupTable, ManyDistinctKeysAcrossChunks) {
  std::vector<std::vector<Vector>> chunks;
  std::vector<size_t> sizes;
  for (size_t c = 0; c < 3; c++) {
    const size_t n = 2048;
    Vector key(Type::varchar(), n);
    for (size_t i = 0; i < n; i++) key.data<std::string_view>()[i] = key.add_string("k" + std::to_string((c * 1500 + i) % 5000));
    chunks.push_back({key});
    sizes.push_back(n);
  }
  expect_consistent_groups(chunks, sizes);
}
