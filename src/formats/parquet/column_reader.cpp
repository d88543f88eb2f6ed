#include "formats/parquet/column_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <snappy-c.h>

#include "common/datetime.h"
#include "common/decimal.h"
#include "common/error.h"
#include "common/text.h"
#include "common/value.h"
#include "formats/parquet/codecs.h"
#include "formats/parquet/encodings.h"

namespace tributary::parquet {

namespace {

int bit_width_of(int max_level) {
  int bits = 0;
  while (max_level > 0) {
    bits++;
    max_level >>= 1;
  }
  return bits;
}

uint32_t load_le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::string encoding_name(int32_t e) {
  switch (e) {
    case encoding::PLAIN: return "PLAIN";
    case encoding::PLAIN_DICTIONARY: return "PLAIN_DICTIONARY";
    case encoding::RLE: return "RLE";
    case encoding::BIT_PACKED: return "BIT_PACKED";
    case encoding::DELTA_BINARY_PACKED: return "DELTA_BINARY_PACKED";
    case encoding::DELTA_LENGTH_BYTE_ARRAY: return "DELTA_LENGTH_BYTE_ARRAY";
    case encoding::DELTA_BYTE_ARRAY: return "DELTA_BYTE_ARRAY";
    case encoding::RLE_DICTIONARY: return "RLE_DICTIONARY";
    case encoding::BYTE_STREAM_SPLIT: return "BYTE_STREAM_SPLIT";
    default: return "encoding " + std::to_string(e);
  }
}

[[noreturn]] void not_supported(const std::string& what, uint64_t offset) {
  throw Error(ErrorCode::NOT_SUPPORTED, what + " is not supported (at offset " + std::to_string(offset) + ")");
}

template <class E>
std::vector<E>& values_of(PageValues& v);
template <>
std::vector<uint8_t>& values_of<uint8_t>(PageValues& v) { return v.b; }
template <>
std::vector<int64_t>& values_of<int64_t>(PageValues& v) { return v.i64; }
template <>
std::vector<double>& values_of<double>(PageValues& v) { return v.f64; }
template <>
std::vector<int128>& values_of<int128>(PageValues& v) { return v.i128; }
template <>
std::vector<std::string_view>& values_of<std::string_view>(PageValues& v) { return v.str; }

template <class E>
void gather(const std::vector<E>& dictionary, const uint32_t* indices, size_t count, E* out) {
  const E* dict = dictionary.data();
  for (size_t i = 0; i < count; i++) out[i] = dict[indices[i]];
}


// Page-sized scratch buffers recycled between the column chunk readers of one thread: a reader
// lives for one row group, and fresh multi-hundred-kilobyte buffers per row group cost page
// faults and zero-filling.
struct RecycledBuffers {
  static constexpr size_t kMaxKept = 32;
  static constexpr size_t kMaxBytes = size_t{64} << 20;
  std::vector<std::vector<uint8_t>> pages, levels;
  std::vector<std::vector<uint32_t>> indices;
  ~RecycledBuffers() { gone = true; }
  // Set once the thread's cache is destroyed (a reader freed later frees its own buffers).
  static thread_local bool gone;
};
thread_local bool RecycledBuffers::gone = false;
thread_local RecycledBuffers t_recycled;

template <class T>
std::vector<T> take_buffer(std::vector<std::vector<T>>& pool) {
  if (pool.empty()) return {};
  std::vector<T> buffer = std::move(pool.back());
  pool.pop_back();
  return buffer;
}

template <class T>
void give_buffer(std::vector<std::vector<T>>& pool, std::vector<T>& buffer) {
  if (buffer.capacity() == 0 || buffer.capacity() * sizeof(T) > RecycledBuffers::kMaxBytes) return;
  if (pool.size() >= RecycledBuffers::kMaxKept) return;
  pool.push_back(std::move(buffer));
}

}  // namespace

ColumnChunkReader::~ColumnChunkReader() {
  if (RecycledBuffers::gone) return;
  give_buffer(t_recycled.pages, page_buffer_);
  give_buffer(t_recycled.levels, def_);
  give_buffer(t_recycled.indices, indices_);
}

ColumnChunkReader::ColumnChunkReader(const LeafDescriptor& leaf, const ColumnMetaData& meta,
                                     std::shared_ptr<const std::string> buffer, std::string_view bytes,
                                     uint64_t file_offset, bool as_list)
    : leaf_(leaf),
      codec_(meta.codec),
      num_values_(meta.num_values),
      buffer_(std::move(buffer)),
      bytes_(bytes),
      file_offset_(file_offset),
      as_list_(as_list),
      page_buffer_(RecycledBuffers::gone ? std::vector<uint8_t>() : take_buffer(t_recycled.pages)),
      indices_(RecycledBuffers::gone ? std::vector<uint32_t>() : take_buffer(t_recycled.indices)) {
  if (!RecycledBuffers::gone) def_ = take_buffer(t_recycled.levels);
}

// ---- pages ------------------------------------------------------------------------------------

bool ColumnChunkReader::next_page(size_t skip_rows, size_t* skipped) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes_.data());
  while (pos_ < bytes_.size() && values_seen_ < num_values_) {
    uint64_t page_offset = file_offset_ + pos_;
    size_t header_size = 0;
    PageHeader h;
    try {
      h = decode_page_header(data + pos_, bytes_.size() - pos_, page_offset, &header_size);
    } catch (const Error& e) {
      throw_corrupt("page header is corrupt (" + e.message() + ")", page_offset);
    }
    if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
      throw_corrupt("page header declares a negative page size", page_offset);
    }
    if (static_cast<size_t>(h.compressed_page_size) > bytes_.size() - pos_ - header_size) {
      throw_corrupt("page of " + std::to_string(h.compressed_page_size) +
                        " bytes runs past the end of the column chunk",
                    page_offset);
    }
    const uint8_t* body = data + pos_ + header_size;
    pos_ += header_size + static_cast<size_t>(h.compressed_page_size);
    if (skipped && leaf_.max_rep == 0 && !as_list_) {
      // A flat column's page holds one value level per row: a page wholly inside the rows to
      // skip is passed over without being decompressed or decoded.
      int32_t page_values = h.type == page_type::DATA_PAGE && h.data_page_header ? h.data_page_header->num_values
                            : h.type == page_type::DATA_PAGE_V2 && h.data_page_header_v2
                                ? h.data_page_header_v2->num_values
                                : -1;
      if (page_values >= 0 && static_cast<size_t>(page_values) <= skip_rows &&
          page_values <= num_values_ - values_seen_) {
        values_seen_ += page_values;
        *skipped = static_cast<size_t>(page_values);
        return true;
      }
    }
    switch (h.type) {
      case page_type::DICTIONARY_PAGE: load_dictionary(h, body, page_offset); break;
      case page_type::DATA_PAGE: load_data_page_v1(h, body, page_offset); return true;
      case page_type::DATA_PAGE_V2: load_data_page_v2(h, body, page_offset); return true;
      default: break;  // index pages and future page types are skipped
    }
  }
  return false;
}

