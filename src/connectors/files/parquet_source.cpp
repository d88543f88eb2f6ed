#include "connectors/files/parquet_source.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <optional>
#include <system_error>

#include "common/error.h"
#include "common/text.h"

namespace tributary::files {

namespace {

class StorageFile : public parquet::RandomAccessFile {
 public:
  StorageFile(std::shared_ptr<Storage> storage, std::string path, uint64_t size)
      : storage_(std::move(storage)), path_(std::move(path)), size_(size) {}
  uint64_t size() override { return size_; }
  std::string read(uint64_t offset, uint64_t length) override {
    if (offset > size_ || length > size_ - offset)
      throw_error(ErrorCode::SOURCE_ERROR, path_ + ": read of " + std::to_string(length) + " bytes at offset " +
                                               std::to_string(offset) + " is past the end (" + std::to_string(size_) +
                                               " bytes)");
    std::string data = storage_->read_range(path_, offset, length);
    if (data.size() != length)
      throw_error(ErrorCode::SOURCE_ERROR, path_ + ": short read at offset " + std::to_string(offset) + " (" +
                                               std::to_string(data.size()) + " of " + std::to_string(length) +
                                               " bytes)");
    return data;
  }
  std::string name() const override { return path_; }
  bool remote() const override { return storage_->remote(); }

 private:
  std::shared_ptr<Storage> storage_;
  std::string path_;
  uint64_t size_;
};

class ParquetPageSource : public PageSource {
 public:
  ParquetPageSource(std::shared_ptr<parquet::ParquetFile> file, int row_group, std::vector<int> file_columns,
                    std::vector<Type> types, std::vector<std::optional<DomainFilter>> filters)
      : file_(std::move(file)),
        row_group_(row_group),
        file_columns_(std::move(file_columns)),
        types_(std::move(types)),
        filters_(std::move(filters)) {
    rows_left_ = file_->row_groups().at((size_t)row_group_).num_rows;
    for (int c : file_columns_) {
      reader_index_.push_back(c >= 0 ? (int)read_columns_.size() : -1);
      if (c >= 0) read_columns_.push_back(c);
    }
    filters_.resize(file_columns_.size());
    for (size_t c = 0; c < filters_.size(); c++)
      if (filters_[c] && reader_index_[c] >= 0) filter_order_.push_back(c);
  }

