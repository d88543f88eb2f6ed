#include "formats/parquet/encodings.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>
#include <utility>

#include "common/error.h"
#include "vector/vector.h"

namespace tributary::parquet {

void throw_corrupt(const std::string& what, uint64_t error_offset) {
  throw Error(ErrorCode::SOURCE_ERROR, what + " at offset " + std::to_string(error_offset));
}

// ---- bit unpacking ----------------------------------------------------------------------------
// One group of 8 values is bit_width bytes. Copying it into a zero-padded local buffer first lets
// every value be read with one unaligned 8-byte load and a shift, with no read past the input;
// with BW a compile-time constant the compiler unrolls the 8 extractions completely.

namespace {

inline uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

template <int BW>
void unpack8_32(const uint8_t* in, uint32_t* out) {
  if constexpr (BW == 0) {
    for (int i = 0; i < 8; i++) out[i] = 0;
  } else {
    uint8_t buf[BW + 8] = {};
    std::memcpy(buf, in, BW);
    constexpr uint64_t mask = BW == 32 ? 0xffffffffULL : ((1ULL << BW) - 1);
    for (int i = 0; i < 8; i++) {
      const int bit = i * BW;
      out[i] = static_cast<uint32_t>((load64(buf + (bit >> 3)) >> (bit & 7)) & mask);
    }
  }
}

template <int BW>
void unpack8_64(const uint8_t* in, uint64_t* out) {
  if constexpr (BW == 0) {
    for (int i = 0; i < 8; i++) out[i] = 0;
  } else {
    uint8_t buf[BW + 9] = {};
    std::memcpy(buf, in, BW);
    constexpr uint64_t mask = BW == 64 ? ~0ULL : ((1ULL << BW) - 1);
    for (int i = 0; i < 8; i++) {
      const int bit = i * BW;
      const int byte = bit >> 3, shift = bit & 7;
      uint64_t v = load64(buf + byte) >> shift;
      if (shift + BW > 64) v |= static_cast<uint64_t>(buf[byte + 8]) << (64 - shift);
      out[i] = v & mask;
    }
  }
}

// Unpacks count (a multiple of 8) values from `in`, of which `available` bytes may be read. Groups
// far enough from the end load straight from the input (a value never spans more than 8 bytes
// from its first byte for BW <= 32); the last few go through unpack8_32's padded copy.
template <int BW>
void unpack_run32(const uint8_t* in, size_t available, uint32_t* out, size_t count) {
  const size_t groups = count / 8;
  size_t g = 0;
  if constexpr (BW > 0) {
    constexpr uint64_t mask = BW == 32 ? 0xffffffffULL : ((1ULL << BW) - 1);
    // Group g reads bytes below g * BW + BW + 8.
    const size_t direct = std::min(groups, available >= BW + 8 ? (available - 8) / BW : 0);
    for (; g < direct; g++) {
      const uint8_t* p = in + g * BW;
      uint32_t* o = out + g * 8;
      for (int i = 0; i < 8; i++) {
        const int bit = i * BW;
        o[i] = static_cast<uint32_t>((load64(p + (bit >> 3)) >> (bit & 7)) & mask);
      }
    }
  }
  for (; g < groups; g++) unpack8_32<BW>(in + g * BW, out + g * 8);
}

using Unpack32 = void (*)(const uint8_t*, size_t, uint32_t*, size_t);
using Unpack64 = void (*)(const uint8_t*, uint64_t*);

template <size_t... I>
constexpr std::array<Unpack32, sizeof...(I)> make_unpack32(std::index_sequence<I...>) {
  return {&unpack_run32<static_cast<int>(I)>...};
}
template <size_t... I>
constexpr std::array<Unpack64, sizeof...(I)> make_unpack64(std::index_sequence<I...>) {
  return {&unpack8_64<static_cast<int>(I)>...};
}

constexpr auto kUnpack32 = make_unpack32(std::make_index_sequence<33>{});
constexpr auto kUnpack64 = make_unpack64(std::make_index_sequence<65>{});

}  // namespace

void unpack_bits32(const uint8_t* in, int bit_width, uint32_t* out, size_t count) {
  kUnpack32[bit_width](in, (count / 8) * static_cast<size_t>(bit_width), out, count);
}

void unpack_bits32(const uint8_t* in, size_t available, int bit_width, uint32_t* out, size_t count) {
  kUnpack32[bit_width](in, available, out, count);
}

void unpack_bits64(const uint8_t* in, int bit_width, uint64_t* out, size_t count) {
  Unpack64 f = kUnpack64[bit_width];
  for (size_t i = 0; i < count; i += 8) f(in + (i / 8) * bit_width, out + i);
}

// ---- varints ----------------------------------------------------------------------------------

uint64_t read_uleb128(const uint8_t* data, size_t size, size_t* pos, uint64_t error_offset) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= size) throw_corrupt("varint runs past the end of the data", error_offset);
    uint8_t byte = data[(*pos)++];
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return result;
  }
  throw_corrupt("varint is longer than 10 bytes", error_offset);
}

