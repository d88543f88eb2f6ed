#include "connector/domain_filter.h"

#include <algorithm>
#include <limits>
#include <type_traits>

#include "common/decimal.h"

namespace tributary {

namespace {

constexpr size_t kPointsThreshold = 8;

template <class T>
struct Unsigned {
  using type = std::make_unsigned_t<T>;
};
template <>
struct Unsigned<int128> {
  using type = unsigned __int128;
};

}  // namespace

std::optional<DomainFilter> DomainFilter::compile(const Domain& domain, const Type& type) {
  if (domain.all) return std::nullopt;  // only NULLs could be dropped: not worth a pass
  DomainFilter f;
  f.physical_ = type.physical();
  f.null_allowed_ = domain.null_allowed;
  if (type.id == TypeId::REAL || type.id == TypeId::DOUBLE || type.id == TypeId::VARBINARY) return std::nullopt;
  // Converts a bound to the column's representation; false when that is not exact.
  auto convert = [&](const Value& v, auto* out) -> bool {
    using T = std::remove_pointer_t<decltype(out)>;
    if (v.is_null) return false;
    const TypeId id = v.type.id;
    if constexpr (std::is_same_v<T, int64_t>) {
      if (v.type.physical() != PhysicalType::I64) return false;
      if (!(id == type.id || (v.type.is_integer() && type.is_integer()))) return false;
      if (id == TypeId::TIMESTAMP && v.type.precision != type.precision) return false;
      *out = v.i;
      return true;
    } else if constexpr (std::is_same_v<T, int128>) {
      if (v.type.is_integer()) {
        *out = (int128)v.i * decimal::pow10(type.scale);
        return true;
      }
      if (id != TypeId::DECIMAL || v.type.scale > type.scale) return false;
      *out = decimal::rescale(v.dec, v.type.scale, type.scale);
      return true;
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      if (id != TypeId::VARCHAR) return false;
      f.strings_->push_back(v.s);
      *out = std::string_view();  // pointed at the stored copy once all are stored
      return true;
    } else {
      if (id != TypeId::BOOLEAN) return false;
      *out = v.b;
      return true;
    }
  };
  auto build = [&](auto& ranges, auto& points) -> bool {
    using B = typename std::decay_t<decltype(ranges)>::value_type;
    for (const Range& r : domain.ranges) {
      B b;
      b.low_unbounded = r.low_unbounded;
      b.high_unbounded = r.high_unbounded;
      b.low_inclusive = r.low_inclusive;
      b.high_inclusive = r.high_inclusive;
      if (!r.low_unbounded && !convert(r.low, &b.low)) return false;
      if (!r.high_unbounded && !convert(r.high, &b.high)) return false;
      ranges.push_back(b);
    }
    bool all_points = ranges.size() > kPointsThreshold &&
                      std::all_of(domain.ranges.begin(), domain.ranges.end(), [](const Range& r) { return r.is_single_value(); });
    if constexpr (std::is_same_v<B, Bounds<std::string_view>>) {
      // Point the views at the stored strings (stored in bound order, low before high).
      size_t next = 0;
      for (auto& b : ranges) {
        if (!b.low_unbounded) b.low = (*f.strings_)[next++];
        if (!b.high_unbounded) b.high = (*f.strings_)[next++];
      }
    }
    if (all_points) {
      for (const auto& b : ranges) points.push_back(b.low);
      std::sort(points.begin(), points.end());
      ranges.clear();
    }
    return true;
  };
  bool ok = false;
  switch (f.physical_) {
    case PhysicalType::I64:
      if (type.id == TypeId::INTERVAL_DAY_TIME || type.id == TypeId::INTERVAL_YEAR_MONTH || type.is_integer() ||
          type.id == TypeId::DATE || type.id == TypeId::TIMESTAMP)
        ok = build(f.i64_, f.i64_points_);
      break;
    case PhysicalType::I128: ok = type.id == TypeId::DECIMAL && build(f.i128_, f.i128_points_); break;
    case PhysicalType::STRING:
      f.strings_ = std::make_shared<std::vector<std::string>>();
      f.strings_->reserve(domain.ranges.size() * 2);
      ok = type.id == TypeId::VARCHAR && build(f.str_, f.str_points_);
      break;
    case PhysicalType::BOOL: ok = type.id == TypeId::BOOLEAN && build(f.bool_, f.bool_points_); break;
    case PhysicalType::F64: ok = false; break;
  }
  if (!ok) return std::nullopt;
  f.i64_closed_ = close(f.i64_);
  f.i128_closed_ = close(f.i128_);
  f.bool_closed_ = close(f.bool_);
  return f;
}

template <class T>
std::vector<DomainFilter::Closed<T>> DomainFilter::close(const std::vector<Bounds<T>>& ranges) {
  T lowest, highest;
  if constexpr (std::is_same_v<T, int128>) {
    highest = static_cast<int128>((static_cast<unsigned __int128>(1) << 127) - 1);
    lowest = -highest - 1;
  } else {
    lowest = std::numeric_limits<T>::min();
    highest = std::numeric_limits<T>::max();
  }
  std::vector<Closed<T>> out;
  for (const auto& b : ranges) {
    Closed<T> c{lowest, highest};
    if (!b.low_unbounded) {
      if (!b.low_inclusive && b.low == highest) continue;  // x > the largest value: nothing
      c.low = b.low_inclusive ? b.low : T(b.low + 1);
    }
    if (!b.high_unbounded) {
      if (!b.high_inclusive && b.high == lowest) continue;
      c.high = b.high_inclusive ? b.high : T(b.high - 1);
    }
    if (c.low <= c.high) out.push_back(c);
  }
  return out;
}

namespace {

// Keeps, in order, the rows of sel[0, count) whose value passes `in` (NULL rows: null_allowed).
template <class T, class In>
size_t keep_rows(const Vector& v, bool null_allowed, uint32_t* sel, size_t count, In in) {
  const T* data = v.data<T>();
  size_t kept = 0;
  if (!v.may_have_nulls()) {
    for (size_t i = 0; i < count; i++) {  // branch-free
      uint32_t row = sel[i];
      sel[kept] = row;
      kept += in(data[row]);
    }
    return kept;
  }
  const uint8_t* nulls = v.nulls();
  for (size_t i = 0; i < count; i++) {
    uint32_t row = sel[i];
    sel[kept] = row;
    kept += nulls[row] ? null_allowed : in(data[row]);
  }
  return kept;
}

}  // namespace

template <class T>
size_t DomainFilter::select_closed(const Vector& v, const std::vector<Closed<T>>& ranges, const std::vector<T>& points,
                                   uint32_t* sel, size_t count) const {
  if (!points.empty()) return select_typed(v, {}, points, sel, count);
  using U = typename Unsigned<T>::type;
  if (ranges.size() == 1) {
    // One interval (=, <, BETWEEN): low <= x <= high as one unsigned comparison.
    const U low = static_cast<U>(ranges[0].low), width = static_cast<U>(ranges[0].high) - low;
    return keep_rows<T>(v, null_allowed_, sel, count,
                        [=](T x) { return static_cast<U>(static_cast<U>(x) - low) <= width; });
  }
  return keep_rows<T>(v, null_allowed_, sel, count, [&](T x) {
    bool in = false;
    for (const auto& c : ranges) in |= x >= c.low && x <= c.high;
    return in;
  });
}

template <class T>
size_t DomainFilter::select_typed(const Vector& v, const std::vector<Bounds<T>>& ranges, const std::vector<T>& points,
                                  uint32_t* sel, size_t count) const {
  if (!points.empty())
    return keep_rows<T>(v, null_allowed_, sel, count,
                        [&](const T& x) { return std::binary_search(points.begin(), points.end(), x); });
  return keep_rows<T>(v, null_allowed_, sel, count, [&](const T& x) {
    for (const auto& b : ranges) {
      if (!b.low_unbounded && (b.low_inclusive ? x < b.low : !(b.low < x))) continue;
      if (!b.high_unbounded && (b.high_inclusive ? b.high < x : !(x < b.high))) continue;
      return true;
    }
    return false;
  });
}

size_t DomainFilter::select(const Vector& v, uint32_t* sel, size_t count) const {
  switch (physical_) {
    case PhysicalType::I64: return select_closed(v, i64_closed_, i64_points_, sel, count);
    case PhysicalType::I128: return select_closed(v, i128_closed_, i128_points_, sel, count);
    case PhysicalType::STRING: return select_typed(v, str_, str_points_, sel, count);
    case PhysicalType::BOOL: return select_closed(v, bool_closed_, bool_points_, sel, count);
    case PhysicalType::F64: return count;
  }
  return count;
}

std::vector<std::optional<DomainFilter>> compile_domain_filters(const TupleDomain& constraint,
                                                                const std::vector<int>& table_columns,
                                                                const std::vector<Type>& types) {
  std::vector<std::optional<DomainFilter>> filters(table_columns.size());
  if (constraint.none) return filters;  // planned away before a scan opens; nothing to compile
  for (size_t i = 0; i < table_columns.size(); i++) {
    auto it = constraint.columns.find(table_columns[i]);
    if (it != constraint.columns.end()) filters[i] = DomainFilter::compile(it->second, types[i]);
  }
  return filters;
}

}  // namespace tributary
