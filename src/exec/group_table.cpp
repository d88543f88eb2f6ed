#include "exec/group_table.h"

#include <cstring>

namespace tributary::exec {

static constexpr size_t kStateBlock = 256 * 1024;

GroupTable::GroupTable(std::vector<Type> key_types, size_t state_size, MemoryTracker* memory)
    : key_types_(std::move(key_types)), state_size_((state_size + 15) & ~size_t(15)), memory_(memory) {
  for (const auto& t : key_types_) keys_.emplace_back(t, 64);
  buckets_.assign(64, 0);
  mask_ = 63;
}

GroupTable::~GroupTable() {
  if (memory_ && reserved_) memory_->release(reserved_);
}

uint8_t* GroupTable::allocate_state() {
  if (state_size_ == 0) return nullptr;
  if (block_remaining_ < state_size_) {
    size_t bytes = std::max(kStateBlock, state_size_);
    if (memory_) {
      memory_->reserve((int64_t)bytes);
      reserved_ += (int64_t)bytes;
    }
    state_blocks_.emplace_back(new uint8_t[bytes]);
    block_cursor_ = state_blocks_.back().get();
    block_remaining_ = bytes;
  }
  uint8_t* out = block_cursor_;
  block_cursor_ += state_size_;
  block_remaining_ -= state_size_;
  return out;
}

uint32_t GroupTable::insert_group(const std::vector<Vector>& keys, size_t row, uint64_t hash) {
  // Everything that can throw (memory reservations) happens before the group is counted,
  // so a LIMIT_EXCEEDED never leaves a counted group without an initialized state.
  uint32_t group = (uint32_t)groups_;
  uint8_t* state = allocate_state();
  for (size_t k = 0; k < keys.size(); k++) {
    size_t before = keys_[k].memory_bytes();
    append_owned(keys[k], row, keys_[k], group);
    if (memory_) {
      int64_t delta = (int64_t)keys_[k].memory_bytes() - (int64_t)before;
      if (delta > 0) {
        memory_->reserve(delta);
        reserved_ += delta;
      }
    }
  }
  hashes_.push_back(hash);
  states_.push_back(state);
  groups_++;
  return group;
}

void GroupTable::grow() {
  size_t capacity = buckets_.size() * 2;
  if (memory_) {
    memory_->reserve((int64_t)(capacity * sizeof(uint32_t)));
    reserved_ += (int64_t)(capacity * sizeof(uint32_t));
  }
  std::vector<uint32_t> buckets(capacity, 0);
  size_t mask = capacity - 1;
  for (size_t g = 0; g < groups_; g++) {
    size_t slot = hashes_[g] & mask;
    while (buckets[slot] != 0) slot = (slot + 1) & mask;
    buckets[slot] = (uint32_t)g + 1;
  }
  buckets_.swap(buckets);
  mask_ = mask;
}

}  // namespace tributary::exec

namespace tributary::exec {

void MemoryTracker::reserve(int64_t bytes) {
  int64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
  if (limit_ > 0 && now > limit_) {
    used_.fetch_sub(bytes, std::memory_order_relaxed);
    throw_error(ErrorCode::LIMIT_EXCEEDED, "Query exceeded per-query memory limit of " +
                                               std::to_string(limit_ / (1024 * 1024)) + "MB");
  }
}

}  // namespace tributary::exec
