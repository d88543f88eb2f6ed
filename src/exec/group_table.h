// GroupTable: an open-addressing hash table from key tuples to group ids, with
// keys stored column-wise (owned copies) and a fixed-size state block per group
// (aggregate states, set-operation counters). Used by hash aggregation and set
// operations. Not thread-safe: one per thread, merged by the owner.
// Rows whose keys are bit-for-bit identical to an earlier row of the same call (for strings:
// the same address and length, as values decoded from one dictionary are) reuse its group
// without hashing or comparing bytes; see find_with_memo.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "exec/exec_context.h"
#include "vector/vector.h"

namespace tributary::exec {

class GroupTable {
 public:
  GroupTable(std::vector<Type> key_types, size_t state_size, MemoryTracker* memory);
  ~GroupTable();

  // For rows 0..count-1 of `keys`, sets group_ids[i] (creating groups as needed).
  // `on_new_group(group)` is called for each group created (to init its state).
  template <class OnNew>
  void find_or_create(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids, OnNew&& on_new);

  size_t size() const { return groups_; }
  uint8_t* state(uint32_t group) { return states_[group]; }
  const std::vector<Vector>& keys() const { return keys_; }
  const std::vector<Type>& key_types() const { return key_types_; }

 private:
  // The memo of find_with_memo: up to kMemoMaxKeys key columns, kMemoSlots entries; it gives up
  // when more than half of the first kMemoTrialRows rows miss.
  static constexpr size_t kMemoMaxKeys = 4;
  static constexpr int kMemoBits = 6;
  static constexpr size_t kMemoSlots = size_t{1} << kMemoBits;
  static constexpr size_t kMemoTrialRows = 256;
  // Finds or creates the group of rows from the start; returns the first row it left undone.
  template <class OnNew>
  size_t find_with_memo(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids, OnNew& on_new);
  template <size_t Keys, class OnNew>
  size_t find_strings_with_memo(const std::vector<Vector>& keys, size_t count, uint32_t* group_ids, OnNew& on_new);
  // The group of `row` (of hash h), created when new.
  template <class OnNew>
  uint32_t probe(const std::vector<Vector>& keys, size_t row, uint64_t h, OnNew& on_new);
  uint32_t insert_group(const std::vector<Vector>& keys, size_t row, uint64_t hash);
  void grow();
  uint8_t* allocate_state();

  std::vector<Type> key_types_;
  size_t state_size_;
  MemoryTracker* memory_;
  std::vector<Vector> keys_;
  std::vector<uint64_t> hashes_;
  std::vector<uint8_t*> states_;
  std::vector<uint32_t> buckets_;  // group id + 1; 0 = empty
  size_t mask_ = 0;
  size_t groups_ = 0;
  std::vector<std::unique_ptr<uint8_t[]>> state_blocks_;
  uint8_t* block_cursor_ = nullptr;
  size_t block_remaining_ = 0;
  int64_t reserved_ = 0;
  std::vector<uint64_t> hash_scratch_;
};

}  // namespace tributary::exec

#include "exec/group_table_inl.h"
