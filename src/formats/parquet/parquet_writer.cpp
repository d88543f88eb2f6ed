#include "formats/parquet/parquet_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "common/decimal.h"
#include "common/error.h"
#include "common/text.h"
#include "formats/parquet/codecs.h"
#include "formats/parquet/metadata.h"
#include "formats/parquet/thrift_compact_writer.h"

namespace tributary::parquet {

static_assert(std::endian::native == std::endian::little, "PLAIN values are copied as little-endian memory");

namespace {

// A column chunk stays dictionary-encoded while its dictionary stays within these bounds.
constexpr size_t kMaxDictionaryEntries = 65536;
constexpr size_t kMaxDictionaryBytes = 1 << 20;
// A data page also closes when its PLAIN values reach this size (long strings).
constexpr size_t kMaxPageValueBytes = 1 << 20;
// min/max longer than this are left out of the statistics (they would bloat the footer).
constexpr size_t kMaxStatisticsValueBytes = 4096;

// parquet-mr (and Trino, Spark, Hive through it) ignores BYTE_ARRAY statistics of writers whose
// created_by does not parse as "<application> version <semver>" (PARQUET-251).
const char* const kCreatedBy = "tributary version 0.1.0";
// Pages hold at most this many rows whatever WriterOptions::page_rows says (num_values is i32,
// and readers bound page sizes).
constexpr int64_t kMaxPageRows = 1 << 22;

int32_t codec_id(WriteCodec c) {
  switch (c) {
    case WriteCodec::UNCOMPRESSED: return codec::UNCOMPRESSED;
    case WriteCodec::SNAPPY: return codec::SNAPPY;
    case WriteCodec::GZIP: return codec::GZIP;
    case WriteCodec::ZSTD: return codec::ZSTD;
    case WriteCodec::LZ4_RAW: return codec::LZ4_RAW;
  }
  return codec::UNCOMPRESSED;
}

int bit_width_of(uint64_t max_value) { return 64 - std::countl_zero(max_value); }

// ---- RLE / bit-packed hybrid ------------------------------------------------------------------

void append_uleb128(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// One bit-packed run of `count` values, zero-padded to a multiple of 8.
template <class T>
void append_bit_packed(const T* values, size_t count, int width, std::string* out) {
  size_t groups = (count + 7) / 8;
  append_uleb128(groups << 1 | 1, out);
  size_t start = out->size();
  out->resize(start + groups * width);
  auto* p = reinterpret_cast<uint8_t*>(out->data() + start);
  uint64_t buffer = 0;
  int bits = 0;
  for (size_t k = 0; k < groups * 8; k++) {
    uint64_t v = k < count ? static_cast<uint64_t>(values[k]) : 0;
    buffer |= v << bits;
    bits += width;
    while (bits >= 8) {
      *p++ = static_cast<uint8_t>(buffer);
      buffer >>= 8;
      bits -= 8;
    }
  }
}

void append_rle_run(uint64_t value, size_t count, int width, std::string* out) {
  append_uleb128(static_cast<uint64_t>(count) << 1, out);
  for (int b = 0; b < (width + 7) / 8; b++) out->push_back(static_cast<char>(value >> (8 * b)));
}

// Runs of 8 or more equal values become RLE runs; the rest is bit-packed in groups of 8 (a
// literal group short of 8 borrows the first values of the following run).
template <class T>
void encode_hybrid(const T* v, size_t n, int width, std::string* out) {
  size_t pending = 0;  // first value not yet written
  size_t i = 0;
  while (i < n) {
    const T value = v[i];
    size_t j = i + 1;
    while (j < n && v[j] == value) j++;
    size_t run = j - i;
    if (run >= 8) {
      size_t literals = i - pending;
      size_t pad = (8 - literals % 8) % 8;
      if (run >= pad + 8) {
        if (literals + pad > 0) append_bit_packed(v + pending, literals + pad, width, out);
        append_rle_run(value, run - pad, width, out);
        pending = j;
      }
    }
    i = j;
  }
  if (pending < n) append_bit_packed(v + pending, n - pending, width, out);
}

// ---- per-type value handling ------------------------------------------------------------------

uint64_t mix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

uint64_t load_le(const char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

uint64_t hash_bytes(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
  // Short strings (most dictionary candidates): two overlapping fixed-size loads, no loop.
  if (n >= 8 && n <= 16) return mix64(h ^ mix64(load_le(p, 8)) ^ (load_le(p + n - 8, 8) * 0x100000001b3ULL));
  if (n >= 4 && n < 8) return mix64(h ^ (load_le(p, 4) << 32 | load_le(p + n - 4, 4)));
  if (n > 0 && n < 4) {
    auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(p[i])); };
    return mix64(h ^ (byte(0) << 16 | byte(n / 2) << 8 | byte(n - 1)));
  }
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ mix64(w)) * 0x100000001b3ULL;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);
  return mix64(h ^ tail);
}

