// Vectorized hashing and comparison of key columns, shared by hash join,
// hash aggregation, set operations, sort and window. NULLs hash to a fixed
// value; `rows_equal` treats NULL = NULL (grouping semantics).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "vector/vector.h"

namespace tributary::exec {

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t hash_bytes(const char* data, size_t size);

// hashes[i] = combine(hashes[i], hash(column[i])) for i < count (first: hashes[i] = hash).
void hash_column(const Vector& column, size_t count, uint64_t* hashes, bool first);

// The hash of one row of several key columns: the value hash_column leaves in hashes[row]
// after being called on keys[0], keys[1], ... in order.
uint64_t hash_row(const std::vector<Vector>& keys, size_t row);

// Compares row i of a with row j of b: NULLs equal each other.
bool values_equal(const Vector& a, size_t i, const Vector& b, size_t j);
// Three-way compare for sorting with NULL placement; a and b non-null or handled by caller.
int compare_values(const Vector& a, size_t i, const Vector& b, size_t j);

// Appends row `row` of `from` to `to` at position `at`, growing `to`, copying string bytes into to's heap.
void append_owned(const Vector& from, size_t row, Vector& to, size_t at);

// Concatenates chunks into one chunk of the given types.
Chunk concatenate(const std::vector<Chunk>& chunks, const std::vector<Type>& types);

}  // namespace tributary::exec
