// Columnar data: Vector (one typed column of up to `capacity` rows with a
// null map), StringHeap (arena owning string bytes) and Chunk (a batch of
// equally long vectors, the unit every operator consumes and produces).
//
// Ownership: a Vector's buffers are shared_ptrs, so copying a Vector is O(1)
// and shares data. Vectors are written only by the operator that creates them;
// once handed on they are treated as immutable. Not thread-safe for writes.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "common/value.h"

namespace tributary {

constexpr size_t kChunkCapacity = 2048;

class StringHeap {
 public:
  // Copies `s` into the heap; the view stays valid as long as the heap lives.
  std::string_view add(std::string_view s);
  char* allocate(size_t n);
  size_t bytes() const { return total_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t total_ = 0;
};

class Vector {
 public:
  Vector() = default;
  explicit Vector(Type type, size_t capacity = kChunkCapacity);

  const Type& type() const { return type_; }
  size_t capacity() const { return capacity_; }

  template <class T>
  T* data() {
    return reinterpret_cast<T*>(data_.get());
  }
  template <class T>
  const T* data() const {
    return reinterpret_cast<const T*>(data_.get());
  }
  // One byte per row: 1 = NULL. Always allocated to capacity.
  uint8_t* nulls() { return nulls_.get(); }
  const uint8_t* nulls() const { return nulls_.get(); }
  bool is_null(size_t row) const { return nulls_[row] != 0; }
  void set_null(size_t row, bool null = true) {
    nulls_[row] = null;
    if (null) may_have_nulls_ = true;
  }
  // False guarantees that no row is NULL; true means "check nulls()".
  bool may_have_nulls() const { return may_have_nulls_; }
  void mark_may_have_nulls() { may_have_nulls_ = true; }
  void set_all_valid(size_t count) {
    std::memset(nulls_.get(), 0, count);
    may_have_nulls_ = false;
  }

  // Copies string bytes into this vector's own heap.
  std::string_view add_string(std::string_view s);
  // Keeps `other`'s string heaps alive as long as this vector (for views copied from it).
  void share_heaps(const Vector& other);
  StringHeap& heap();

  // Generic (slow) access for tests, constants and output.
  Value get_value(size_t row) const;
  void set_value(size_t row, const Value& value);

  // this[offset + i] = src[sel ? sel[i] : i] for i < count. Types must have the same physical type.
  void gather(const Vector& src, const uint32_t* sel, size_t count, size_t offset = 0);
  // Grows capacity preserving the first `keep` rows.
  void grow(size_t new_capacity, size_t keep);
  // A vector of `count` copies of one value.
  static Vector constant(const Value& value, size_t count);
  // Bytes held by this vector's buffers (for memory accounting).
  size_t memory_bytes() const;

 private:
  Type type_;
  size_t capacity_ = 0;
  size_t width_ = 0;
  std::shared_ptr<uint8_t[]> data_;
  std::shared_ptr<uint8_t[]> nulls_;
  bool may_have_nulls_ = false;
  std::shared_ptr<StringHeap> own_heap_;
  std::vector<std::shared_ptr<StringHeap>> shared_heaps_;
};

size_t physical_width(PhysicalType p);

struct Chunk {
  std::vector<Vector> columns;
  size_t size = 0;

  Chunk() = default;
  explicit Chunk(const std::vector<Type>& types, size_t capacity = kChunkCapacity) { init(types, capacity); }
  void init(const std::vector<Type>& types, size_t capacity = kChunkCapacity);
  size_t column_count() const { return columns.size(); }
  std::vector<Type> types() const;
  // A new chunk holding rows sel[0..count) of this one.
  Chunk select(const uint32_t* sel, size_t count) const;
  // Rows [offset, offset+count) as a new chunk (copied).
  Chunk slice(size_t offset, size_t count) const;
  size_t memory_bytes() const;
};

}  // namespace tributary