// Fixed-width values stored as their little-endian bytes: INT32, INT64, FLOAT, DOUBLE.
template <class E, class P>
struct FixedTraits {
  using Engine = E;
  using Value = P;
  using Stored = P;  // how statistics keep a value
  static P convert(E v) { return static_cast<P>(v); }
  static size_t plain_size(P, size_t) { return sizeof(P); }
  static void append_plain(const P* v, size_t n, size_t, std::string* out) {
    if (n == 0) return;
    size_t start = out->size();
    out->resize(start + n * sizeof(P));
    std::memcpy(out->data() + start, v, n * sizeof(P));
  }
  static uint64_t hash(P v) {
    if constexpr (sizeof(P) == 4) return mix64(std::bit_cast<uint32_t>(v));
    else return mix64(std::bit_cast<uint64_t>(v));
  }
  // Floats compare by bits in the dictionary: -0.0 and NaN payloads survive.
  static bool same(P a, P b) {
    if constexpr (std::is_floating_point_v<P>) return std::memcmp(&a, &b, sizeof(P)) == 0;
    else return a == b;
  }
  static bool ignored_in_statistics(P v) {
    if constexpr (std::is_floating_point_v<P>) return std::isnan(v);
    else return false;
  }
  static bool less(P a, P b) { return a < b; }
  static std::string statistic(P v, bool is_min, size_t) {
    if constexpr (std::is_floating_point_v<P>) {
      // parquet-format: a zero minimum is written as -0.0, a zero maximum as +0.0.
      if (v == 0) v = is_min ? -P(0) : P(0);
    }
    return std::string(reinterpret_cast<const char*>(&v), sizeof(P));
  }
};

// DECIMAL beyond 18 digits: FIXED_LEN_BYTE_ARRAY, big-endian two's complement of `width` bytes.
struct DecimalBytesTraits {
  using Engine = int128;
  using Value = int128;
  using Stored = int128;
  static int128 convert(int128 v) { return v; }
  static size_t plain_size(int128, size_t width) { return width; }
  static void store_big_endian(int128 v, size_t width, char* p) {
    auto u = static_cast<unsigned __int128>(v);
    for (size_t b = 0; b < width; b++) p[width - 1 - b] = static_cast<char>(static_cast<uint8_t>(u >> (8 * b)));
  }
  static void append_plain(const int128* v, size_t n, size_t width, std::string* out) {
    size_t start = out->size();
    out->resize(start + n * width);
    char* p = out->data() + start;
    for (size_t i = 0; i < n; i++, p += width) store_big_endian(v[i], width, p);
  }
  static uint64_t hash(int128 v) {
    auto u = static_cast<unsigned __int128>(v);
    return mix64(static_cast<uint64_t>(u) ^ mix64(static_cast<uint64_t>(u >> 64)));
  }
  static bool same(int128 a, int128 b) { return a == b; }
  static bool ignored_in_statistics(int128) { return false; }
  static bool less(int128 a, int128 b) { return a < b; }
  static std::string statistic(int128 v, bool, size_t width) {
    std::string out(width, '\0');
    store_big_endian(v, width, out.data());
    return out;
  }
};

// BYTE_ARRAY: VARCHAR and VARBINARY, ordered as unsigned bytes (char_traits<char>::compare).
struct BytesTraits {
  using Engine = std::string_view;
  using Value = std::string_view;
  using Stored = std::string;
  static std::string_view convert(std::string_view v) { return v; }
  static size_t plain_size(std::string_view v, size_t) { return 4 + v.size(); }
  static void append_plain(const std::string_view* v, size_t n, size_t, std::string* out) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += 4 + v[i].size();
    size_t start = out->size();
    out->resize(start + total);
    char* p = out->data() + start;
    for (size_t i = 0; i < n; i++) {
      auto length = static_cast<uint32_t>(v[i].size());
      std::memcpy(p, &length, 4);
      if (length > 0) std::memcpy(p + 4, v[i].data(), length);
      p += 4 + length;
    }
  }
  static uint64_t hash(std::string_view v) { return hash_bytes(v); }
  static bool same(std::string_view a, std::string_view b) { return a == b; }
  static bool ignored_in_statistics(std::string_view) { return false; }
  static bool less(std::string_view a, std::string_view b) { return a < b; }
  static std::string statistic(std::string_view v, bool, size_t) { return std::string(v); }
};

