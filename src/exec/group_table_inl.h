// Inline hot path of GroupTable::find_or_create.
#pragma once
#include "exec/row_keys.h"

namespace tributary::exec {

template <class OnNew>
void GroupTable::find_or_create(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids, OnNew&& on_new) {
  if (hash_scratch_.size() < count) hash_scratch_.resize(count);
  uint64_t* hashes = hash_scratch_.data();
  if (keys.empty()) {
    for (size_t i = 0; i < count; i++) hashes[i] = 0;
  }
  for (size_t k = 0; k < keys.size(); k++) hash_column(keys[k], count, hashes, k == 0);
  for (size_t i = 0; i < count; i++) {
    if ((groups_ + 1) * 2 > buckets_.size()) grow();
    uint64_t h = hashes[i];
    size_t slot = h & mask_;
    while (true) {
      uint32_t entry = buckets_[slot];
      if (entry == 0) {
        uint32_t group = insert_group(keys, i, h);
        buckets_[slot] = group + 1;
        on_new(group);
        group_ids[i] = group;
        break;
      }
      uint32_t group = entry - 1;
      if (hashes_[group] == h) {
        bool equal = true;
        for (size_t k = 0; k < keys.size() && equal; k++) equal = values_equal(keys[k], i, keys_[k], group);
        if (equal) {
          group_ids[i] = group;
          break;
        }
      }
      slot = (slot + 1) & mask_;
    }
  }
}

}  // namespace tributary::exec
