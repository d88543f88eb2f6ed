#include "vector/vector.h"

#include <algorithm>

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

static std::shared_ptr<uint8_t[]> allocate_buffer(size_t bytes) {
  // Rounded up and 16-byte aligned (operator new[] for uint8_t aligns to __STDCPP_DEFAULT_NEW_ALIGNMENT__=16).
  return std::shared_ptr<uint8_t[]>(new uint8_t[std::max<size_t>(bytes, 16)]);
}

Vector::Vector(Type type, size_t capacity) : type_(type), capacity_(capacity) {
  width_ = physical_width(type.physical());
  data_ = allocate_buffer(width_ * capacity);
  nulls_ = allocate_buffer(capacity);
  std::memset(nulls_.get(), 0, capacity);
  if (type.physical() == PhysicalType::STRING) {
    auto* views = data<std::string_view>();
    for (size_t i = 0; i < capacity; i++) new (&views[i]) std::string_view();
  }
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
  if (type_.physical() == PhysicalType::STRING) {
    auto* views = reinterpret_cast<std::string_view*>(data.get());
    for (size_t i = keep; i < new_capacity; i++) new (&views[i]) std::string_view();
  }
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