  PageStatus next(Chunk& out) override {
    out.size = 0;
    if (cancelled_.load(std::memory_order_relaxed))
      throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading '" + file_->name() + "'");
    if (read_columns_.empty()) {
      // Only the row count is needed (count(*), or columns the file lacks): no data is read.
      size_t n = (size_t)std::min<int64_t>(rows_left_, (int64_t)kChunkCapacity);
      for (size_t c = 0; c < out.columns.size(); c++) {
        for (size_t r = 0; r < n; r++) out.columns[c].set_null(r);
      }
      out.size = n;
      rows_left_ -= (int64_t)n;
      return rows_left_ > 0 ? PageStatus::HAVE_DATA : PageStatus::FINISHED;
    }
    if (!reader_) reader_ = pending_.valid() ? pending_.get() : file_->read_row_group(row_group_, read_columns_);
    if (!filter_order_.empty()) return next_filtered(out);
    if (read_columns_.size() == file_columns_.size()) {
      // The scan hands over a freshly initialised chunk of the table's types: decode into it.
      if (!reader_->next_into(out)) return PageStatus::FINISHED;
      return PageStatus::HAVE_DATA;
    }
    // Some requested columns are absent from this file: read the others, fill NULLs.
    if (!reader_->next(scratch_)) {
      out.size = 0;
      return PageStatus::FINISHED;
    }
    size_t n = scratch_.size;
    size_t next_read = 0;
    for (size_t c = 0; c < file_columns_.size(); c++) {
      if (file_columns_[c] >= 0) {
        out.columns[c] = scratch_.columns[next_read++];
      } else {
        out.columns[c] = Vector(types_[c], std::max(n, (size_t)1));
        for (size_t r = 0; r < n; r++) out.columns[c].set_null(r);
      }
    }
    out.size = n;
    return PageStatus::HAVE_DATA;
  }
  // Late materialization: the filtered columns first, the others only for batches with a match.
  PageStatus next_filtered(Chunk& out) {
    const size_t columns = file_columns_.size();
    bool fits = out.columns.size() == columns;
    for (size_t c = 0; fits && c < columns; c++)
      fits = out.columns[c].type() == types_[c] && out.columns[c].capacity() >= kChunkCapacity;
    if (!fits) out.init(types_, kChunkCapacity);
    if (sel_.size() < kChunkCapacity) sel_.resize(kChunkCapacity);
    if (codes_.size() < kChunkCapacity) codes_.resize(kChunkCapacity);
    std::vector<bool> done(columns);
    while (true) {
      size_t n = reader_->begin_rows();
      if (n == 0) {
        out.size = 0;
        return PageStatus::FINISHED;
      }
      if (cancelled_.load(std::memory_order_relaxed))
        throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading '" + file_->name() + "'");
      std::fill(done.begin(), done.end(), false);
      for (size_t i = 0; i < n; i++) sel_[i] = (uint32_t)i;
      size_t count = n;
      for (size_t c : filter_order_) {
        done[c] = true;
        const std::vector<std::string_view>* dictionary = nullptr;
        if (reader_->read_column_codes((size_t)reader_index_[c], out.columns[c], n, codes_.data(), &dictionary)) {
          // Dictionary-coded strings: the filter decided once per dictionary entry, rows kept by code.
          const std::vector<uint8_t>& match = dictionary_match(c, *dictionary);
          size_t kept = 0;
          for (size_t i = 0; i < count; i++) {
            uint32_t row = sel_[i];
            sel_[kept] = row;
            kept += match[codes_[row]];
          }
          count = kept;
        } else {
          count = filters_[c]->select(out.columns[c], sel_.data(), count);
        }
        if (count == 0) break;
      }
      if (count == 0) {
        for (size_t c = 0; c < columns; c++) {
          if (!done[c] && reader_index_[c] >= 0) reader_->skip_column((size_t)reader_index_[c], n);
          // A string vector read for nothing would keep its page's bytes alive: start afresh.
          if (done[c] && types_[c].physical() == PhysicalType::STRING) out.columns[c] = Vector(types_[c], kChunkCapacity);
        }
        reader_->end_rows(n);
        continue;
      }
      for (size_t c = 0; c < columns; c++) {
        if (done[c]) continue;
        if (reader_index_[c] >= 0) {
          reader_->read_column((size_t)reader_index_[c], out.columns[c], n);
        } else {
          for (size_t r = 0; r < n; r++) out.columns[c].set_null(r);
        }
      }
      reader_->end_rows(n);
      out.size = n;
      // Few matches: hand on only those rows; many: all of them (the engine's filter is cheaper
      // than a copy of every column).
      if (count * 4 <= n) out = out.select(sel_.data(), count);
      return PageStatus::HAVE_DATA;
    }
  }

  // Which entries of column c's dictionary (one per row group) pass its filter, built once.
  const std::vector<uint8_t>& dictionary_match(size_t c, const std::vector<std::string_view>& dictionary) {
    if (dictionary_match_.size() < filters_.size()) dictionary_match_.resize(filters_.size());
    auto& match = dictionary_match_[c];
    if (match && match->size() == dictionary.size()) return *match;
    Vector values(types_[c], std::max<size_t>(dictionary.size(), 1));
    std::copy(dictionary.begin(), dictionary.end(), values.data<std::string_view>());
    values.set_all_valid(dictionary.size());
    std::vector<uint32_t> entries(dictionary.size());
    for (size_t i = 0; i < entries.size(); i++) entries[i] = (uint32_t)i;
    size_t kept = filters_[c]->select(values, entries.data(), entries.size());
    match.emplace(dictionary.size(), 0);
    for (size_t i = 0; i < kept; i++) (*match)[entries[i]] = 1;
    return *match;
  }