bool ColumnChunkReader::page_needs_own_heap(int32_t enc) const {
  // Strings decoded without a dictionary point into the page, and DELTA_BYTE_ARRAY builds its
  // values in the page's heap: such pages get a heap that outlives them. Other pages reuse one
  // buffer (fresh multi-megabyte allocations per page cost page faults).
  bool dictionary = enc == encoding::PLAIN_DICTIONARY || enc == encoding::RLE_DICTIONARY;
  return !dictionary && (leaf_.type.physical() == PhysicalType::STRING || enc == encoding::DELTA_BYTE_ARRAY);
}

const uint8_t* ColumnChunkReader::decompress_page(bool own_heap, const uint8_t* data, size_t size,
                                                  size_t uncompressed_size, uint64_t page_offset) {
  if (own_heap) {
    page_heap_ = Vector(Type::varchar(), 1);
    return decompress_into(page_heap_, data, size, uncompressed_size, page_offset);
  }
  check_page_size(data, size, uncompressed_size, page_offset);
  if (page_buffer_.size() < uncompressed_size + 1) page_buffer_.resize(uncompressed_size + 1);
  decompress(codec_, data, size, page_buffer_.data(), uncompressed_size, page_offset);
  return page_buffer_.data();
}

void ColumnChunkReader::check_page_size(const uint8_t* data, size_t size, size_t uncompressed_size,
                                        uint64_t page_offset) const {
  if (uncompressed_size > kMaxPageBytes) {
    throw_corrupt("page declares " + std::to_string(uncompressed_size) + " uncompressed bytes (the limit is " +
                      std::to_string(kMaxPageBytes) + ")",
                  page_offset);
  }
  if (codec_ == codec::UNCOMPRESSED && size != uncompressed_size) {
    throw_corrupt("uncompressed page of " + std::to_string(size) + " bytes declares " +
                      std::to_string(uncompressed_size),
                  page_offset);
  }
  if (codec_ == codec::SNAPPY) {
    // Check the stream's own length before allocating for it.
    size_t length = 0;
    if (snappy_uncompressed_length(reinterpret_cast<const char*>(data), size, &length) != SNAPPY_OK ||
        length != uncompressed_size) {
      throw_corrupt("snappy data is corrupt or does not expand to the page size", page_offset);
    }
  }
}

const uint8_t* ColumnChunkReader::decompress_into(Vector& carrier, const uint8_t* data, size_t size,
                                                  size_t uncompressed_size, uint64_t page_offset) {
  check_page_size(data, size, uncompressed_size, page_offset);
  // One spare zero byte keeps the buffer non-empty.
  auto* out = reinterpret_cast<uint8_t*>(carrier.heap().allocate(uncompressed_size + 1));
  out[uncompressed_size] = 0;
  decompress(codec_, data, size, out, uncompressed_size, page_offset);
  return out;
}

void ColumnChunkReader::load_dictionary(const PageHeader& h, const uint8_t* body, uint64_t page_offset) {
  if (!h.dictionary_page_header) throw_corrupt("dictionary page without its header", page_offset);
  const DictionaryPageHeader& d = *h.dictionary_page_header;
  if (has_dictionary_) throw_corrupt("column chunk has a second dictionary page", page_offset);
  if (d.num_values < 0 || static_cast<size_t>(d.num_values) > kMaxPageValues) {
    throw_corrupt("dictionary page declares " + std::to_string(d.num_values) + " values", page_offset);
  }
  if (d.encoding != encoding::PLAIN && d.encoding != encoding::PLAIN_DICTIONARY) {
    not_supported("dictionary page encoding " + encoding_name(d.encoding), page_offset);
  }
  dictionary_heap_ = Vector(Type::varchar(), 1);
  const uint8_t* buffer = decompress_into(dictionary_heap_, body, h.compressed_page_size,
                                          h.uncompressed_page_size, page_offset);
  Vector saved = page_heap_;
  page_heap_ = dictionary_heap_;  // plain decoding of FLBA/BSS copies land in the dictionary's heap
  decode_plain(buffer, h.uncompressed_page_size, d.num_values, page_offset, dictionary_);
  page_heap_ = saved;
  has_dictionary_ = true;
}