// Open-addressing hash table from value to dictionary index; indexes follow insertion order.
template <class Traits>
class Dictionary {
  using P = typename Traits::Value;

 public:
  explicit Dictionary(size_t width) : width_(width) { clear(); }

  // The index of `v`; a new value is copied in (strings into the dictionary's heap).
  uint32_t index_of(P v, bool* inserted) {
    uint64_t h = Traits::hash(v);
    auto tag = static_cast<uint32_t>(h >> 32);
    size_t slot = h & mask_;
    while (true) {
      uint64_t s = slots_[slot];
      if (s == 0) break;
      auto index = static_cast<uint32_t>(s) - 1;
      if (static_cast<uint32_t>(s >> 32) == tag && Traits::same(values_[index], v)) {
        *inserted = false;
        return index;
      }
      slot = (slot + 1) & mask_;
    }
    auto index = static_cast<uint32_t>(values_.size());
    if constexpr (std::is_same_v<P, std::string_view>) v = heap_.add(v);
    values_.push_back(v);
    bytes_ += Traits::plain_size(v, width_);
    slots_[slot] = (static_cast<uint64_t>(tag) << 32) | (index + 1);
    if (values_.size() * 2 > slots_.size()) grow();
    *inserted = true;
    return index;
  }

  size_t size() const { return values_.size(); }
  size_t plain_bytes() const { return bytes_; }
  const P* values() const { return values_.data(); }
  const P& operator[](uint32_t i) const { return values_[i]; }

  // Keeps the first n values and stops lookups (the chunk goes on in PLAIN).
  void truncate_and_freeze(size_t n) {
    values_.resize(n);
    slots_ = {};
  }

  void clear() {
    values_.clear();
    slots_.assign(1024, 0);
    mask_ = slots_.size() - 1;
    bytes_ = 0;
    heap_ = StringHeap();
  }

 private:
  void grow() {
    std::vector<uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (uint64_t s : old) {
      if (s == 0) continue;
      size_t slot = Traits::hash(values_[static_cast<uint32_t>(s) - 1]) & mask_;
      while (slots_[slot] != 0) slot = (slot + 1) & mask_;
      slots_[slot] = s;
    }
  }

  size_t width_;
  std::vector<P> values_;
  std::vector<uint64_t> slots_;  // 0 = empty, else (hash >> 32) << 32 | (index + 1)
  size_t mask_ = 0;
  size_t bytes_ = 0;
  StringHeap heap_;
};

// ---- column writers ---------------------------------------------------------------------------

// Levels, pages and the column chunk buffer, shared by every column type. The typed subclasses
// supply the values of each page and the chunk's dictionary and statistics.
class ColumnWriter {
 public:
  ColumnWriter(const WriterOptions& options, std::string name, PhysicalKind kind)
      : codec_(codec_id(options.codec)),
        page_rows_(static_cast<size_t>(std::min(options.page_rows, kMaxPageRows))),
        name_(std::move(name)),
        kind_(kind) {}
  virtual ~ColumnWriter() = default;

  // Appends rows [offset, offset + count) of `v`.
  void write(const Vector& v, size_t offset, size_t count) {
    const uint8_t* nulls = v.may_have_nulls() ? v.nulls() + offset : nullptr;
    while (count > 0) {
      size_t n = std::min(count, page_rows_ - page_levels_.size());
      size_t present = append_levels(nulls, n);
      append_values(v, offset, nulls, n, present);
      offset += n;
      count -= n;
      if (nulls) nulls += n;
      if (page_levels_.size() >= page_rows_ || page_value_bytes() >= kMaxPageValueBytes) flush_page();
    }
  }

  // Uncompressed bytes of the chunk so far, including the open page.
  size_t buffered_bytes() const { return chunk_uncompressed_ + page_levels_.size() + page_value_bytes(); }

