// Internal to the Parquet reader: ColumnChunkReader decodes the pages of one column chunk
// (already read into memory) into engine Vectors: levels with the RLE/bit-packed hybrid (a page
// whose levels are one run of the maximum, i.e. no NULLs, skips them), values with PLAIN,
// dictionary, RLE, DELTA_* or BYTE_STREAM_SPLIT. Fixed-width PLAIN values are converted and
// dictionary indices decoded and gathered straight into the output vector, a batch at a time as
// rows are read; other encodings are converted to the engine representation once per page and
// copied out. NULLs are spread from the definition levels. A list column (one repeated level)
// becomes VARCHAR JSON. Page-sized scratch buffers are recycled between readers of one thread.
//
// String values point into the decompressed page (or dictionary) buffer, which lives in a
// StringHeap that every output vector using it shares (Vector::share_heaps): no copies.
// Errors: Error(SOURCE_ERROR, "<what> at offset N") with N a file offset; NOT_SUPPORTED for an
// encoding or codec the reader lacks. Not thread-safe.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/parquet/encodings.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/parquet_schema.h"
#include "vector/vector.h"

namespace tributary::parquet {

// The largest number of values one page may declare (bounds allocations on corrupt input).
constexpr size_t kMaxPageValues = size_t{1} << 25;
// The largest uncompressed page (or dictionary) the reader accepts.
constexpr size_t kMaxPageBytes = size_t{1} << 28;

// A page's (or dictionary's) values in engine representation; only the member matching the
// leaf's physical engine type is used. One slot past `count` is kept valid for branch-free copies.
struct PageValues {
  std::vector<uint8_t> b;
  std::vector<int64_t> i64;
  std::vector<double> f64;
  std::vector<int128> i128;
  std::vector<std::string_view> str;
  size_t count = 0;
};

class ColumnChunkReader {
 public:
  // `bytes` is the column chunk as read from `file_offset`, inside `buffer` (which may hold
  // other chunks of the row group too, read together).
  ColumnChunkReader(const LeafDescriptor& leaf, const ColumnMetaData& meta, std::shared_ptr<const std::string> buffer,
                    std::string_view bytes, uint64_t file_offset, bool as_list);
  ~ColumnChunkReader();
  // Writes the next `count` rows to out[0, count). Throws when the chunk has fewer rows.
  void read(Vector& out, size_t count);
  // As read(), and when every one of the `count` rows is a non-NULL value taken from the
  // chunk's dictionary, also writes their dictionary indices to codes[0, count) and returns
  // true (a filter can then be decided once per dictionary entry).
  bool read_codes(Vector& out, size_t count, uint32_t* codes);
  // The chunk's dictionary in engine representation (once a read_codes() returned true).
  const PageValues& dictionary() const { return dictionary_; }
  // Passes over the next `count` rows: pages wholly inside them are not decompressed, the rest
  // only advance their levels and values (dictionary indices are decoded, not gathered).
  void skip(size_t count);

 private:
  // Loads the next data page (and any dictionary page before it). With `skipped`, a data page of
  // a flat column holding at most `skip_rows` rows is passed over instead: *skipped is set to
  // its row count and the current page stays exhausted.
  bool next_page(size_t skip_rows = 0, size_t* skipped = nullptr);
  void load_data_page_v1(const PageHeader& h, const uint8_t* body, uint64_t page_offset);
  void load_data_page_v2(const PageHeader& h, const uint8_t* body, uint64_t page_offset);
  void load_dictionary(const PageHeader& h, const uint8_t* body, uint64_t page_offset);
  bool page_needs_own_heap(int32_t encoding) const;
  // Decompresses a data page: into a fresh page_heap_ when own_heap, else into page_buffer_.
  const uint8_t* decompress_page(bool own_heap, const uint8_t* data, size_t size, size_t uncompressed_size,
                                 uint64_t page_offset);
  void check_page_size(const uint8_t* data, size_t size, size_t uncompressed_size, uint64_t page_offset) const;
  // Decompresses into a fresh buffer owned by `carrier`'s heap.
  const uint8_t* decompress_into(Vector& carrier, const uint8_t* data, size_t size, size_t uncompressed_size,
                                 uint64_t page_offset);
  void decode_levels(const uint8_t* data, size_t size, int max_level, size_t count, uint64_t page_offset,
                     std::vector<uint8_t>& out);
  // Decodes a page's definition levels into def_; returns true, leaving def_ empty, when every
  // level is the maximum (no NULLs) and the column is flat.
  bool decode_definition_levels(const uint8_t* data, size_t size, size_t count, uint64_t page_offset);
  void decode_values(int32_t encoding, const uint8_t* data, size_t size, size_t count, uint64_t page_offset,
                     PageValues& out);
  void decode_plain(const uint8_t* data, size_t size, size_t count, uint64_t page_offset, PageValues& out);
  void ints_to_engine(const int64_t* in, size_t count, PageValues& out);
  void views_to_engine(const std::string_view* in, size_t count, uint64_t page_offset, PageValues& out);
  void prepare(PageValues& out, size_t count);
  // The byte width of a PLAIN value fetch() converts straight from the page, 0 when the page
  // must be materialized first.
  size_t plain_fetch_width() const;
  // Writes the current page's values [start, start + n) in engine representation to out.
  template <class E>
  void fetch(E* out, size_t start, size_t n);
  template <class E>
  void read_flat(Vector& out, size_t count);
  void read_list(Vector& out, size_t count);
  void append_element_json(std::string& json, size_t value_index);

  LeafDescriptor leaf_;
  int32_t codec_;
  int64_t num_values_;  // levels in the chunk
  std::shared_ptr<const std::string> buffer_;
  std::string_view bytes_;
  uint64_t file_offset_;
  bool as_list_;
  size_t pos_ = 0;
  int64_t values_seen_ = 0;

  // Dictionary of the chunk.
  bool has_dictionary_ = false;
  PageValues dictionary_;
  Vector dictionary_heap_;

  // The current data page.
  Vector page_heap_;
  std::vector<uint8_t> def_, rep_;
  size_t page_levels_ = 0, level_pos_ = 0;
  size_t page_nulls_ = 0;
  // Where the current page's values are: converted in values_, dictionary indices in indices_
  // (values_.count of them), or PLAIN fixed-width values at plain_data_ (in page_buffer_).
  enum class ValueSource { MATERIALIZED, DICTIONARY, PLAIN };
  ValueSource value_source_ = ValueSource::MATERIALIZED;
  static constexpr size_t kIndexBatch = 1024;
  std::optional<RleBitPackedDecoder> index_decoder_;  // DICTIONARY: the page's indices
  int index_bit_width_ = 0;
  uint64_t page_offset_ = 0;
  const uint8_t* plain_data_ = nullptr;
  PageValues values_;
  size_t value_pos_ = 0;
  bool values_use_dictionary_heap_ = false;
  std::vector<uint8_t> page_buffer_, split_buffer_;  // reused by pages whose bytes need not outlive them
  std::vector<uint32_t> indices_;
  std::vector<int64_t> scratch_i64_;
  std::vector<std::string_view> scratch_views_;
  // read_codes(): the output, whether every row so far came from the dictionary, and where
  // fetch() records the indices of the rows it is writing.
  uint32_t* codes_ = nullptr;
  bool codes_complete_ = false;
  uint32_t* codes_cursor_ = nullptr;

  // List assembly state: the row being built (it may continue on the next page).
  bool row_open_ = false;
  bool row_null_ = false;
  std::string row_json_;
};

}  // namespace tributary::parquet
