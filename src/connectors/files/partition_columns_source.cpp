#include "connectors/files/partition_columns_source.h"

#include <algorithm>

namespace tributary::files {

namespace {

class PartitionColumnsSource : public PageSource {
 public:
  PartitionColumnsSource(std::unique_ptr<PageSource> data, std::vector<Type> data_types,
                         std::vector<OutputColumn> columns)
      : data_(std::move(data)), data_types_(std::move(data_types)), columns_(std::move(columns)) {
    constants_.resize(columns_.size());
    for (size_t i = 0; i < columns_.size(); i++)
      if (columns_[i].data_column < 0) constants_[i] = Vector::constant(columns_[i].constant, kChunkCapacity);
  }

  PageStatus next(Chunk& out) override {
    // The wrapped source fills the engine's own vectors of the data columns (no copy).
    inner_.columns.assign(data_types_.size(), Vector());
    inner_.size = 0;
    for (size_t i = 0; i < columns_.size(); i++) {
      int d = columns_[i].data_column;
      if (d >= 0 && i < out.columns.size() && out.columns[i].type() == data_types_[(size_t)d])
        inner_.columns[(size_t)d] = out.columns[i];
    }
    for (size_t d = 0; d < data_types_.size(); d++)
      if (inner_.columns[d].capacity() == 0) inner_.columns[d] = Vector(data_types_[d]);
    PageStatus status = data_->next(inner_);
    size_t rows = inner_.size;
    out.columns.resize(columns_.size());
    for (size_t i = 0; i < columns_.size(); i++) {
      if (columns_[i].data_column >= 0) {
        out.columns[i] = inner_.columns[(size_t)columns_[i].data_column];
        continue;
      }
      if (constants_[i].capacity() < rows) constants_[i] = Vector::constant(columns_[i].constant, rows);
      out.columns[i] = constants_[i];
    }
    out.size = rows;
    return status;
  }
  std::shared_future<void> blocked_future() override { return data_->blocked_future(); }
  uint64_t bytes_read() const override { return data_->bytes_read(); }
  SourceMetrics metrics() const override { return data_->metrics(); }
  void cancel() override { data_->cancel(); }
  bool prefetch() override { return data_->prefetch(); }

 private:
  std::unique_ptr<PageSource> data_;
  std::vector<Type> data_types_;
  std::vector<OutputColumn> columns_;
  std::vector<Vector> constants_;  // per output column; empty for data columns
  Chunk inner_;
};

}  // namespace

std::unique_ptr<PageSource> add_partition_columns(std::unique_ptr<PageSource> data, std::vector<Type> data_types,
                                                  std::vector<OutputColumn> columns) {
  return std::make_unique<PartitionColumnsSource>(std::move(data), std::move(data_types), std::move(columns));
}

}  // namespace tributary::files