// True when the levels are one RLE run of `value` covering at least `count` levels, as a
// column chunk without NULLs stores its definition levels.
static bool single_run_of(const uint8_t* data, size_t size, int bit_width, size_t count, uint32_t value) {
  uint64_t header = 0;
  size_t pos = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= size || shift > 63) return false;
    uint8_t byte = data[pos++];
    header |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if ((header & 1) != 0 || (header >> 1) < count) return false;
  size_t value_bytes = (static_cast<size_t>(bit_width) + 7) / 8;
  if (size - pos < value_bytes) return false;
  uint32_t run_value = 0;
  for (size_t i = 0; i < value_bytes; i++) run_value |= static_cast<uint32_t>(data[pos + i]) << (8 * i);
  return run_value == value;
}

bool ColumnChunkReader::decode_definition_levels(const uint8_t* data, size_t size, size_t count,
                                                 uint64_t page_offset) {
  if (!as_list_ && single_run_of(data, size, bit_width_of(leaf_.max_def), count, leaf_.max_def)) {
    def_.clear();
    return true;
  }
  decode_levels(data, size, leaf_.max_def, count, page_offset, def_);
  return false;
}

void ColumnChunkReader::decode_levels(const uint8_t* data, size_t size, int max_level, size_t count,
                                      uint64_t page_offset, std::vector<uint8_t>& out) {
  out.resize(count);
  if (count == 0) return;
  RleBitPackedDecoder decoder(data, size, bit_width_of(max_level), page_offset);
  decoder.decode(out.data(), count);
  uint8_t highest = 0;
  for (size_t i = 0; i < count; i++) highest = std::max(highest, out[i]);
  if (highest > max_level) {
    throw_corrupt("level " + std::to_string(highest) + " exceeds the column's maximum " + std::to_string(max_level),
                  page_offset);
  }
}

void ColumnChunkReader::load_data_page_v1(const PageHeader& h, const uint8_t* body, uint64_t page_offset) {
  if (!h.data_page_header) throw_corrupt("data page without its header", page_offset);
  const DataPageHeader& d = *h.data_page_header;
  if (d.num_values < 0 || static_cast<size_t>(d.num_values) > kMaxPageValues ||
      d.num_values > num_values_ - values_seen_) {
    throw_corrupt("data page declares " + std::to_string(d.num_values) + " values", page_offset);
  }
  size_t count = static_cast<size_t>(d.num_values);
  values_seen_ += d.num_values;
  size_t size = static_cast<size_t>(h.uncompressed_page_size);
  const uint8_t* p =
      decompress_page(page_needs_own_heap(d.encoding), body, h.compressed_page_size, size, page_offset);
  bool all_defined = leaf_.max_def == 0;
  auto levels = [&](int max_level, int32_t level_encoding, std::vector<uint8_t>& out) {
    if (max_level == 0) {
      out.clear();
      return;
    }
    if (level_encoding != encoding::RLE) not_supported("level encoding " + encoding_name(level_encoding), page_offset);
    if (size < 4) throw_corrupt("data page is too short for its levels", page_offset);
    uint32_t length = load_le32(p);
    if (length > size - 4) throw_corrupt("levels of " + std::to_string(length) + " bytes run past the page", page_offset);
    if (&out == &def_) {
      all_defined = decode_definition_levels(p + 4, length, count, page_offset);
    } else {
      decode_levels(p + 4, length, max_level, count, page_offset, out);
    }
    p += 4 + length;
    size -= 4 + length;
  };
  levels(leaf_.max_rep, d.repetition_level_encoding, rep_);
  levels(leaf_.max_def, d.definition_level_encoding, def_);
  page_levels_ = count;
  level_pos_ = 0;
  size_t present = count;
  if (!all_defined) {
    present = 0;
    const uint8_t max_def = static_cast<uint8_t>(leaf_.max_def);
    for (size_t i = 0; i < count; i++) present += def_[i] == max_def;
  }
  page_nulls_ = count - present;
  value_pos_ = 0;
  decode_values(d.encoding, p, size, present, page_offset, values_);
}