int64_t read_zigzag_varint(const uint8_t* data, size_t size, size_t* pos, uint64_t error_offset) {
  uint64_t n = read_uleb128(data, size, pos, error_offset);
  return static_cast<int64_t>(n >> 1) ^ -static_cast<int64_t>(n & 1);
}

// ---- RLE / bit-packed hybrid ------------------------------------------------------------------

RleBitPackedDecoder::RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width, uint64_t error_offset)
    : data_(data), size_(size), bit_width_(bit_width), error_offset_(error_offset) {
  if (bit_width < 0 || bit_width > 32) throw_corrupt("RLE bit width " + std::to_string(bit_width) + " is invalid", error_offset);
}

void RleBitPackedDecoder::next_run() {
  uint64_t header = read_uleb128(data_, size_, &pos_, error_offset_);
  if (header & 1) {
    uint64_t groups = header >> 1;
    if (groups == 0) throw_corrupt("empty bit-packed run", error_offset_);
    // Some writers cut the last run's unused bytes: keep the whole groups that are present.
    uint64_t available_groups = bit_width_ == 0 ? groups : (size_ - pos_) / bit_width_;
    if (available_groups == 0) throw_corrupt("bit-packed run is truncated", error_offset_);
    groups = std::min(groups, available_groups);
    literal_count_ = groups * 8;
    literal_data_ = data_ + pos_;
    pos_ += groups * bit_width_;
    literal_buffer_pos_ = literal_buffer_len_ = 0;
  } else {
    repeat_count_ = header >> 1;
    if (repeat_count_ == 0) throw_corrupt("empty RLE run", error_offset_);
    size_t value_bytes = (bit_width_ + 7) / 8;
    if (size_ - pos_ < value_bytes) throw_corrupt("RLE run is truncated", error_offset_);
    uint32_t value = 0;
    for (size_t i = 0; i < value_bytes; i++) value |= static_cast<uint32_t>(data_[pos_ + i]) << (8 * i);
    pos_ += value_bytes;
    if (bit_width_ < 32 && (value >> bit_width_) != 0) {
      throw_corrupt("RLE value " + std::to_string(value) + " exceeds bit width " + std::to_string(bit_width_),
                    error_offset_);
    }
    repeat_value_ = value;
  }
}

void RleBitPackedDecoder::refill_literals() {
  size_t n = static_cast<size_t>(std::min<uint64_t>(literal_count_, kLiteralBuffer));
  unpack_bits32(literal_data_, bit_width_, literal_buffer_, n);
  literal_data_ += (n / 8) * bit_width_;
  literal_count_ -= n;
  literal_buffer_pos_ = 0;
  literal_buffer_len_ = n;
}

