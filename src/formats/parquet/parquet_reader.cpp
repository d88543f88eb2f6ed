#include "formats/parquet/parquet_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <system_error>
#include <thread>

#include "common/error.h"
#include "formats/parquet/column_reader.h"
#include "formats/parquet/encodings.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/parquet_schema.h"

namespace tributary::parquet {

// ---- local files ------------------------------------------------------------------------------

namespace {

class LocalFile : public RandomAccessFile {
 public:
  LocalFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~LocalFile() override { ::close(fd_); }
  uint64_t size() override { return size_; }
  std::string name() const override { return path_; }
  std::string read(uint64_t offset, uint64_t length) override {
    if (offset > size_ || length > size_ - offset) {
      throw Error(ErrorCode::SOURCE_ERROR, path_ + ": read of " + std::to_string(length) + " bytes at offset " +
                                               std::to_string(offset) + " is past the end of the file");
    }
    std::string out(length, '\0');
    uint64_t done = 0;
    while (done < length) {
      ssize_t n = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        throw Error(ErrorCode::SOURCE_ERROR, path_ + ": read failed at offset " + std::to_string(offset + done) +
                                                 ": " + std::strerror(errno));
      }
      if (n == 0) {
        throw Error(ErrorCode::SOURCE_ERROR, path_ + ": unexpected end of file at offset " +
                                                 std::to_string(offset + done));
      }
      done += static_cast<uint64_t>(n);
    }
    return out;
  }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

}  // namespace

std::shared_ptr<RandomAccessFile> open_local_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::SOURCE_ERROR, path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorCode::SOURCE_ERROR, path + ": not a regular file");
  }
  return std::make_shared<LocalFile>(path, fd, static_cast<uint64_t>(st.st_size));
}

// ---- the file ---------------------------------------------------------------------------------

struct FileState {
  std::shared_ptr<RandomAccessFile> file;
  std::string name;
  uint64_t size = 0;
  FileMetaData metadata;
  Schema schema;
  std::vector<RowGroupInfo> row_groups;
};

namespace {

constexpr uint64_t kTailRead = 64 * 1024;
// Remote reads: column chunks at most this far apart are fetched in one request (the bytes in
// between are read and dropped; a request costs more than that), up to kMaxMergedRead bytes
// a request, and up to kParallelReads requests at once.
constexpr uint64_t kRemoteGap = 1 << 20;
constexpr uint64_t kMaxMergedRead = 64 << 20;
constexpr size_t kParallelReads = 8;

// Runs `f`, prefixing the file name to the messages of errors it throws.
template <class F>
auto with_file_name(const std::string& name, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    if (e.message().rfind(name + ": ", 0) == 0) throw;
    throw Error(e.code(), name + ": " + e.message());
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::LIMIT_EXCEEDED, name + ": out of memory while decoding Parquet data");
  } catch (const std::length_error&) {
    throw Error(ErrorCode::LIMIT_EXCEEDED, name + ": Parquet data too large to decode");
  }
}

[[noreturn]] void corrupt(const std::string& what, uint64_t offset) { throw_corrupt(what, offset); }

void load_footer(FileState& s) {
  s.size = s.file->size();
  if (s.size < 12) corrupt("not a Parquet file (" + std::to_string(s.size) + " bytes is too small)", 0);
  uint64_t tail_length = std::min(s.size, kTailRead);
  std::string tail = s.file->read(s.size - tail_length, tail_length);
  const char* magic = tail.data() + tail_length - 4;
  if (std::memcmp(magic, "PARE", 4) == 0) {
    throw Error(ErrorCode::NOT_SUPPORTED, "encrypted Parquet files are not supported");
  }
  if (std::memcmp(magic, "PAR1", 4) != 0) corrupt("not a Parquet file (missing PAR1 magic)", s.size - 4);
  uint32_t footer_length;
  std::memcpy(&footer_length, tail.data() + tail_length - 8, 4);
  if (footer_length > s.size - 12) {
    corrupt("footer length " + std::to_string(footer_length) + " exceeds file size " + std::to_string(s.size),
            s.size - 8);
  }
  uint64_t footer_offset = s.size - 8 - footer_length;
  std::string footer;
  const uint8_t* footer_data;
  if (footer_length + 8 <= tail_length) {
    footer_data = reinterpret_cast<const uint8_t*>(tail.data()) + (tail_length - 8 - footer_length);
  } else {
    footer = s.file->read(footer_offset, footer_length);
    footer_data = reinterpret_cast<const uint8_t*>(footer.data());
  }
  try {
    s.metadata = decode_file_metadata(footer_data, footer_length, footer_offset);
  } catch (const Error& e) {
    throw Error(e.code(), "file metadata is corrupt: " + e.message());
  }
}

