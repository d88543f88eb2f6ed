// A page source that adds constant columns — a split's Hive partition values — to the
// columns another page source reads from a file. The constants are built once per split and
// shared by every chunk (vectors are immutable once handed on), so a partition column costs
// nothing per row.
//
// Thread-safety and errors: those of the wrapped page source; bytes_read() and metrics() are
// the wrapped source's (partition values are not read from any file).
#pragma once
#include <memory>
#include <vector>

#include "connector/connector.h"

namespace tributary::files {

// One output column: the `data_column`-th column of the wrapped source, or (data_column < 0)
// `constant` in every row.
struct OutputColumn {
  int data_column = -1;
  Value constant;
};

// `data` produces columns of `data_types`; the result produces `columns`, in order.
std::unique_ptr<PageSource> add_partition_columns(std::unique_ptr<PageSource> data, std::vector<Type> data_types,
                                                  std::vector<OutputColumn> columns);

}  // namespace tributary::files