void ColumnChunkReader::load_data_page_v2(const PageHeader& h, const uint8_t* body, uint64_t page_offset) {
  if (!h.data_page_header_v2) throw_corrupt("data page v2 without its header", page_offset);
  const DataPageHeaderV2& d = *h.data_page_header_v2;
  if (d.num_values < 0 || static_cast<size_t>(d.num_values) > kMaxPageValues ||
      d.num_values > num_values_ - values_seen_) {
    throw_corrupt("data page declares " + std::to_string(d.num_values) + " values", page_offset);
  }
  if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0 ||
      static_cast<int64_t>(d.repetition_levels_byte_length) + d.definition_levels_byte_length >
          std::min(h.compressed_page_size, h.uncompressed_page_size)) {
    throw_corrupt("data page v2 level lengths exceed the page", page_offset);
  }
  size_t count = static_cast<size_t>(d.num_values);
  values_seen_ += d.num_values;
  size_t rep_length = d.repetition_levels_byte_length, def_length = d.definition_levels_byte_length;
  if (leaf_.max_rep > 0) decode_levels(body, rep_length, leaf_.max_rep, count, page_offset, rep_);
  bool all_defined = leaf_.max_def == 0 || decode_definition_levels(body + rep_length, def_length, count, page_offset);
  if (leaf_.max_rep == 0) rep_.clear();
  if (leaf_.max_def == 0) def_.clear();
  const uint8_t* values = body + rep_length + def_length;
  size_t compressed = h.compressed_page_size - rep_length - def_length;
  size_t uncompressed = h.uncompressed_page_size - rep_length - def_length;
  const uint8_t* p;
  bool own_heap = page_needs_own_heap(d.encoding);
  if (d.is_compressed && codec_ != codec::UNCOMPRESSED) {
    p = decompress_page(own_heap, values, compressed, uncompressed, page_offset);
  } else {
    if (compressed != uncompressed) throw_corrupt("uncompressed data page v2 sizes disagree", page_offset);
    uint8_t* copy;
    if (own_heap) {
      page_heap_ = Vector(Type::varchar(), 1);
      copy = reinterpret_cast<uint8_t*>(page_heap_.heap().allocate(uncompressed + 1));
    } else {
      if (page_buffer_.size() < uncompressed + 1) page_buffer_.resize(uncompressed + 1);
      copy = page_buffer_.data();
    }
    if (uncompressed > 0) std::memcpy(copy, values, uncompressed);
    p = copy;
  }
  page_levels_ = count;
  level_pos_ = 0;
  size_t present = count;
  if (!all_defined) {
    present = 0;
    const uint8_t max_def = static_cast<uint8_t>(leaf_.max_def);
    for (size_t i = 0; i < count; i++) present += def_[i] == max_def;
  }
  page_nulls_ = count - present;
  value_pos_ = 0;
  decode_values(d.encoding, p, uncompressed, present, page_offset, values_);
}

// ---- values -----------------------------------------------------------------------------------

void ColumnChunkReader::prepare(PageValues& out, size_t count) {
  out.count = count;
  switch (leaf_.type.physical()) {
    case PhysicalType::BOOL: out.b.assign(count + 1, 0); break;
    case PhysicalType::I64: out.i64.resize(count + 1); out.i64[count] = 0; break;
    case PhysicalType::F64: out.f64.resize(count + 1); out.f64[count] = 0; break;
    case PhysicalType::I128: out.i128.resize(count + 1); out.i128[count] = 0; break;
    case PhysicalType::STRING: out.str.resize(count + 1); out.str[count] = {}; break;
  }
}

