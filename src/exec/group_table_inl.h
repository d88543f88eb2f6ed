// Inline hot path of GroupTable::find_or_create.
#pragma once
#include <algorithm>
#include <cstring>

#include "exec/row_keys.h"

namespace tributary::exec {

template <class OnNew>
uint32_t GroupTable::probe(const std::vector<Vector>& keys, size_t row, uint64_t h, OnNew& on_new) {
  if ((groups_ + 1) * 2 > buckets_.size()) grow();
  size_t slot = h & mask_;
  while (true) {
    uint32_t entry = buckets_[slot];
    if (entry == 0) {
      uint32_t group = insert_group(keys, row, h);
      buckets_[slot] = group + 1;
      on_new(group);
      return group;
    }
    uint32_t group = entry - 1;
    if (hashes_[group] == h) {
      bool equal = true;
      for (size_t k = 0; k < keys.size() && equal; k++) equal = values_equal(keys[k], row, keys_[k], group);
      if (equal) return group;
    }
    slot = (slot + 1) & mask_;
  }
}

// Rows whose key values are bit-for-bit identical (for strings: the same bytes at the same
// address, as rows decoded from one dictionary are) belong to the same group. A small
// direct-mapped memo of such identities, valid for this call only (a later chunk may reuse the
// addresses), skips hashing and comparing key bytes for repeated keys. When the first rows show
// mostly distinct keys the memo stops and the rest go through bulk hashing.
template <class OnNew>
size_t GroupTable::find_with_memo(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids,
                                  OnNew& on_new) {
  constexpr uint32_t kEmpty = UINT32_MAX;
  struct Entry {
    uint64_t identity[2 * kMemoMaxKeys];
    uint32_t group;
  };
  Entry memo[kMemoSlots];
  for (auto& e : memo) e.group = kEmpty;
  const size_t key_count = keys.size();
  PhysicalType types[kMemoMaxKeys];
  const uint8_t* data[kMemoMaxKeys];
  const uint8_t* nulls[kMemoMaxKeys];
  for (size_t k = 0; k < key_count; k++) {
    types[k] = keys[k].type().physical();
    data[k] = keys[k].template data<uint8_t>();
    nulls[k] = keys[k].may_have_nulls() ? keys[k].nulls() : nullptr;
  }
  size_t misses = 0;
  for (size_t i = 0; i < count; i++) {
    if (i == kMemoTrialRows && misses * 2 > kMemoTrialRows) return i;
    uint64_t identity[2 * kMemoMaxKeys];
    bool has_null = false;
    uint64_t mix = 0;
    for (size_t k = 0; k < key_count; k++) {
      uint64_t a = 0, b = 0;
      switch (types[k]) {
        case PhysicalType::BOOL: a = data[k][i]; break;
        case PhysicalType::I64:
        case PhysicalType::F64: std::memcpy(&a, data[k] + 8 * i, 8); break;
        case PhysicalType::I128:
          std::memcpy(&a, data[k] + 16 * i, 8);
          std::memcpy(&b, data[k] + 16 * i + 8, 8);
          break;
        case PhysicalType::STRING: {
          std::string_view v;
          std::memcpy(&v, data[k] + sizeof(std::string_view) * i, sizeof v);
          a = reinterpret_cast<uintptr_t>(v.data());
          b = v.size();
          break;
        }
      }
      if (nulls[k] && nulls[k][i]) has_null = true;
      identity[2 * k] = a;
      identity[2 * k + 1] = b;
      mix = (mix ^ a) * 0x9E3779B97F4A7C15ULL;
      mix = (mix ^ b) * 0xC2B2AE3D27D4EB4FULL;
    }
    if (has_null) {
      misses++;
      group_ids[i] = probe(keys, i, hash_row(keys, i), on_new);
      continue;
    }
    Entry& e = memo[mix >> (64 - kMemoBits)];
    bool hit = e.group != kEmpty;
    for (size_t w = 0; w < 2 * key_count; w++) hit &= e.identity[w] == identity[w];
    if (hit) {
      group_ids[i] = e.group;
      continue;
    }
    misses++;
    uint32_t group = probe(keys, i, hash_row(keys, i), on_new);
    std::memcpy(e.identity, identity, sizeof(uint64_t) * 2 * key_count);
    e.group = group;
    group_ids[i] = group;
  }
  return count;
}

// find_with_memo for keys that are all non-NULL strings (the usual GROUP BY of dictionary-
// encoded text): the identity is each value's address and length.
template <size_t Keys, class OnNew>
size_t GroupTable::find_strings_with_memo(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids,
                                          OnNew& on_new) {
  constexpr uint32_t kEmpty = UINT32_MAX;
  struct Entry {
    const char* data[Keys];
    size_t size[Keys];
    uint32_t group;
  };
  Entry memo[kMemoSlots];
  for (auto& e : memo) e.group = kEmpty;
  const std::string_view* values[Keys];
  for (size_t k = 0; k < Keys; k++) values[k] = keys[k].template data<std::string_view>();
  size_t misses = 0;
  for (size_t i = 0; i < count; i++) {
    if (i == kMemoTrialRows && misses * 2 > kMemoTrialRows) return i;
    uint64_t mix = 0;
    for (size_t k = 0; k < Keys; k++) {
      mix = (mix ^ reinterpret_cast<uintptr_t>(values[k][i].data())) * 0x9E3779B97F4A7C15ULL;
      mix = (mix ^ values[k][i].size()) * 0xC2B2AE3D27D4EB4FULL;
    }
    Entry& e = memo[mix >> (64 - kMemoBits)];
    bool hit = e.group != kEmpty;
    for (size_t k = 0; k < Keys; k++) {
      hit &= e.data[k] == values[k][i].data();
      hit &= e.size[k] == values[k][i].size();
    }
    if (hit) {
      group_ids[i] = e.group;
      continue;
    }
    misses++;
    uint32_t group = probe(keys, i, hash_row(keys, i), on_new);
    for (size_t k = 0; k < Keys; k++) {
      e.data[k] = values[k][i].data();
      e.size[k] = values[k][i].size();
    }
    e.group = group;
    group_ids[i] = group;
  }
  return count;
}

template <class OnNew>
void GroupTable::find_or_create(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids, OnNew&& on_new) {
  if (keys.empty()) {  // a global aggregate: one group
    if (count == 0) return;
    uint32_t group = probe(keys, 0, 0, on_new);
    std::fill_n(group_ids, count, group);
    return;
  }
  size_t first = 0;
  if (keys.size() <= kMemoMaxKeys && count >= kMemoTrialRows) {
    bool strings = true;
    for (const auto& key : keys) strings &= key.type().physical() == PhysicalType::STRING && !key.may_have_nulls();
    if (strings && keys.size() == 1) {
      first = find_strings_with_memo<1>(keys, count, group_ids, on_new);
    } else if (strings && keys.size() == 2) {
      first = find_strings_with_memo<2>(keys, count, group_ids, on_new);
    } else {
      first = find_with_memo(keys, count, group_ids, on_new);
    }
    if (first == count) return;
  }
  if (hash_scratch_.size() < count) hash_scratch_.resize(count);
  uint64_t* hashes = hash_scratch_.data();
  for (size_t k = 0; k < keys.size(); k++) hash_column(keys[k], count, hashes, k == 0);
  for (size_t i = first; i < count; i++) group_ids[i] = probe(keys, i, hashes[i], on_new);
}

}  // namespace tributary::exec
