#include "vector/vector.h"

#include <algorithm>
#include <array>
#include <type_traits>

#include "common/error.h"

namespace tributary {

static constexpr size_t kHeapBlock = 64 * 1024;

char* StringHeap::allocate(size_t n) {
  if (n > remaining_) {
    size_t block = std::max(kHeapBlock, n);
    blocks_.emplace_back(new char[block]);
    cursor_ = blocks_.back().get();
    remaining_ = block;
  }
  char* out = cursor_;
  cursor_ += n;
  remaining_ -= n;
  total_ += n;
  return out;
}

std::string_view StringHeap::add(std::string_view s) {
  if (s.empty()) return std::string_view();
  char* p = allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return std::string_view(p, s.size());
}

size_t physical_width(PhysicalType p) {
  switch (p) {
    case PhysicalType::BOOL: return 1;
    case PhysicalType::I64: return 8;
    case PhysicalType::F64: return 8;
    case PhysicalType::I128: return 16;
    case PhysicalType::STRING: return sizeof(std::string_view);
  }
  return 8;
}

namespace {

// Chunk-sized buffers are allocated and freed thousands of times per query (every operator
// makes new vectors per chunk); a small per-thread cache of freed buffers of the same sizes
// spares malloc's bins and the page faults of memory it gave back. A buffer freed on another
// thread joins that thread's cache.
class BufferCache {
 public:
  static constexpr size_t kMinBytes = 1024;
  static constexpr size_t kMaxBytes = 64 * 1024;
  static constexpr size_t kPerSize = 64;

  ~BufferCache() {
    destroyed_ = true;
    for (auto& bin : bins_)
      for (uint8_t* p : bin.free) delete[] p;
  }
  static bool usable() { return !destroyed_; }
  uint8_t* take(size_t bytes) {
    for (auto& bin : bins_) {
      if (bin.bytes == bytes && !bin.free.empty()) {
        uint8_t* p = bin.free.back();
        bin.free.pop_back();
        return p;
      }
    }
    return nullptr;
  }
  bool give(uint8_t* p, size_t bytes) {
    for (auto& bin : bins_) {
      if (bin.bytes == bytes) {
        if (bin.free.size() >= kPerSize) return false;
        bin.free.push_back(p);
        return true;
      }
    }
    for (auto& bin : bins_) {
      if (bin.free.empty()) {
        bin.bytes = bytes;
        bin.free.push_back(p);
        return true;
      }
    }
    return false;
  }