  uint64_t bytes_read() const override { return reader_ ? reader_->bytes_read() : 0; }
  void cancel() override { cancelled_ = true; }
  bool prefetch() override {
    // Object stores: the row group's column chunks are fetched on another thread meanwhile.
    if (!file_->remote() || read_columns_.empty()) return false;
    if (!reader_ && !pending_.valid()) {
      try {
        pending_ = std::async(std::launch::async, [file = file_, row_group = row_group_, columns = read_columns_] {
          return file->read_row_group(row_group, columns);
        });
      } catch (const std::system_error&) {
        return false;  // no thread to be had: read when needed
      }
    }
    return true;
  }
  SourceMetrics metrics() const override {
    SourceMetrics m;
    m.access_path = "parquet row groups";
    return m;
  }

 private:
  std::shared_ptr<parquet::ParquetFile> file_;
  int row_group_;
  std::vector<int> file_columns_;
  std::vector<Type> types_;
  std::vector<std::optional<DomainFilter>> filters_;  // per column
  std::vector<int> read_columns_;
  std::vector<int> reader_index_;     // per column: its index among read_columns_, -1 if absent
  std::vector<size_t> filter_order_;  // the filtered columns present in the file
  std::vector<uint32_t> sel_;
  std::vector<uint32_t> codes_;                                        // dictionary codes of a batch
  std::vector<std::optional<std::vector<uint8_t>>> dictionary_match_;  // per column
  std::unique_ptr<parquet::RowGroupReader> reader_;
  std::future<std::unique_ptr<parquet::RowGroupReader>> pending_;  // a prefetch in flight
  Chunk scratch_;
  int64_t rows_left_ = 0;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

std::shared_ptr<parquet::ParquetFile> open_parquet(std::shared_ptr<Storage> storage, const std::string& path,
                                                   uint64_t size) {
  return parquet::ParquetFile::open(std::make_shared<StorageFile>(std::move(storage), path, size));
}

std::vector<int> map_parquet_columns(const parquet::ParquetFile& file, const std::vector<ColumnMetadata>& columns) {
  std::vector<int> mapping;
  const auto& file_columns = file.columns();
  for (const auto& column : columns) {
    int found = -1;
    for (size_t i = 0; i < file_columns.size(); i++)
      if (to_lower_ascii(file_columns[i].name) == to_lower_ascii(column.name)) {
        found = (int)i;
        break;
      }
    mapping.push_back(found);
  }
  return mapping;
}

std::vector<int> pruning_columns(const parquet::ParquetFile& file, const std::vector<ColumnMetadata>& columns) {
  auto mapping = map_parquet_columns(file, columns);
  for (size_t i = 0; i < mapping.size(); i++)
    if (mapping[i] >= 0 && !(file.columns()[(size_t)mapping[i]].type == columns[i].type)) mapping[i] = -1;
  return mapping;
}

bool row_group_may_match(const parquet::ParquetFile& file, int row_group, const std::vector<int>& file_columns,
                         const TupleDomain& constraint) {
  if (constraint.none) return false;
  const auto& info = file.row_groups().at((size_t)row_group);
  for (const auto& [column, domain] : constraint.columns) {
    if (column < 0 || column >= (int)file_columns.size() || file_columns[column] < 0) continue;
    if ((size_t)file_columns[column] >= info.stats.size()) continue;
    const auto& stats = info.stats[(size_t)file_columns[column]];
    bool all_null = stats.null_count && *stats.null_count == info.num_rows;
    if (all_null) {
      if (!domain.null_allowed) return false;
      continue;
    }
    if (domain.null_allowed && (!stats.null_count || *stats.null_count > 0)) continue;
    if (stats.min && stats.max && !stats.min->is_null && !stats.max->is_null &&
        !domain.may_overlap(*stats.min, *stats.max))
      return false;
  }
  return true;
}

std::unique_ptr<PageSource> make_parquet_page_source(std::shared_ptr<parquet::ParquetFile> file, int row_group,
                                                     std::vector<int> file_columns, std::vector<Type> types,
                                                     std::vector<std::optional<DomainFilter>> filters) {
  return std::make_unique<ParquetPageSource>(std::move(file), row_group, std::move(file_columns), std::move(types),
                                             std::move(filters));
}

}  // namespace tributary::files