void ColumnChunkReader::decode_values(int32_t enc, const uint8_t* data, size_t size, size_t count,
                                      uint64_t page_offset, PageValues& out) {
  values_use_dictionary_heap_ = false;
  value_source_ = ValueSource::MATERIALIZED;
  const PhysicalKind physical = leaf_.physical;
  switch (enc) {
    case encoding::PLAIN: {
      size_t width = plain_fetch_width();
      if (width != 0) {
        // Fixed-width values are converted straight into the output vectors by fetch().
        if (uint64_t{count} * width > size) {
          throw_corrupt("PLAIN data of " + std::to_string(size) + " bytes is too short for " + std::to_string(count) +
                            " values",
                        page_offset);
        }
        value_source_ = ValueSource::PLAIN;
        plain_data_ = data;
        out.count = count;
        return;
      }
      decode_plain(data, size, count, page_offset, out);
      return;
    }
    case encoding::PLAIN_DICTIONARY:
    case encoding::RLE_DICTIONARY: {
      if (!has_dictionary_) throw_corrupt("dictionary-encoded page without a dictionary page", page_offset);
      values_use_dictionary_heap_ = true;
      // Lists read values_ by position: they get the values gathered; flat columns gather from the
      // dictionary into the output vectors in fetch().
      const bool gather_now = as_list_;
      if (gather_now) {
        prepare(out, count);
      } else {
        value_source_ = ValueSource::DICTIONARY;
        out.count = count;
      }
      if (count == 0) return;
      if (size < 1) throw_corrupt("dictionary indices are missing", page_offset);
      int bit_width = data[0];
      if (bit_width > 32) throw_corrupt("dictionary index bit width " + std::to_string(bit_width) + " is invalid", page_offset);
      if (!gather_now) {
        // fetch() decodes the indices batch by batch (they stay in L1) as the rows are read.
        index_decoder_.emplace(data + 1, size - 1, bit_width, page_offset);
        index_bit_width_ = bit_width;
        page_offset_ = page_offset;
        return;
      }
      if (indices_.size() < count) indices_.resize(count);
      RleBitPackedDecoder decoder(data + 1, size - 1, bit_width, page_offset);
      decoder.decode(indices_.data(), count);
      uint32_t highest = 0;
      for (size_t i = 0; i < count; i++) highest = std::max(highest, indices_[i]);
      if (highest >= dictionary_.count) {
        throw_corrupt("dictionary index " + std::to_string(highest) + " out of range (dictionary has " +
                          std::to_string(dictionary_.count) + " values)",
                      page_offset);
      }
      switch (leaf_.type.physical()) {
        case PhysicalType::BOOL: gather(dictionary_.b, indices_.data(), count, out.b.data()); break;
        case PhysicalType::I64: gather(dictionary_.i64, indices_.data(), count, out.i64.data()); break;
        case PhysicalType::F64: gather(dictionary_.f64, indices_.data(), count, out.f64.data()); break;
        case PhysicalType::I128: gather(dictionary_.i128, indices_.data(), count, out.i128.data()); break;
        case PhysicalType::STRING: gather(dictionary_.str, indices_.data(), count, out.str.data()); break;
      }
      return;
    }
    case encoding::RLE: {
      if (physical != PhysicalKind::BOOLEAN) not_supported("RLE encoding of non-boolean values", page_offset);
      prepare(out, count);
      if (count == 0) return;
      if (size < 4) throw_corrupt("RLE boolean data is truncated", page_offset);
      uint32_t length = load_le32(data);
      if (length > size - 4) throw_corrupt("RLE boolean data runs past the page", page_offset);
      RleBitPackedDecoder decoder(data + 4, length, 1, page_offset);
      decoder.decode(out.b.data(), count);
      return;
    }
    case encoding::DELTA_BINARY_PACKED: {
      if (physical != PhysicalKind::INT32 && physical != PhysicalKind::INT64) {
        throw_corrupt("DELTA_BINARY_PACKED encoding of a non-integer column", page_offset);
      }
      size_t consumed = 0;
      scratch_i64_ = decode_delta_binary_packed(data, size, count, page_offset, &consumed);
      if (scratch_i64_.size() != count) {
        throw_corrupt("DELTA_BINARY_PACKED holds " + std::to_string(scratch_i64_.size()) + " values where " +
                          std::to_string(count) + " were expected",
                      page_offset);
      }
      ints_to_engine(scratch_i64_.data(), count, out);
      return;
    }
    case encoding::DELTA_LENGTH_BYTE_ARRAY:
    case encoding::DELTA_BYTE_ARRAY: {
      if (physical != PhysicalKind::BYTE_ARRAY && physical != PhysicalKind::FIXED_LEN_BYTE_ARRAY) {
        throw_corrupt(encoding_name(enc) + " encoding of a non-binary column", page_offset);
      }
      scratch_views_.resize(count);
      if (count > 0) {
        if (enc == encoding::DELTA_BYTE_ARRAY) {
          decode_delta_byte_array(data, size, count, page_offset, page_heap_.heap(), scratch_views_.data());
        } else {
          size_t consumed = 0;
          decode_delta_length_byte_array(data, size, count, page_offset, scratch_views_.data(), &consumed);
        }
      }
      views_to_engine(scratch_views_.data(), count, page_offset, out);
      return;
    }
    case encoding::BYTE_STREAM_SPLIT: {
      size_t width = physical == PhysicalKind::INT32 || physical == PhysicalKind::FLOAT    ? 4
                     : physical == PhysicalKind::INT64 || physical == PhysicalKind::DOUBLE ? 8
                     : physical == PhysicalKind::FIXED_LEN_BYTE_ARRAY ? static_cast<size_t>(leaf_.type_length)
                                                                      : 0;
      if (width == 0) throw_corrupt("BYTE_STREAM_SPLIT encoding of a column without fixed width", page_offset);
      if (count > size / width) {
        throw_corrupt("BYTE_STREAM_SPLIT data is too short for " + std::to_string(count) + " values", page_offset);
      }
      uint8_t* joined;
      if (leaf_.type.physical() == PhysicalType::STRING) {
        joined = reinterpret_cast<uint8_t*>(page_heap_.heap().allocate(count * width + 1));
      } else {
        if (split_buffer_.size() < count * width + 1) split_buffer_.resize(count * width + 1);
        joined = split_buffer_.data();
      }
      decode_byte_stream_split(data, size, count, width, page_offset, joined);
      decode_plain(joined, count * width, count, page_offset, out);
      return;
    }
    default: not_supported("Parquet encoding " + encoding_name(enc), page_offset);
  }
}

void ColumnChunkReader::ints_to_engine(const int64_t* in, size_t count, PageValues& out) {
  prepare(out, count);
  switch (leaf_.conversion) {
    case Conversion::INT32:
    case Conversion::DATE:
      for (size_t i = 0; i < count; i++) out.i64[i] = static_cast<int32_t>(in[i]);
      break;
    case Conversion::UINT32:
      for (size_t i = 0; i < count; i++) out.i64[i] = static_cast<uint32_t>(in[i]);
      break;
    case Conversion::TIME_MILLIS:
      for (size_t i = 0; i < count; i++) out.i64[i] = static_cast<int64_t>(static_cast<int32_t>(in[i])) * 1000;
      break;
    case Conversion::DECIMAL_INT32:
      for (size_t i = 0; i < count; i++) out.i128[i] = static_cast<int32_t>(in[i]);
      break;
    case Conversion::INT64:
    case Conversion::TIMESTAMP_MICROS:
    case Conversion::TIME_MICROS:
      if (count > 0) std::memcpy(out.i64.data(), in, count * 8);
      break;
    case Conversion::TIMESTAMP_MILLIS:
      // Wrapping multiply: out-of-range values of a corrupt file must not be UB.
      for (size_t i = 0; i < count; i++) out.i64[i] = static_cast<int64_t>(static_cast<uint64_t>(in[i]) * 1000u);
      break;
    case Conversion::TIMESTAMP_NANOS:
    case Conversion::TIME_NANOS:
      for (size_t i = 0; i < count; i++) out.i64[i] = floor_div_1000(in[i]);
      break;
    case Conversion::UINT64:
      for (size_t i = 0; i < count; i++) out.i128[i] = static_cast<int128>(static_cast<uint64_t>(in[i]));
      break;
    case Conversion::DECIMAL_INT64:
      for (size_t i = 0; i < count; i++) out.i128[i] = in[i];
      break;
    default: throw Error(ErrorCode::INTERNAL_ERROR, "Parquet integer conversion for column " + leaf_.path);
  }
}