 private:
  struct Bin {
    size_t bytes = 0;
    std::vector<uint8_t*> free;
  };
  std::array<Bin, 8> bins_;
  static thread_local bool destroyed_;
};

thread_local bool BufferCache::destroyed_ = false;
thread_local BufferCache t_buffer_cache;

}  // namespace

// Empty string views in slots [from, to) of a buffer of views. libstdc++'s (and libc++'s)
// empty string_view is all zero bytes, so one memset does it where the compiler would store
// one view at a time; the static_assert keeps that assumption checked.
static void init_empty_views(uint8_t* buffer, size_t from, size_t to) {
  static_assert(std::is_trivially_copyable_v<std::string_view> && sizeof(std::string_view) == 16);
  if (to > from) std::memset(buffer + from * sizeof(std::string_view), 0, (to - from) * sizeof(std::string_view));
}

static std::shared_ptr<uint8_t[]> allocate_buffer(size_t bytes) {
  // Rounded up and 16-byte aligned (operator new[] for uint8_t aligns to __STDCPP_DEFAULT_NEW_ALIGNMENT__=16).
  bytes = std::max<size_t>(bytes, 16);
  if (bytes < BufferCache::kMinBytes || bytes > BufferCache::kMaxBytes || !BufferCache::usable()) {
    return std::shared_ptr<uint8_t[]>(new uint8_t[bytes]);
  }
  uint8_t* p = t_buffer_cache.take(bytes);
  if (!p) p = new uint8_t[bytes];
  return std::shared_ptr<uint8_t[]>(p, [bytes](uint8_t* buffer) {
    if (!BufferCache::usable() || !t_buffer_cache.give(buffer, bytes)) delete[] buffer;
  });
}

Vector::Vector(Type type, size_t capacity) : type_(type), capacity_(capacity) {
  width_ = physical_width(type.physical());
  data_ = allocate_buffer(width_ * capacity);
  nulls_ = allocate_buffer(capacity);
  std::memset(nulls_.get(), 0, capacity);
  if (type.physical() == PhysicalType::STRING) init_empty_views(data_.get(), 0, capacity);
}

StringHeap& Vector::heap() {
  if (!own_heap_) own_heap_ = std::make_shared<StringHeap>();
  return *own_heap_;
}

std::string_view Vector::add_string(std::string_view s) { return heap().add(s); }

void Vector::share_heaps(const Vector& other) {
  if (&other == this) return;
  if (other.own_heap_) shared_heaps_.push_back(other.own_heap_);
  for (auto& h : other.shared_heaps_) shared_heaps_.push_back(h);
  if (shared_heaps_.size() > 64) {
    std::sort(shared_heaps_.begin(), shared_heaps_.end());
    shared_heaps_.erase(std::unique(shared_heaps_.begin(), shared_heaps_.end()), shared_heaps_.end());
  }
}

Value Vector::get_value(size_t row) const {
  if (is_null(row) || type_.id == TypeId::UNKNOWN) return Value::null(type_);
  switch (type_.physical()) {
    case PhysicalType::BOOL: {
      Value v = Value::boolean(data<uint8_t>()[row] != 0);
      v.type = type_;
      return v;
    }
    case PhysicalType::I64: return Value::integer(data<int64_t>()[row], type_);
    case PhysicalType::F64: return Value::floating(data<double>()[row], type_);
    case PhysicalType::I128: return Value::decimal(data<int128>()[row], type_);
    case PhysicalType::STRING: return Value::string(std::string(data<std::string_view>()[row]), type_);
  }
  return Value::null(type_);
}

void Vector::set_value(size_t row, const Value& value) {
  if (value.is_null) {
    set_null(row);
    return;
  }
  nulls_[row] = 0;
  switch (type_.physical()) {
    case PhysicalType::BOOL: data<uint8_t>()[row] = value.b; break;
    case PhysicalType::I64: data<int64_t>()[row] = value.i; break;
    case PhysicalType::F64: data<double>()[row] = value.d; break;
    case PhysicalType::I128: data<int128>()[row] = value.dec; break;
    case PhysicalType::STRING: data<std::string_view>()[row] = add_string(value.s); break;
  }
}

void Vector::gather(const Vector& src, const uint32_t* sel, size_t count, size_t offset) {
  if (offset + count > capacity_) grow(std::max(offset + count, capacity_ * 2), offset);
  const uint8_t* src_data = src.data_.get();
  uint8_t* dst = data_.get() + offset * width_;
  uint8_t* dst_nulls = nulls_.get() + offset;
  switch (type_.physical() == PhysicalType::STRING ? 0 : width_) {
    case 1:
      for (size_t i = 0; i < count; i++) dst[i] = src_data[sel ? sel[i] : i];
      break;
    case 8: {
      auto* d = reinterpret_cast<uint64_t*>(dst);
      auto* s = reinterpret_cast<const uint64_t*>(src_data);
      if (sel)
        for (size_t i = 0; i < count; i++) d[i] = s[sel[i]];
      else
        std::memcpy(d, s, count * 8);
      break;
    }
    case 16: {
      auto* d = reinterpret_cast<int128*>(dst);
      auto* s = reinterpret_cast<const int128*>(src_data);
      for (size_t i = 0; i < count; i++) d[i] = s[sel ? sel[i] : i];
      break;
    }
    default: {
      auto* d = reinterpret_cast<std::string_view*>(dst);
      auto* s = reinterpret_cast<const std::string_view*>(src_data);
      for (size_t i = 0; i < count; i++) d[i] = s[sel ? sel[i] : i];
      share_heaps(src);
      break;
    }
  }
  if (src.may_have_nulls_) {
    const uint8_t* sn = src.nulls_.get();
    bool any = false;
    for (size_t i = 0; i < count; i++) {
      dst_nulls[i] = sn[sel ? sel[i] : i];
      any |= dst_nulls[i];
    }
    if (any) may_have_nulls_ = true;
  } else {
    std::memset(dst_nulls, 0, count);
  }
}

void Vector::grow(size_t new_capacity, size_t keep) {
  if (new_capacity <= capacity_) return;
  auto data = allocate_buffer(width_ * new_capacity);
  auto nulls = allocate_buffer(new_capacity);
  std::memcpy(data.get(), data_.get(), keep * width_);
  std::memcpy(nulls.get(), nulls_.get(), keep);
  std::memset(nulls.get() + keep, 0, new_capacity - keep);
  if (type_.physical() == PhysicalType::STRING) init_empty_views(data.get(), keep, new_capacity);
  data_ = data;
  nulls_ = nulls;
  capacity_ = new_capacity;
}

Vector Vector::constant(const Value& value, size_t count) {
  Vector v(value.type, std::max<size_t>(count, 1));
  if (value.is_null || value.type.id == TypeId::UNKNOWN) {
    std::memset(v.nulls(), 1, v.capacity());
    v.may_have_nulls_ = true;
    return v;
  }
  switch (value.type.physical()) {
    case PhysicalType::BOOL: std::fill_n(v.data<uint8_t>(), count, (uint8_t)value.b); break;
    case PhysicalType::I64: std::fill_n(v.data<int64_t>(), count, value.i); break;
    case PhysicalType::F64: std::fill_n(v.data<double>(), count, value.d); break;
    case PhysicalType::I128: std::fill_n(v.data<int128>(), count, value.dec); break;
    case PhysicalType::STRING: {
      std::string_view s = v.add_string(value.s);
      std::fill_n(v.data<std::string_view>(), count, s);
      break;
    }
  }
  return v;
}

size_t Vector::memory_bytes() const {
  size_t bytes = capacity_ * (width_ + 1);
  if (own_heap_) bytes += own_heap_->bytes();
  return bytes;
}

void Chunk::init(const std::vector<Type>& types, size_t capacity) {
  columns.clear();
  columns.reserve(types.size());
  for (const auto& t : types) columns.emplace_back(t, capacity);
  size = 0;
}

std::vector<Type> Chunk::types() const {
  std::vector<Type> out;
  for (const auto& c : columns) out.push_back(c.type());
  return out;
}

Chunk Chunk::select(const uint32_t* sel, size_t count) const {
  Chunk out;
  out.columns.reserve(columns.size());
  for (const auto& c : columns) {
    Vector v(c.type(), std::max<size_t>(count, 1));
    v.gather(c, sel, count);
    out.columns.push_back(std::move(v));
  }
  out.size = count;
  return out;
}

Chunk Chunk::slice(size_t offset, size_t count) const {
  std::vector<uint32_t> sel(count);
  for (size_t i = 0; i < count; i++) sel[i] = (uint32_t)(offset + i);
  return select(sel.data(), count);
}

size_t Chunk::memory_bytes() const {
  size_t bytes = 0;
  for (const auto& c : columns) bytes += c.memory_bytes();
  return bytes;
}

}  // namespace tributary