  // Closes the column chunk: its bytes are dictionary_page() then data_pages() until
  // reset_chunk(). Offsets in the result are relative to the chunk's first byte.
  ColumnMetaData close_chunk() {
    flush_page();
    std::string dictionary;
    size_t dictionary_values = take_dictionary(&dictionary);
    if (dictionary_values > 0) {
      PageHeader h;
      h.type = page_type::DICTIONARY_PAGE;
      h.dictionary_page_header.emplace();
      h.dictionary_page_header->num_values = static_cast<int32_t>(dictionary_values);
      h.dictionary_page_header->encoding = encoding::PLAIN;
      add_page(h, dictionary, &dictionary_page_);
    }
    ColumnMetaData m;
    m.type = kind_;
    if (dictionary_values > 0 || plain_pages_ > 0) m.encodings.push_back(encoding::PLAIN);
    m.encodings.push_back(encoding::RLE);
    if (dictionary_pages_ > 0) m.encodings.push_back(encoding::RLE_DICTIONARY);
    m.path_in_schema = {name_};
    m.codec = codec_;
    m.num_values = chunk_levels_;
    m.total_uncompressed_size = static_cast<int64_t>(chunk_uncompressed_);
    m.total_compressed_size = static_cast<int64_t>(dictionary_page_.size() + data_pages_.size());
    if (dictionary_values > 0) m.dictionary_page_offset = 0;
    m.data_page_offset = static_cast<int64_t>(dictionary_page_.size());
    Statistics s;
    s.null_count = chunk_nulls_;
    take_statistics(&s);
    m.statistics = std::move(s);
    return m;
  }
  std::string_view dictionary_page() const { return dictionary_page_; }
  std::string_view data_pages() const { return data_pages_; }

  void reset_chunk() {
    dictionary_page_.clear();
    data_pages_.clear();
    chunk_uncompressed_ = 0;
    chunk_levels_ = 0;
    chunk_nulls_ = 0;
    plain_pages_ = dictionary_pages_ = 0;
    reset_values();
  }

 protected:
  // Takes the `present` non-NULL values among rows [offset, offset + n) of `v`.
  virtual void append_values(const Vector& v, size_t offset, const uint8_t* nulls, size_t n, size_t present) = 0;
  virtual size_t page_value_bytes() const = 0;
  // Appends the open page's values to `body`, clears them; returns the page's encoding.
  virtual int32_t take_page_values(std::string* body) = 0;
  // The chunk's dictionary page body (PLAIN values); returns the number of values (0: none).
  virtual size_t take_dictionary(std::string* body) = 0;
  virtual void take_statistics(Statistics* s) = 0;
  virtual void reset_values() = 0;

  size_t plain_pages_ = 0, dictionary_pages_ = 0;

 private:
  // Definition levels (1 = present); returns the number of present values.
  size_t append_levels(const uint8_t* nulls, size_t n) {
    size_t start = page_levels_.size();
    page_levels_.resize(start + n);
    uint8_t* levels = page_levels_.data() + start;
    size_t nulls_seen = 0;
    if (nulls == nullptr) {
      std::memset(levels, 1, n);
    } else {
      for (size_t i = 0; i < n; i++) {
        uint8_t is_null = nulls[i] != 0;
        levels[i] = static_cast<uint8_t>(1 - is_null);
        nulls_seen += is_null;
      }
    }
    page_nulls_ += nulls_seen;
    return n - nulls_seen;
  }

  void flush_page() {
    if (page_levels_.empty()) return;
    size_t rows = page_levels_.size();
    body_.assign(4, '\0');
    if (page_nulls_ == 0) {
      append_rle_run(1, rows, 1, &body_);
    } else {
      encode_hybrid(page_levels_.data(), rows, 1, &body_);
    }
    auto levels_length = static_cast<uint32_t>(body_.size() - 4);
    std::memcpy(body_.data(), &levels_length, 4);
    int32_t values_encoding = take_page_values(&body_);
    (values_encoding == encoding::PLAIN ? plain_pages_ : dictionary_pages_)++;
    PageHeader h;
    h.type = page_type::DATA_PAGE;
    h.data_page_header.emplace();
    h.data_page_header->num_values = static_cast<int32_t>(rows);
    h.data_page_header->encoding = values_encoding;
    add_page(h, body_, &data_pages_);
    chunk_levels_ += static_cast<int64_t>(rows);
    chunk_nulls_ += static_cast<int64_t>(page_nulls_);
    page_levels_.clear();
    page_nulls_ = 0;
  }

  void add_page(PageHeader& h, std::string_view body, std::string* target) {
    if (body.size() > static_cast<size_t>(INT32_MAX)) {
      throw Error(ErrorCode::LIMIT_EXCEEDED,
                  "Parquet writer: a page of column " + name_ + " exceeds 2 GiB (" + std::to_string(body.size()) + " bytes)");
    }
    std::string_view stored = body;
    if (codec_ != codec::UNCOMPRESSED) {
      compress(codec_, body, &compressed_);
      stored = compressed_;
    }
    h.uncompressed_page_size = static_cast<int32_t>(body.size());
    h.compressed_page_size = static_cast<int32_t>(stored.size());
    header_.clear();
    encode_page_header(h, &header_);
    target->append(header_);
    target->append(stored);
    chunk_uncompressed_ += header_.size() + body.size();
  }