void ColumnChunkReader::views_to_engine(const std::string_view* in, size_t count, uint64_t page_offset,
                                        PageValues& out) {
  prepare(out, count);
  if (leaf_.physical == PhysicalKind::FIXED_LEN_BYTE_ARRAY) {
    for (size_t i = 0; i < count; i++) {
      if (in[i].size() != static_cast<size_t>(leaf_.type_length)) {
        throw_corrupt("fixed-length value of " + std::to_string(in[i].size()) + " bytes in a column of " +
                          std::to_string(leaf_.type_length),
                      page_offset);
      }
    }
  }
  if (leaf_.conversion == Conversion::DECIMAL_BYTES) {
    for (size_t i = 0; i < count; i++) {
      if (in[i].size() > 16) throw_corrupt("decimal value of " + std::to_string(in[i].size()) + " bytes", page_offset);
      out.i128[i] = decimal_from_big_endian(reinterpret_cast<const uint8_t*>(in[i].data()), in[i].size());
    }
  } else {
    std::copy(in, in + count, out.str.begin());
  }
}

void ColumnChunkReader::decode_plain(const uint8_t* data, size_t size, size_t count, uint64_t page_offset,
                                     PageValues& out) {
  auto need = [&](uint64_t bytes) {
    if (bytes > size) {
      throw_corrupt("PLAIN data of " + std::to_string(size) + " bytes is too short for " + std::to_string(count) +
                        " values",
                    page_offset);
    }
  };
  switch (leaf_.physical) {
    case PhysicalKind::BOOLEAN:
      need((count + 7) / 8);
      prepare(out, count);
      for (size_t i = 0; i < count; i++) out.b[i] = (data[i >> 3] >> (i & 7)) & 1;
      return;
    case PhysicalKind::INT32:
      need(uint64_t{count} * 4);
      if (leaf_.conversion == Conversion::INT32 || leaf_.conversion == Conversion::DATE) {
        prepare(out, count);
        for (size_t i = 0; i < count; i++) out.i64[i] = static_cast<int32_t>(load_le32(data + 4 * i));
        return;
      }
      scratch_i64_.resize(count);
      for (size_t i = 0; i < count; i++) scratch_i64_[i] = static_cast<int32_t>(load_le32(data + 4 * i));
      ints_to_engine(scratch_i64_.data(), count, out);
      return;
    case PhysicalKind::INT64:
      need(uint64_t{count} * 8);
      if (leaf_.conversion == Conversion::INT64 || leaf_.conversion == Conversion::TIMESTAMP_MICROS ||
          leaf_.conversion == Conversion::TIME_MICROS) {
        prepare(out, count);
        if (count > 0) std::memcpy(out.i64.data(), data, count * 8);
        return;
      }
      scratch_i64_.resize(count);
      if (count > 0) std::memcpy(scratch_i64_.data(), data, count * 8);
      ints_to_engine(scratch_i64_.data(), count, out);
      return;
    case PhysicalKind::INT96:
      need(uint64_t{count} * 12);
      prepare(out, count);
      for (size_t i = 0; i < count; i++) out.i64[i] = int96_to_micros(data + 12 * i);
      return;
    case PhysicalKind::FLOAT:
      need(uint64_t{count} * 4);
      prepare(out, count);
      for (size_t i = 0; i < count; i++) {
        float f;
        std::memcpy(&f, data + 4 * i, 4);
        out.f64[i] = f;
      }
      return;
    case PhysicalKind::DOUBLE:
      need(uint64_t{count} * 8);
      prepare(out, count);
      if (count > 0) std::memcpy(out.f64.data(), data, count * 8);
      return;
    case PhysicalKind::BYTE_ARRAY: {
      scratch_views_.resize(count);
      size_t pos = 0;
      for (size_t i = 0; i < count; i++) {
        if (size - pos < 4) throw_corrupt("PLAIN byte array length runs past the page", page_offset);
        uint32_t length = load_le32(data + pos);
        pos += 4;
        if (length > size - pos) {
          throw_corrupt("byte array of " + std::to_string(length) + " bytes runs past the page", page_offset);
        }
        scratch_views_[i] = std::string_view(reinterpret_cast<const char*>(data + pos), length);
        pos += length;
      }
      views_to_engine(scratch_views_.data(), count, page_offset, out);
      return;
    }
    case PhysicalKind::FIXED_LEN_BYTE_ARRAY: {
      size_t width = static_cast<size_t>(leaf_.type_length);
      need(uint64_t{count} * width);
      scratch_views_.resize(count);
      for (size_t i = 0; i < count; i++) {
        scratch_views_[i] = std::string_view(reinterpret_cast<const char*>(data + i * width), width);
      }
      views_to_engine(scratch_views_.data(), count, page_offset, out);
      return;
    }
  }
}

// ---- output -----------------------------------------------------------------------------------

void ColumnChunkReader::read(Vector& out, size_t count) {
  if (as_list_) {
    read_list(out, count);
    return;
  }
  switch (leaf_.type.physical()) {
    case PhysicalType::BOOL: read_flat<uint8_t>(out, count); break;
    case PhysicalType::I64: read_flat<int64_t>(out, count); break;
    case PhysicalType::F64: read_flat<double>(out, count); break;
    case PhysicalType::I128: read_flat<int128>(out, count); break;
    case PhysicalType::STRING: read_flat<std::string_view>(out, count); break;
  }
}

