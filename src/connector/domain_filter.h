// DomainFilter: a column's Domain (from a pushed TupleDomain) compiled for the column's type
// and evaluated over vectors a batch at a time, so a source can drop rows early (late
// materialization: read the filtered columns, then only the rows that may pass of the others).
//
// Exact for the types it accepts: integers, DATE, TIMESTAMP, intervals (same type as the
// bounds), DECIMAL (integer or decimal bounds of no greater scale), VARCHAR (byte order, as
// Value::compare), BOOLEAN. compile() answers nullopt for anything else (DOUBLE/REAL with their
// NaN rules, bounds of another type, a domain that allows everything): the caller then keeps
// every row of that column, which is always allowed since the engine rechecks the predicate.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connector/connector.h"
#include "vector/vector.h"

namespace tributary {

class DomainFilter {
 public:
  static std::optional<DomainFilter> compile(const Domain& domain, const Type& column_type);

  // Keeps those of the rows sel[0, count) of `v` that are in the domain, in order; returns how
  // many remain.
  size_t select(const Vector& v, uint32_t* sel, size_t count) const;

 private:
  template <class T>
  struct Bounds {
    T low{}, high{};
    bool low_unbounded = true, high_unbounded = true;
    bool low_inclusive = true, high_inclusive = true;
  };
  // An integral range as a closed interval (empty when low > high).
  template <class T>
  struct Closed {
    T low, high;
  };
  template <class T>
  size_t select_typed(const Vector& v, const std::vector<Bounds<T>>& ranges, const std::vector<T>& points,
                      uint32_t* sel, size_t count) const;
  template <class T>
  size_t select_closed(const Vector& v, const std::vector<Closed<T>>& ranges, const std::vector<T>& points,
                       uint32_t* sel, size_t count) const;
  template <class T>
  static std::vector<Closed<T>> close(const std::vector<Bounds<T>>& ranges);

  PhysicalType physical_ = PhysicalType::I64;
  bool null_allowed_ = false;
  // Ranges in the column's representation; when every range is a single value and there are
  // many, `points` holds them sorted instead (IN lists, join dynamic filters).
  std::vector<Bounds<int64_t>> i64_;
  std::vector<int64_t> i64_points_;
  std::vector<Bounds<int128>> i128_;
  std::vector<int128> i128_points_;
  std::shared_ptr<std::vector<std::string>> strings_;  // owns the bytes str_ and str_points_ view
  std::vector<Bounds<std::string_view>> str_;
  std::vector<std::string_view> str_points_;
  std::vector<Bounds<uint8_t>> bool_;
  std::vector<uint8_t> bool_points_;
  std::vector<Closed<int64_t>> i64_closed_;
  std::vector<Closed<int128>> i128_closed_;
  std::vector<Closed<uint8_t>> bool_closed_;
};

// One filter per column of a scan (table column indexes `table_columns`, of `types`), from the
// constraint's domains; nullopt where there is none or it cannot be evaluated exactly.
std::vector<std::optional<DomainFilter>> compile_domain_filters(const TupleDomain& constraint,
                                                                const std::vector<int>& table_columns,
                                                                const std::vector<Type>& types);

}  // namespace tributary