  int32_t codec_;
  size_t page_rows_;
  std::string name_;
  PhysicalKind kind_;
  // The open page.
  std::vector<uint8_t> page_levels_;
  size_t page_nulls_ = 0;
  // The column chunk.
  std::string dictionary_page_, data_pages_;
  size_t chunk_uncompressed_ = 0;
  int64_t chunk_levels_ = 0, chunk_nulls_ = 0;
  // Scratch buffers reused across pages.
  std::string body_, compressed_, header_;
};

template <class Traits>
class ValueColumnWriter final : public ColumnWriter {
  using E = typename Traits::Engine;
  using P = typename Traits::Value;

 public:
  ValueColumnWriter(const WriterOptions& options, std::string name, PhysicalKind kind, size_t width)
      : ColumnWriter(options, std::move(name), kind), use_dictionary_(options.dictionary), width_(width),
        dictionary_(width) {
    reset_values();
  }

 private:
  void append_values(const Vector& v, size_t offset, const uint8_t* nulls, size_t n, size_t present) override {
    const E* in = v.data<E>() + offset;
    values_.resize(present);
    P* out = values_.data();
    if (nulls == nullptr) {
      for (size_t i = 0; i < n; i++) out[i] = Traits::convert(in[i]);
    } else {
      size_t m = 0;
      for (size_t i = 0; i < n; i++) {
        if (!nulls[i]) out[m++] = Traits::convert(in[i]);
      }
    }
    if (dictionary_mode_) {
      size_t start = indices_.size();
      indices_.resize(start + present);
      uint32_t* index = indices_.data() + start;
      for (size_t i = 0; i < present; i++) {
        bool inserted;
        index[i] = dictionary_.index_of(out[i], &inserted);
        if (inserted) observe(out[i]);
      }
      if (dictionary_.size() > kMaxDictionaryEntries || dictionary_.plain_bytes() > kMaxDictionaryBytes) {
        fall_back_to_plain();
      }
    } else {
      Traits::append_plain(out, present, width_, &plain_);
      for (size_t i = 0; i < present; i++) observe(out[i]);
    }
  }

  size_t page_value_bytes() const override { return dictionary_mode_ ? indices_.size() * 4 : plain_.size(); }

  int32_t take_page_values(std::string* body) override {
    if (dictionary_mode_ && !indices_.empty() && dictionary_pages_ == 0 && !dictionary_pays()) fall_back_to_plain();
    if (dictionary_mode_ && !indices_.empty()) {
      int width = std::max(1, bit_width_of(dictionary_.size() - 1));
      body->push_back(static_cast<char>(width));
      encode_hybrid(indices_.data(), indices_.size(), width, body);
      indices_.clear();
      dictionary_size_at_page_start_ = dictionary_.size();
      return encoding::RLE_DICTIONARY;
    }
    // A page of NULLs only is PLAIN even in dictionary mode: it needs no dictionary page.
    body->append(plain_);
    plain_.clear();
    return encoding::PLAIN;
  }

  // On the chunk's first page: whether dictionary + indices beat PLAIN.
  bool dictionary_pays() const {
    size_t plain_size = 0;
    if constexpr (std::is_same_v<P, std::string_view>) {
      for (uint32_t i : indices_) plain_size += Traits::plain_size(dictionary_[i], width_);
    } else {
      plain_size = indices_.size() * Traits::plain_size(P{}, width_);
    }
    size_t index_bytes = indices_.size() * static_cast<size_t>(bit_width_of(dictionary_.size())) / 8;
    return dictionary_.plain_bytes() + index_bytes < plain_size;
  }

  // The open page's values move to PLAIN; dictionary entries first seen on it are dropped, so
  // the dictionary holds only values of earlier (dictionary-encoded) pages.
  void fall_back_to_plain() {
    values_.resize(indices_.size());
    for (size_t i = 0; i < indices_.size(); i++) values_[i] = dictionary_[indices_[i]];
    plain_.clear();
    Traits::append_plain(values_.data(), values_.size(), width_, &plain_);
    indices_.clear();
    dictionary_.truncate_and_freeze(dictionary_size_at_page_start_);
    dictionary_mode_ = false;
  }

  size_t take_dictionary(std::string* body) override {
    if (dictionary_pages_ == 0) return 0;
    Traits::append_plain(dictionary_.values(), dictionary_.size(), width_, body);
    return dictionary_.size();
  }

  void observe(P v) {
    if (Traits::ignored_in_statistics(v)) return;
    if (!has_min_max_) {
      min_ = v, max_ = v;
      has_min_max_ = true;
      return;
    }
    if (Traits::less(v, min_)) min_ = v;
    if (Traits::less(max_, v)) max_ = v;
  }