void check_and_summarise(FileState& s) {
  const FileMetaData& md = s.metadata;
  if (md.num_rows < 0) corrupt("file metadata declares " + std::to_string(md.num_rows) + " rows", s.size - 8);
  try {
    s.schema = build_schema(md.schema);
  } catch (const Error& e) {
    throw Error(e.code(), e.message() + " (footer at offset " + std::to_string(s.size - 8) + ")");
  }
  const Schema& schema = s.schema;
  for (size_t g = 0; g < md.row_groups.size(); g++) {
    const RowGroup& rg = md.row_groups[g];
    std::string where = "row group " + std::to_string(g);
    if (rg.columns.size() != schema.leaves.size()) {
      corrupt(where + " has " + std::to_string(rg.columns.size()) + " column chunks where the schema has " +
                  std::to_string(schema.leaves.size()) + " columns",
              s.size - 8);
    }
    if (rg.num_rows < 0) corrupt(where + " declares " + std::to_string(rg.num_rows) + " rows", s.size - 8);
    RowGroupInfo info;
    info.num_rows = rg.num_rows;
    std::vector<uint64_t> leaf_bytes(rg.columns.size());
    for (size_t c = 0; c < rg.columns.size(); c++) {
      const ColumnChunk& cc = rg.columns[c];
      if (!cc.meta_data) {
        throw Error(ErrorCode::NOT_SUPPORTED, where + " column " + schema.leaves[c].path +
                                                  " has no metadata (encrypted columns are not supported)");
      }
      const ColumnMetaData& m = *cc.meta_data;
      if (m.total_compressed_size < 0 || m.num_values < 0 || m.data_page_offset < 0) {
        corrupt(where + " column " + schema.leaves[c].path + " has negative sizes or offsets", s.size - 8);
      }
      if (m.type != schema.leaves[c].physical) {
        corrupt(where + " column " + schema.leaves[c].path + " has a physical type other than the schema's",
                s.size - 8);
      }
      leaf_bytes[c] = static_cast<uint64_t>(m.total_compressed_size);
      info.total_compressed_bytes += m.total_compressed_size;
    }
    for (size_t col = 0; col < schema.columns.size(); col++) {
      uint64_t bytes = 0;
      for (int l = 0; l < schema.leaf_count[col]; l++) bytes += leaf_bytes[schema.first_leaf[col] + l];
      info.column_bytes.push_back(bytes);
      int own = schema.leaf_of_column[col];
      info.stats.push_back(own >= 0 ? convert_statistics(rg.columns[own].meta_data->statistics, schema.leaves[own])
                                    : ColumnStatistics{});
    }
    s.row_groups.push_back(std::move(info));
  }
}

}  // namespace

std::shared_ptr<ParquetFile> ParquetFile::open(std::shared_ptr<RandomAccessFile> file) {
  auto state = std::make_shared<FileState>();
  state->file = std::move(file);
  state->name = state->file->name();
  with_file_name(state->name, [&] {
    load_footer(*state);
    check_and_summarise(*state);
  });
  std::shared_ptr<ParquetFile> out(new ParquetFile());
  out->state_ = std::move(state);
  return out;
}

ParquetFile::~ParquetFile() = default;

const std::vector<ColumnInfo>& ParquetFile::columns() const { return state_->schema.columns; }
const std::vector<RowGroupInfo>& ParquetFile::row_groups() const { return state_->row_groups; }
int64_t ParquetFile::num_rows() const { return state_->metadata.num_rows; }
const std::string& ParquetFile::name() const { return state_->name; }
const std::string& ParquetFile::created_by() const { return state_->metadata.created_by; }
bool ParquetFile::remote() const { return state_->file->remote(); }