size_t ColumnChunkReader::plain_fetch_width() const {
  if (as_list_) return 0;
  switch (leaf_.conversion) {
    case Conversion::INT32:
    case Conversion::DATE:
    case Conversion::DECIMAL_INT32: return leaf_.physical == PhysicalKind::INT32 ? 4 : 0;
    case Conversion::INT64:
    case Conversion::TIMESTAMP_MICROS:
    case Conversion::TIME_MICROS:
    case Conversion::DECIMAL_INT64: return leaf_.physical == PhysicalKind::INT64 ? 8 : 0;
    case Conversion::DOUBLE: return leaf_.physical == PhysicalKind::DOUBLE ? 8 : 0;
    case Conversion::FLOAT: return leaf_.physical == PhysicalKind::FLOAT ? 4 : 0;
    default: return 0;
  }
}

template <class E>
void ColumnChunkReader::fetch(E* out, size_t start, size_t n) {
  if (n == 0) return;
  switch (value_source_) {
    case ValueSource::MATERIALIZED: {
      const E* values = values_of<E>(values_).data() + start;
      std::copy(values, values + n, out);
      return;
    }
    case ValueSource::DICTIONARY: {
      // Sequential: start is always the number of values fetched from this page so far.
      const auto& dictionary = values_of<E>(dictionary_);
      const bool check = (uint64_t{1} << index_bit_width_) > dictionary_.count;
      if (indices_.size() < std::min(n, kIndexBatch)) indices_.resize(kIndexBatch);
      for (size_t done = 0; done < n;) {
        size_t m = std::min(n - done, kIndexBatch);
        index_decoder_->decode(indices_.data(), m);
        if (check) {
          uint32_t highest = 0;
          for (size_t i = 0; i < m; i++) highest = std::max(highest, indices_[i]);
          if (highest >= dictionary_.count) {
            throw_corrupt("dictionary index " + std::to_string(highest) + " out of range (dictionary has " +
                              std::to_string(dictionary_.count) + " values)",
                          page_offset_);
          }
        }
        gather(dictionary, indices_.data(), m, out + done);
        if (codes_cursor_) std::memcpy(codes_cursor_ + done, indices_.data(), m * sizeof(uint32_t));
        done += m;
      }
      return;
    }
    case ValueSource::PLAIN: break;
  }
  const uint8_t* p = plain_data_;
  if constexpr (std::is_same_v<E, int64_t>) {
    if (leaf_.physical == PhysicalKind::INT32) {
      p += start * 4;
      for (size_t i = 0; i < n; i++) out[i] = static_cast<int32_t>(load_le32(p + 4 * i));
    } else {
      std::memcpy(out, p + start * 8, n * 8);
    }
  } else if constexpr (std::is_same_v<E, int128>) {
    if (leaf_.physical == PhysicalKind::INT32) {
      p += start * 4;
      for (size_t i = 0; i < n; i++) out[i] = static_cast<int32_t>(load_le32(p + 4 * i));
    } else {
      p += start * 8;
      for (size_t i = 0; i < n; i++) {
        int64_t v;
        std::memcpy(&v, p + 8 * i, 8);
        out[i] = v;
      }
    }
  } else if constexpr (std::is_same_v<E, double>) {
    if (leaf_.physical == PhysicalKind::FLOAT) {
      p += start * 4;
      for (size_t i = 0; i < n; i++) {
        float f;
        std::memcpy(&f, p + 4 * i, 4);
        out[i] = f;
      }
    } else {
      std::memcpy(out, p + start * 8, n * 8);
    }
  } else {
    throw Error(ErrorCode::INTERNAL_ERROR, "Parquet PLAIN fetch of column " + leaf_.path);
  }
}

bool ColumnChunkReader::read_codes(Vector& out, size_t count, uint32_t* codes) {
  codes_ = codes;
  codes_complete_ = !as_list_;
  try {
    read(out, count);
  } catch (...) {
    codes_ = nullptr;
    throw;
  }
  codes_ = nullptr;
  return codes_complete_;
}

void ColumnChunkReader::skip(size_t count) {
  if (as_list_) {
    // Lists are assembled level by level: read them into a scratch vector.
    Vector scratch(Type::varchar(), std::max(count, kChunkCapacity));  // its JSON text goes with it
    read_list(scratch, count);
    return;
  }
  size_t done = 0;
  while (done < count) {
    if (level_pos_ == page_levels_) {
      size_t skipped = 0;
      if (!next_page(count - done, &skipped)) {
        throw_corrupt("column " + leaf_.path + " ends " + std::to_string(count - done) + " rows early",
                      file_offset_ + bytes_.size());
      }
      done += skipped;
      continue;
    }
    size_t n = std::min(count - done, page_levels_ - level_pos_);
    size_t present = n;
    if (page_nulls_ != 0) {
      const uint8_t* def = def_.data() + level_pos_;
      const uint8_t max_def = static_cast<uint8_t>(leaf_.max_def);
      present = 0;
      for (size_t i = 0; i < n; i++) present += def[i] == max_def;
    }
    if (present > values_.count - value_pos_) {
      throw_corrupt("column " + leaf_.path + " has more defined levels than values", file_offset_ + pos_);
    }
    if (value_source_ == ValueSource::DICTIONARY) {
      if (indices_.size() < kIndexBatch) indices_.resize(kIndexBatch);
      for (size_t left = present; left > 0;) {
        size_t m = std::min(left, kIndexBatch);
        index_decoder_->decode(indices_.data(), m);
        left -= m;
      }
    }
    value_pos_ += present;
    level_pos_ += n;
    done += n;
  }
}