template <class T>
void RleBitPackedDecoder::decode_into(T* out, size_t count) {
  size_t done = 0;
  while (done < count) {
    if (repeat_count_ > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(repeat_count_, count - done));
      std::fill_n(out + done, n, static_cast<T>(repeat_value_));
      repeat_count_ -= n;
      done += n;
    } else if (literal_buffer_pos_ < literal_buffer_len_) {
      size_t n = std::min(literal_buffer_len_ - literal_buffer_pos_, count - done);
      const uint32_t* src = literal_buffer_ + literal_buffer_pos_;
      for (size_t i = 0; i < n; i++) out[done + i] = static_cast<T>(src[i]);
      literal_buffer_pos_ += n;
      done += n;
    } else if (literal_count_ > 0) {
      if constexpr (std::is_same_v<T, uint32_t>) {
        // Whole groups of 8 go straight to the output; only a group split by `count` is buffered.
        size_t direct = static_cast<size_t>(std::min<uint64_t>(literal_count_, count - done)) & ~size_t{7};
        if (direct > 0) {
          unpack_bits32(literal_data_, static_cast<size_t>(data_ + size_ - literal_data_), bit_width_, out + done,
                        direct);
          literal_data_ += (direct / 8) * bit_width_;
          literal_count_ -= direct;
          done += direct;
          continue;
        }
      }
      refill_literals();
    } else {
      if (pos_ >= size_) {
        throw_corrupt("RLE data ends after " + std::to_string(done) + " of " + std::to_string(count) + " values",
                      error_offset_);
      }
      next_run();
    }
  }
}

void RleBitPackedDecoder::decode(uint32_t* out, size_t count) { decode_into(out, count); }

void RleBitPackedDecoder::decode(uint8_t* out, size_t count) {
  if (bit_width_ > 8) throw_corrupt("RLE bit width " + std::to_string(bit_width_) + " is too wide for levels", error_offset_);
  decode_into(out, count);
}

// ---- DELTA_BINARY_PACKED ----------------------------------------------------------------------

std::vector<int64_t> decode_delta_binary_packed(const uint8_t* data, size_t size, size_t max_values,
                                                uint64_t error_offset, size_t* consumed) {
  size_t pos = 0;
  uint64_t block_size = read_uleb128(data, size, &pos, error_offset);
  uint64_t miniblocks = read_uleb128(data, size, &pos, error_offset);
  uint64_t total = read_uleb128(data, size, &pos, error_offset);
  int64_t first = read_zigzag_varint(data, size, &pos, error_offset);
  if (block_size == 0 || miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 8 != 0 ||
      block_size > (1u << 20)) {
    throw_corrupt("DELTA_BINARY_PACKED header has block size " + std::to_string(block_size) + " and " +
                      std::to_string(miniblocks) + " miniblocks",
                  error_offset);
  }
  if (total > max_values) {
    throw_corrupt("DELTA_BINARY_PACKED holds " + std::to_string(total) + " values where at most " +
                      std::to_string(max_values) + " were expected",
                  error_offset);
  }
  const size_t per_miniblock = block_size / miniblocks;
  std::vector<int64_t> values(total);
  std::vector<uint64_t> deltas(per_miniblock);
  std::vector<uint8_t> widths(miniblocks);
  uint64_t last = static_cast<uint64_t>(first);
  size_t done = 0;
  if (total > 0) values[done++] = first;
  while (done < total) {
    uint64_t min_delta = static_cast<uint64_t>(read_zigzag_varint(data, size, &pos, error_offset));
    if (size - pos < miniblocks) throw_corrupt("DELTA_BINARY_PACKED block header is truncated", error_offset);
    std::memcpy(widths.data(), data + pos, miniblocks);
    pos += miniblocks;
    for (size_t m = 0; m < miniblocks && done < total; m++) {
      int width = widths[m];
      if (width > 64) throw_corrupt("DELTA_BINARY_PACKED bit width " + std::to_string(width) + " is invalid", error_offset);
      size_t bytes = per_miniblock * width / 8;
      size_t n = std::min<size_t>(per_miniblock, total - done);
      if (size - pos >= bytes) {
        unpack_bits64(data + pos, width, deltas.data(), per_miniblock);
        pos += bytes;
      } else {
        // The last miniblock should be padded to full size; accept one cut after its last value.
        size_t needed = (n * width + 7) / 8;
        if (done + n != total || size - pos < needed) {
          throw_corrupt("DELTA_BINARY_PACKED miniblock is truncated", error_offset);
        }
        std::vector<uint8_t> padded(bytes, 0);
        std::memcpy(padded.data(), data + pos, size - pos);
        unpack_bits64(padded.data(), width, deltas.data(), per_miniblock);
        pos = size;
      }
      int64_t* out = values.data() + done;
      for (size_t i = 0; i < n; i++) {
        last += min_delta + deltas[i];
        out[i] = static_cast<int64_t>(last);
      }
      done += n;
    }
  }
  *consumed = pos;
  return values;
}