std::unique_ptr<RowGroupReader> ParquetFile::read_row_group(int row_group, const std::vector<int>& column_indexes) {
  const FileState& s = *state_;
  if (row_group < 0 || static_cast<size_t>(row_group) >= s.metadata.row_groups.size()) {
    throw Error(ErrorCode::INVALID_ARGUMENT, s.name + ": row group " + std::to_string(row_group) +
                                                 " does not exist (the file has " +
                                                 std::to_string(s.metadata.row_groups.size()) + ")");
  }
  std::unique_ptr<RowGroupReader> reader(new RowGroupReader());
  reader->file_ = state_;
  const RowGroup& rg = s.metadata.row_groups[row_group];
  reader->rows_left_ = rg.num_rows;
  struct Wanted {
    int leaf;
    bool is_list;
    Type type;
    uint64_t start, length;
  };
  std::vector<Wanted> wanted;
  for (int index : column_indexes) {
    if (index < 0 || static_cast<size_t>(index) >= s.schema.columns.size()) {
      throw Error(ErrorCode::INVALID_ARGUMENT, s.name + ": column " + std::to_string(index) + " does not exist");
    }
    const ColumnInfo& info = s.schema.columns[index];
    if (!info.unsupported.empty()) {
      throw Error(ErrorCode::NOT_SUPPORTED, s.name + ": column " + info.name + ": " + info.unsupported);
    }
    int leaf = s.schema.leaf_of_column[index];
    const ColumnMetaData& m = *rg.columns[leaf].meta_data;
    uint64_t start = static_cast<uint64_t>(m.data_page_offset);
    if (m.dictionary_page_offset && *m.dictionary_page_offset > 0 &&
        static_cast<uint64_t>(*m.dictionary_page_offset) < start) {
      start = static_cast<uint64_t>(*m.dictionary_page_offset);
    }
    uint64_t length = static_cast<uint64_t>(m.total_compressed_size);
    with_file_name(s.name, [&] {
      if (start > s.size || length > s.size - start) {
        corrupt("column chunk " + info.name + " of " + std::to_string(length) + " bytes runs past the end of the file",
                start);
      }
    });
    wanted.push_back({leaf, info.is_list, info.type, start, length});
  }
  // The reads: chunks next to each other (or, remotely, within kRemoteGap) in one read each.
  const bool remote = s.file->remote();
  const uint64_t gap = remote ? kRemoteGap : 0;
  std::vector<size_t> order(wanted.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return wanted[a].start < wanted[b].start; });
  struct Read {
    uint64_t start, end;
    std::shared_ptr<std::string> data;
  };
  std::vector<Read> reads;
  std::vector<size_t> read_of(wanted.size());
  for (size_t i : order) {
    const Wanted& w = wanted[i];
    if (reads.empty() || w.start > reads.back().end + gap || w.start + w.length - reads.back().start > kMaxMergedRead) {
      reads.push_back({w.start, w.start + w.length, nullptr});
    } else {
      reads.back().end = std::max(reads.back().end, w.start + w.length);
    }
    read_of[i] = reads.size() - 1;
  }
  auto fetch = [&](Read& r) { r.data = std::make_shared<std::string>(s.file->read(r.start, r.end - r.start)); };
  if (remote && reads.size() > 1) {
    // Requests in flight together (each a ranged GET), at most kParallelReads at a time.
    std::vector<std::exception_ptr> errors(reads.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i; (i = next.fetch_add(1)) < reads.size();) {
        try {
          fetch(reads[i]);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      }
    };
    std::vector<std::thread> threads;
    try {
      for (size_t t = 1; t < std::min(reads.size(), kParallelReads); t++) threads.emplace_back(worker);
    } catch (const std::system_error&) {
      // No more threads to be had: the ones started and this one do the reads.
    }
    worker();
    for (auto& t : threads) t.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  } else {
    for (auto& r : reads) fetch(r);
  }
  for (size_t i = 0; i < wanted.size(); i++) {
    const Wanted& w = wanted[i];
    const Read& r = reads[read_of[i]];
    std::string_view bytes(r.data->data() + (w.start - r.start), w.length);
    reader->bytes_read_ += w.length;
    reader->columns_.push_back(std::make_unique<ColumnChunkReader>(
        s.schema.leaves[w.leaf], *rg.columns[w.leaf].meta_data, r.data, bytes, w.start, w.is_list));
    reader->types_.push_back(w.type);
  }
  return reader;
}

RowGroupReader::~RowGroupReader() = default;

bool RowGroupReader::next(Chunk& out) { return next_chunk(out, false); }

bool RowGroupReader::next_into(Chunk& out) { return next_chunk(out, true); }

bool RowGroupReader::next_chunk(Chunk& out, bool may_reuse) {
  if (rows_left_ <= 0) {
    out.init(types_, 0);
    out.size = 0;
    return false;
  }
  size_t n = static_cast<size_t>(std::min<int64_t>(rows_left_, kChunkCapacity));
  bool reuse = may_reuse && out.columns.size() == types_.size();
  for (size_t i = 0; reuse && i < types_.size(); i++) {
    const Vector& v = out.columns[i];
    reuse = v.type() == types_[i] && v.capacity() >= n;
  }
  if (!reuse) out.init(types_, kChunkCapacity);
  with_file_name(file_->name, [&] {
    for (size_t i = 0; i < columns_.size(); i++) columns_[i]->read(out.columns[i], n);
  });
  out.size = n;
  rows_left_ -= static_cast<int64_t>(n);
  return true;
}

size_t RowGroupReader::begin_rows() const {
  return static_cast<size_t>(std::clamp<int64_t>(rows_left_, 0, static_cast<int64_t>(kChunkCapacity)));
}

void RowGroupReader::read_column(size_t column, Vector& out, size_t count) {
  with_file_name(file_->name, [&] { columns_.at(column)->read(out, count); });
}

bool RowGroupReader::read_column_codes(size_t column, Vector& out, size_t count, uint32_t* codes,
                                       const std::vector<std::string_view>** dictionary) {
  ColumnChunkReader& reader = *columns_.at(column);
  bool coded = types_.at(column).physical() == PhysicalType::STRING;
  with_file_name(file_->name, [&] {
    if (coded) coded = reader.read_codes(out, count, codes);
    else reader.read(out, count);
  });
  if (coded) *dictionary = &reader.dictionary().str;
  return coded;
}

void RowGroupReader::skip_column(size_t column, size_t count) {
  with_file_name(file_->name, [&] { columns_.at(column)->skip(count); });
}

void RowGroupReader::end_rows(size_t count) { rows_left_ -= static_cast<int64_t>(count); }

}  // namespace tributary::parquet