  void take_statistics(Statistics* s) override {
    if (!has_min_max_) return;
    std::string min = Traits::statistic(min_, true, width_), max = Traits::statistic(max_, false, width_);
    if (min.size() > kMaxStatisticsValueBytes || max.size() > kMaxStatisticsValueBytes) return;
    s->min_value = std::move(min);
    s->max_value = std::move(max);
  }

  void reset_values() override {
    dictionary_mode_ = use_dictionary_;
    dictionary_.clear();
    dictionary_size_at_page_start_ = 0;
    indices_.clear();
    plain_.clear();
    has_min_max_ = false;
  }

  const bool use_dictionary_;
  const size_t width_;  // FIXED_LEN_BYTE_ARRAY length
  bool dictionary_mode_ = false;
  Dictionary<Traits> dictionary_;
  size_t dictionary_size_at_page_start_ = 0;
  std::vector<P> values_;          // one segment's values (scratch)
  std::vector<uint32_t> indices_;  // the open page, dictionary mode
  std::string plain_;              // the open page, PLAIN
  bool has_min_max_ = false;
  typename Traits::Stored min_{}, max_{};
};

// BOOLEAN: PLAIN, one bit per value.
class BooleanColumnWriter final : public ColumnWriter {
 public:
  BooleanColumnWriter(const WriterOptions& options, std::string name)
      : ColumnWriter(options, std::move(name), PhysicalKind::BOOLEAN) {}

 private:
  void append_values(const Vector& v, size_t offset, const uint8_t* nulls, size_t n, size_t present) override {
    const uint8_t* in = v.data<uint8_t>() + offset;
    size_t start = values_.size();
    values_.resize(start + present);
    uint8_t* out = values_.data() + start;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      uint8_t b = in[i] != 0;
      out[m++] = b;
      seen_true_ |= b;
      seen_false_ |= !b;
    }
  }
  size_t page_value_bytes() const override { return values_.size() / 8; }
  int32_t take_page_values(std::string* body) override {
    size_t start = body->size();
    body->resize(start + (values_.size() + 7) / 8, '\0');
    auto* p = reinterpret_cast<uint8_t*>(body->data() + start);
    for (size_t i = 0; i < values_.size(); i++) p[i >> 3] = static_cast<uint8_t>(p[i >> 3] | (values_[i] << (i & 7)));
    values_.clear();
    return encoding::PLAIN;
  }
  size_t take_dictionary(std::string*) override { return 0; }
  void take_statistics(Statistics* s) override {
    if (!seen_true_ && !seen_false_) return;
    s->min_value = std::string(1, seen_false_ ? '\0' : '\1');
    s->max_value = std::string(1, seen_true_ ? '\1' : '\0');
  }
  void reset_values() override {
    values_.clear();
    seen_true_ = seen_false_ = false;
  }

  std::vector<uint8_t> values_;
  bool seen_true_ = false, seen_false_ = false;
};

// ---- schema -----------------------------------------------------------------------------------

// Bytes of the shortest two's complement that holds every unscaled value of `precision` digits.
size_t decimal_bytes(int precision) {
  auto limit = static_cast<unsigned __int128>(decimal::pow10(precision));
  for (size_t n = 1; n < 16; n++) {
    if (limit <= (static_cast<unsigned __int128>(1) << (8 * n - 1))) return n;
  }
  return 16;
}

[[noreturn]] void unsupported(const WriterColumn& c) {
  throw Error(ErrorCode::NOT_SUPPORTED,
              "Parquet writer: column " + c.name + " of type " + c.type.to_string() + " is not supported");
}