template <class E>
void ColumnChunkReader::read_flat(Vector& out, size_t count) {
  E* dst = out.data<E>();
  uint8_t* nulls = out.nulls();
  out.set_all_valid(count);
  bool any_null = false;
  size_t done = 0;
  while (done < count) {
    if (level_pos_ == page_levels_) {
      if (!next_page()) {
        throw_corrupt("column " + leaf_.path + " ends " + std::to_string(count - done) + " rows early",
                      file_offset_ + bytes_.size());
      }
      continue;
    }
    size_t n = std::min(count - done, page_levels_ - level_pos_);
    if constexpr (std::is_same_v<E, std::string_view>) {
      out.share_heaps(values_use_dictionary_heap_ ? dictionary_heap_ : page_heap_);
    }
    if (page_nulls_ == 0) {
      if (codes_) {
        if (value_source_ != ValueSource::DICTIONARY) codes_complete_ = false;
        codes_cursor_ = codes_complete_ ? codes_ + done : nullptr;
      }
      fetch(dst + done, value_pos_, n);
      codes_cursor_ = nullptr;
      value_pos_ += n;
    } else {
      codes_complete_ = false;
      // The present values land packed at the front, then spread out from the back to their rows.
      const uint8_t* def = def_.data() + level_pos_;
      const uint8_t max_def = static_cast<uint8_t>(leaf_.max_def);
      size_t present = 0;
      for (size_t i = 0; i < n; i++) {
        uint8_t is_null = def[i] != max_def;
        nulls[done + i] = is_null;
        present += !is_null;
      }
      if (present > values_.count - value_pos_) {
        throw_corrupt("column " + leaf_.path + " has more defined levels than values", file_offset_ + pos_);
      }
      fetch(dst + done, value_pos_, present);
      value_pos_ += present;
      if (present < n) {
        any_null = true;
        E* row = dst + done;
        const uint8_t* row_null = nulls + done;
        size_t next = present;
        for (size_t i = n; i-- > 0;) row[i] = row_null[i] ? E{} : row[--next];
      }
    }
    level_pos_ += n;
    done += n;
  }
  if (any_null) out.mark_may_have_nulls();
}

void ColumnChunkReader::append_element_json(std::string& json, size_t i) {
  const Type& t = leaf_.type;
  switch (t.id) {
    case TypeId::BOOLEAN: json += values_.b[i] ? "true" : "false"; break;
    case TypeId::TINYINT:
    case TypeId::SMALLINT:
    case TypeId::INTEGER:
    case TypeId::BIGINT: json += std::to_string(values_.i64[i]); break;
    case TypeId::REAL:
    case TypeId::DOUBLE: {
      double d = values_.f64[i];
      if (!std::isfinite(d)) {
        json += std::isnan(d) ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
      } else {
        char buf[40];
        std::snprintf(buf, sizeof buf, t.id == TypeId::REAL ? "%.9g" : "%.17g", d);
        json += buf;
      }
      break;
    }
    case TypeId::DECIMAL: json += decimal::to_string(values_.i128[i], t.scale); break;
    case TypeId::DATE: json += '"' + datetime::format_date(values_.i64[i]) + '"'; break;
    case TypeId::TIMESTAMP: json += '"' + datetime::format_timestamp(values_.i64[i], t.precision) + '"'; break;
    case TypeId::VARCHAR: append_json_string(json, values_.str[i]); break;
    default: {
      // VARBINARY: a hex string.
      static const char* kHex = "0123456789abcdef";
      json += '"';
      for (unsigned char c : values_.str[i]) {
        json += kHex[c >> 4];
        json += kHex[c & 15];
      }
      json += '"';
    }
  }
}

void ColumnChunkReader::read_list(Vector& out, size_t count) {
  out.set_all_valid(count);
  auto* dst = out.data<std::string_view>();
  bool any_null = false;
  size_t done = 0;
  auto emit = [&] {
    if (row_null_) {
      out.set_null(done);
      dst[done] = {};
      any_null = true;
    } else {
      row_json_ += ']';
      dst[done] = out.add_string(row_json_);
    }
    done++;
    row_open_ = false;
  };
  const int top_def = leaf_.top_def, element_def = leaf_.element_def, max_def = leaf_.max_def;
  while (done < count) {
    if (level_pos_ == page_levels_) {
      if (next_page()) continue;
      if (row_open_) {
        emit();
        continue;
      }
      throw_corrupt("column " + leaf_.path + " ends " + std::to_string(count - done) + " rows early",
                    file_offset_ + bytes_.size());
    }
    int rep = rep_.empty() ? 0 : rep_[level_pos_];
    int def = def_.empty() ? max_def : def_[level_pos_];
    if (rep == 0) {
      if (row_open_) {
        emit();
        if (done == count) break;  // this level starts the next call's first row
      }
      row_open_ = true;
      row_null_ = def < top_def;
      row_json_ = "[";
    } else if (!row_open_) {
      throw_corrupt("column " + leaf_.path + " continues a list that never started", file_offset_ + pos_);
    }
    if (def >= element_def) {
      if (row_json_.size() > 1) row_json_ += ',';
      if (def == max_def) {
        if (value_pos_ >= values_.count) throw_corrupt("list values run past the page", file_offset_ + pos_);
        append_element_json(row_json_, value_pos_++);
      } else {
        row_json_ += "null";
      }
    }
    level_pos_++;
  }
  if (any_null) out.mark_may_have_nulls();
}

}  // namespace tributary::parquet