void decode_delta_length_byte_array(const uint8_t* data, size_t size, size_t count, uint64_t error_offset,
                                    std::string_view* out, size_t* consumed) {
  size_t header = 0;
  std::vector<int64_t> lengths = decode_delta_binary_packed(data, size, count, error_offset, &header);
  if (lengths.size() != count) {
    throw_corrupt("DELTA_LENGTH_BYTE_ARRAY holds " + std::to_string(lengths.size()) + " lengths where " +
                      std::to_string(count) + " values were expected",
                  error_offset);
  }
  size_t pos = header;
  for (size_t i = 0; i < count; i++) {
    int64_t length = lengths[i];
    if (length < 0 || static_cast<uint64_t>(length) > size - pos) {
      throw_corrupt("byte array length " + std::to_string(length) + " runs past the end of the page", error_offset);
    }
    out[i] = std::string_view(reinterpret_cast<const char*>(data + pos), static_cast<size_t>(length));
    pos += static_cast<size_t>(length);
  }
  *consumed = pos;
}

void decode_delta_byte_array(const uint8_t* data, size_t size, size_t count, uint64_t error_offset, StringHeap& heap,
                             std::string_view* out) {
  size_t prefix_bytes = 0;
  std::vector<int64_t> prefixes = decode_delta_binary_packed(data, size, count, error_offset, &prefix_bytes);
  if (prefixes.size() != count) {
    throw_corrupt("DELTA_BYTE_ARRAY holds " + std::to_string(prefixes.size()) + " prefixes where " +
                      std::to_string(count) + " values were expected",
                  error_offset);
  }
  std::vector<std::string_view> suffixes(count);
  size_t suffix_bytes = 0;
  decode_delta_length_byte_array(data + prefix_bytes, size - prefix_bytes, count, error_offset, suffixes.data(),
                                 &suffix_bytes);
  // Validate every prefix and bound the output before allocating it.
  uint64_t total = 0, previous = 0;
  for (size_t i = 0; i < count; i++) {
    if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > previous) {
      throw_corrupt("DELTA_BYTE_ARRAY prefix length " + std::to_string(prefixes[i]) + " exceeds the previous value's " +
                        std::to_string(previous) + " bytes",
                    error_offset);
    }
    previous = static_cast<uint64_t>(prefixes[i]) + suffixes[i].size();
    total += previous;
    if (total > (1ULL << 31)) throw_corrupt("DELTA_BYTE_ARRAY values exceed 2 GiB", error_offset);
  }
  char* buffer = heap.allocate(static_cast<size_t>(total));
  const char* prev = buffer;
  size_t prev_len = 0;
  for (size_t i = 0; i < count; i++) {
    size_t prefix = static_cast<size_t>(prefixes[i]);
    char* dst = buffer;
    if (prefix > 0) std::memcpy(dst, prev, prefix);
    if (!suffixes[i].empty()) std::memcpy(dst + prefix, suffixes[i].data(), suffixes[i].size());
    prev_len = prefix + suffixes[i].size();
    out[i] = std::string_view(dst, prev_len);
    prev = dst;
    buffer += prev_len;
  }
}

// ---- BYTE_STREAM_SPLIT ------------------------------------------------------------------------

namespace {
template <size_t W>
void unsplit_fixed(const uint8_t* data, size_t count, uint8_t* out) {
  for (size_t i = 0; i < count; i++) {
    for (size_t b = 0; b < W; b++) out[i * W + b] = data[b * count + i];
  }
}
}  // namespace

void decode_byte_stream_split(const uint8_t* data, size_t size, size_t count, size_t width, uint64_t error_offset,
                              uint8_t* out) {
  if (width == 0 || count > size / width) {
    throw_corrupt("BYTE_STREAM_SPLIT data of " + std::to_string(size) + " bytes is too short for " +
                      std::to_string(count) + " values of " + std::to_string(width) + " bytes",
                  error_offset);
  }
  switch (width) {
    case 4: unsplit_fixed<4>(data, count, out); break;
    case 8: unsplit_fixed<8>(data, count, out); break;
    default:
      for (size_t i = 0; i < count; i++) {
        for (size_t b = 0; b < width; b++) out[i * width + b] = data[b * count + i];
      }
  }
}

}  // namespace tributary::parquet