// The leaf's schema element and its column writer.
std::unique_ptr<ColumnWriter> make_column(const WriterColumn& c, const WriterOptions& o, SchemaElement* e) {
  e->name = c.name;
  e->repetition_type = repetition::OPTIONAL;
  auto integer = [&](int bits, int32_t converted_type) {
    e->type = PhysicalKind::INT32;
    e->converted_type = converted_type;
    e->logical_type.kind = LogicalType::INTEGER;
    e->logical_type.bit_width = bits;
    e->logical_type.is_signed = true;
    return std::make_unique<ValueColumnWriter<FixedTraits<int64_t, int32_t>>>(o, c.name, PhysicalKind::INT32, 4);
  };
  switch (c.type.id) {
    case TypeId::BOOLEAN:
      e->type = PhysicalKind::BOOLEAN;
      return std::make_unique<BooleanColumnWriter>(o, c.name);
    case TypeId::TINYINT: return integer(8, converted::INT_8);
    case TypeId::SMALLINT: return integer(16, converted::INT_16);
    case TypeId::INTEGER: return integer(32, converted::INT_32);
    case TypeId::BIGINT:
      e->type = PhysicalKind::INT64;
      return std::make_unique<ValueColumnWriter<FixedTraits<int64_t, int64_t>>>(o, c.name, PhysicalKind::INT64, 8);
    case TypeId::REAL:
      e->type = PhysicalKind::FLOAT;
      return std::make_unique<ValueColumnWriter<FixedTraits<double, float>>>(o, c.name, PhysicalKind::FLOAT, 4);
    case TypeId::DOUBLE:
      e->type = PhysicalKind::DOUBLE;
      return std::make_unique<ValueColumnWriter<FixedTraits<double, double>>>(o, c.name, PhysicalKind::DOUBLE, 8);
    case TypeId::DECIMAL: {
      int precision = c.type.precision, scale = c.type.scale;
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) unsupported(c);
      e->converted_type = converted::DECIMAL;
      e->precision = precision;
      e->scale = scale;
      e->logical_type.kind = LogicalType::DECIMAL;
      e->logical_type.decimal_precision = precision;
      e->logical_type.decimal_scale = scale;
      if (precision <= 9) {
        e->type = PhysicalKind::INT32;
        return std::make_unique<ValueColumnWriter<FixedTraits<int128, int32_t>>>(o, c.name, PhysicalKind::INT32, 4);
      }
      if (precision <= 18) {
        e->type = PhysicalKind::INT64;
        return std::make_unique<ValueColumnWriter<FixedTraits<int128, int64_t>>>(o, c.name, PhysicalKind::INT64, 8);
      }
      e->type = PhysicalKind::FIXED_LEN_BYTE_ARRAY;
      e->type_length = static_cast<int32_t>(decimal_bytes(precision));
      return std::make_unique<ValueColumnWriter<DecimalBytesTraits>>(o, c.name, PhysicalKind::FIXED_LEN_BYTE_ARRAY,
                                                                     e->type_length);
    }
    case TypeId::VARCHAR:
    case TypeId::VARBINARY:
      e->type = PhysicalKind::BYTE_ARRAY;
      if (c.type.id == TypeId::VARCHAR) {
        e->converted_type = converted::UTF8;
        e->logical_type.kind = LogicalType::STRING;
      }
      return std::make_unique<ValueColumnWriter<BytesTraits>>(o, c.name, PhysicalKind::BYTE_ARRAY, 0);
    case TypeId::DATE:
      e->type = PhysicalKind::INT32;
      e->converted_type = converted::DATE;
      e->logical_type.kind = LogicalType::DATE;
      return std::make_unique<ValueColumnWriter<FixedTraits<int64_t, int32_t>>>(o, c.name, PhysicalKind::INT32, 4);
    case TypeId::TIMESTAMP:
      // The engine keeps microseconds whatever the declared precision.
      e->type = PhysicalKind::INT64;
      e->converted_type = converted::TIMESTAMP_MICROS;
      e->logical_type.kind = LogicalType::TIMESTAMP;
      e->logical_type.is_adjusted_to_utc = false;
      e->logical_type.unit = TimeUnit::MICROS;
      return std::make_unique<ValueColumnWriter<FixedTraits<int64_t, int64_t>>>(o, c.name, PhysicalKind::INT64, 8);
    default: unsupported(c);
  }
}

bool same_storage(const Type& column, const Type& chunk) {
  if (column.id != chunk.id) return false;
  if (column.id == TypeId::DECIMAL) return column.precision == chunk.precision && column.scale == chunk.scale;
  return true;
}

}  // namespace

WriteCodec parse_write_codec(const std::string& name) {
  std::string n = to_lower_ascii(name);
  if (n == "snappy") return WriteCodec::SNAPPY;
  if (n == "gzip") return WriteCodec::GZIP;
  if (n == "zstd") return WriteCodec::ZSTD;
  if (n == "lz4" || n == "lz4_raw") return WriteCodec::LZ4_RAW;
  if (n == "none" || n == "uncompressed") return WriteCodec::UNCOMPRESSED;
  throw Error(ErrorCode::INVALID_ARGUMENT, "Parquet compression '" + name +
                                               "' is not supported; use one of: snappy, gzip, zstd, lz4, lz4_raw, "
                                               "none, uncompressed");
}

// ---- the file ---------------------------------------------------------------------------------

struct ParquetWriter::State {
  std::vector<WriterColumn> columns;
  WriterOptions options;
  std::function<void(std::string_view)> sink;
  std::vector<std::unique_ptr<ColumnWriter>> writers;
  FileMetaData metadata;
  int64_t group_rows = 0;
  uint64_t rows_written = 0, bytes_written = 0;
  bool finished = false;

