#include "exec/row_keys.h"

#include <cmath>
#include <cstring>

namespace tributary::exec {

uint64_t hash_bytes(const char* data, size_t size) {
  // 64-bit FNV-1a over 8-byte words, finished with a strong mix.
  uint64_t h = 0xcbf29ce484222325ULL ^ (size * 0x9E3779B97F4A7C15ULL);
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  if (i < size) std::memcpy(&tail, data + i, size - i);
  h = (h ^ tail) * 0x100000001b3ULL;
  return mix64(h);
}

static constexpr uint64_t kNullHash = 0x5bd1e9955bd1e995ULL;

static inline uint64_t combine(uint64_t seed, uint64_t h) { return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)); }

void hash_column(const Vector& column, size_t count, uint64_t* hashes, bool first) {
  const uint8_t* nulls = column.may_have_nulls() ? column.nulls() : nullptr;
  auto put = [&](size_t i, uint64_t h) {
    if (nulls && nulls[i]) h = kNullHash;
    hashes[i] = first ? h : combine(hashes[i], h);
  };
  switch (column.type().physical()) {
    case PhysicalType::BOOL: {
      const uint8_t* d = column.data<uint8_t>();
      for (size_t i = 0; i < count; i++) put(i, mix64(d[i] + 1));
      break;
    }
    case PhysicalType::I64: {
      const int64_t* d = column.data<int64_t>();
      for (size_t i = 0; i < count; i++) put(i, mix64((uint64_t)d[i]));
      break;
    }
    case PhysicalType::F64: {
      const double* d = column.data<double>();
      for (size_t i = 0; i < count; i++) {
        double v = d[i];
        if (v == 0) v = 0;  // -0.0 == 0.0
        if (std::isnan(v)) v = NAN;
        uint64_t bits;
        std::memcpy(&bits, &v, 8);
        put(i, mix64(bits));
      }
      break;
    }
    case PhysicalType::I128: {
      const int128* d = column.data<int128>();
      for (size_t i = 0; i < count; i++) {
        uint64_t lo = (uint64_t)d[i], hi = (uint64_t)(d[i] >> 64);
        put(i, mix64(lo ^ mix64(hi)));
      }
      break;
    }
    case PhysicalType::STRING: {
      const std::string_view* d = column.data<std::string_view>();
      for (size_t i = 0; i < count; i++) put(i, hash_bytes(d[i].data(), d[i].size()));
      break;
    }
  }
}

// Must agree with hash_column value for value.
static uint64_t hash_value(const Vector& column, size_t i) {
  if (column.may_have_nulls() && column.is_null(i)) return kNullHash;
  switch (column.type().physical()) {
    case PhysicalType::BOOL: return mix64(column.data<uint8_t>()[i] + 1);
    case PhysicalType::I64: return mix64((uint64_t)column.data<int64_t>()[i]);
    case PhysicalType::F64: {
      double v = column.data<double>()[i];
      if (v == 0) v = 0;
      if (std::isnan(v)) v = NAN;
      uint64_t bits;
      std::memcpy(&bits, &v, 8);
      return mix64(bits);
    }
    case PhysicalType::I128: {
      int128 v = column.data<int128>()[i];
      uint64_t lo = (uint64_t)v, hi = (uint64_t)(v >> 64);
      return mix64(lo ^ mix64(hi));
    }
    case PhysicalType::STRING: {
      std::string_view v = column.data<std::string_view>()[i];
      return hash_bytes(v.data(), v.size());
    }
  }
  return 0;
}

uint64_t hash_row(const std::vector<Vector>& keys, size_t row) {
  uint64_t h = 0;
  for (size_t k = 0; k < keys.size(); k++) {
    uint64_t v = hash_value(keys[k], row);
    h = k == 0 ? v : combine(h, v);
  }
  return h;
}

bool values_equal(const Vector& a, size_t i, const Vector& b, size_t j) {
  bool an = a.is_null(i), bn = b.is_null(j);
  if (an || bn) return an == bn;
  switch (a.type().physical()) {
    case PhysicalType::BOOL: return a.data<uint8_t>()[i] == b.data<uint8_t>()[j];
    case PhysicalType::I64: return a.data<int64_t>()[i] == b.data<int64_t>()[j];
    case PhysicalType::F64: {
      double x = a.data<double>()[i], y = b.data<double>()[j];
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case PhysicalType::I128: return a.data<int128>()[i] == b.data<int128>()[j];
    case PhysicalType::STRING: return a.data<std::string_view>()[i] == b.data<std::string_view>()[j];
  }
  return false;
}

int compare_values(const Vector& a, size_t i, const Vector& b, size_t j) {
  switch (a.type().physical()) {
    case PhysicalType::BOOL: return (int)a.data<uint8_t>()[i] - (int)b.data<uint8_t>()[j];
    case PhysicalType::I64: {
      int64_t x = a.data<int64_t>()[i], y = b.data<int64_t>()[j];
      return x < y ? -1 : x > y;
    }
    case PhysicalType::F64: {
      double x = a.data<double>()[i], y = b.data<double>()[j];
      // NaN sorts last (greater than everything), as in Trino.
      bool xn = std::isnan(x), yn = std::isnan(y);
      if (xn || yn) return (int)xn - (int)yn;
      return x < y ? -1 : x > y;
    }
    case PhysicalType::I128: {
      int128 x = a.data<int128>()[i], y = b.data<int128>()[j];
      return x < y ? -1 : x > y;
    }
    case PhysicalType::STRING: {
      int c = a.data<std::string_view>()[i].compare(b.data<std::string_view>()[j]);
      return c < 0 ? -1 : c > 0;
    }
  }
  return 0;
}

void append_owned(const Vector& from, size_t row, Vector& to, size_t at) {
  if (at >= to.capacity()) to.grow(std::max<size_t>(to.capacity() * 2, at + 1), at);
  if (from.is_null(row)) {
    to.set_null(at);
    return;
  }
  to.nulls()[at] = 0;
  switch (to.type().physical()) {
    case PhysicalType::BOOL: to.data<uint8_t>()[at] = from.data<uint8_t>()[row]; break;
    case PhysicalType::I64: to.data<int64_t>()[at] = from.data<int64_t>()[row]; break;
    case PhysicalType::F64: to.data<double>()[at] = from.data<double>()[row]; break;
    case PhysicalType::I128: to.data<int128>()[at] = from.data<int128>()[row]; break;
    case PhysicalType::STRING:
      to.data<std::string_view>()[at] = to.add_string(from.data<std::string_view>()[row]);
      break;
  }
}

Chunk concatenate(const std::vector<Chunk>& chunks, const std::vector<Type>& types) {
  size_t total = 0;
  for (const auto& c : chunks) total += c.size;
  Chunk out(types, std::max<size_t>(total, 1));
  size_t offset = 0;
  for (const auto& c : chunks) {
    for (size_t col = 0; col < types.size(); col++) out.columns[col].gather(c.columns[col], nullptr, c.size, offset);
    offset += c.size;
  }
  out.size = total;
  return out;
}

}  // namespace tributary::exec