  void emit(std::string_view bytes) {
    if (bytes.empty()) return;
    if (bytes_written == 0) {
      sink("PAR1");
      bytes_written = 4;
    }
    sink(bytes);
    bytes_written += bytes.size();
  }

  void flush_row_group() {
    if (group_rows == 0) return;
    RowGroup group;
    group.num_rows = group_rows;
    int64_t compressed = 0;
    for (auto& writer : writers) {
      ColumnMetaData m = writer->close_chunk();
      uint64_t start = bytes_written == 0 ? 4 : bytes_written;
      if (m.dictionary_page_offset) *m.dictionary_page_offset += static_cast<int64_t>(start);
      m.data_page_offset += static_cast<int64_t>(start);
      emit(writer->dictionary_page());
      emit(writer->data_pages());
      writer->reset_chunk();
      group.total_byte_size += m.total_uncompressed_size;
      compressed += m.total_compressed_size;
      ColumnChunk chunk;
      chunk.file_offset = static_cast<int64_t>(start);
      chunk.meta_data = std::move(m);
      group.columns.push_back(std::move(chunk));
    }
    group.total_compressed_size = compressed;
    metadata.num_rows += group_rows;
    metadata.row_groups.push_back(std::move(group));
    group_rows = 0;
  }

  size_t buffered_bytes() const {
    size_t total = 0;
    for (const auto& writer : writers) total += writer->buffered_bytes();
    return total;
  }
};

ParquetWriter::ParquetWriter(std::vector<WriterColumn> columns, WriterOptions options,
                             std::function<void(std::string_view)> sink)
    : state_(std::make_unique<State>()) {
  if (options.row_group_rows <= 0 || options.row_group_bytes <= 0 || options.page_rows <= 0) {
    throw Error(ErrorCode::INVALID_ARGUMENT, "Parquet writer: row group and page limits must be positive");
  }
  State& s = *state_;
  s.options = options;
  s.sink = std::move(sink);
  s.metadata.version = 1;
  s.metadata.created_by = kCreatedBy;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(columns.size());
  s.metadata.schema.push_back(root);
  for (const WriterColumn& c : columns) {
    SchemaElement e;
    s.writers.push_back(make_column(c, options, &e));
    s.metadata.schema.push_back(std::move(e));
  }
  s.columns = std::move(columns);
}

ParquetWriter::~ParquetWriter() = default;

void ParquetWriter::write(const Chunk& chunk) {
  State& s = *state_;
  if (s.finished) throw Error(ErrorCode::INTERNAL_ERROR, "Parquet writer: write() after finish()");
  if (chunk.columns.size() != s.columns.size()) {
    throw Error(ErrorCode::INVALID_ARGUMENT, "Parquet writer: a chunk of " + std::to_string(chunk.columns.size()) +
                                                 " columns for a file of " + std::to_string(s.columns.size()));
  }
  for (size_t c = 0; c < s.columns.size(); c++) {
    if (!same_storage(s.columns[c].type, chunk.columns[c].type())) {
      throw Error(ErrorCode::INVALID_ARGUMENT, "Parquet writer: column " + s.columns[c].name + " is " +
                                                   s.columns[c].type.to_string() + " but the chunk holds " +
                                                   chunk.columns[c].type().to_string());
    }
  }
  size_t offset = 0;
  while (offset < chunk.size) {
    size_t n = std::min<size_t>(chunk.size - offset, static_cast<size_t>(s.options.row_group_rows - s.group_rows));
    for (size_t c = 0; c < s.writers.size(); c++) s.writers[c]->write(chunk.columns[c], offset, n);
    s.group_rows += static_cast<int64_t>(n);
    s.rows_written += n;
    offset += n;
    if (s.group_rows >= s.options.row_group_rows ||
        s.buffered_bytes() >= static_cast<size_t>(s.options.row_group_bytes)) {
      s.flush_row_group();
    }
  }
}

void ParquetWriter::finish() {
  State& s = *state_;
  if (s.finished) throw Error(ErrorCode::INTERNAL_ERROR, "Parquet writer: finish() called twice");
  s.finished = true;
  s.flush_row_group();
  std::string footer;
  encode_file_metadata(s.metadata, &footer);
  auto length = static_cast<uint32_t>(footer.size());
  footer.append(reinterpret_cast<const char*>(&length), 4);
  footer.append("PAR1");
  s.emit(footer);
}

uint64_t ParquetWriter::rows_written() const { return state_->rows_written; }
uint64_t ParquetWriter::bytes_written() const { return state_->bytes_written; }

}  // namespace tributary::parquet
