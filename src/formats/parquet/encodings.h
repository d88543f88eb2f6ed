// Decoders of Parquet's value and level encodings (Encodings.md of parquet-format) over
// in-memory page buffers: bit unpacking, the RLE/bit-packed hybrid (levels, dictionary indices,
// booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT. Each works on a whole page at a time with tight loops.
//
// Inputs are untrusted: every count and length is checked against the bytes present and a
// violation throws Error(SOURCE_ERROR, "<what> at offset N"), N being the `error_offset` the
// caller passes (the file offset of the page). Decoders do not own their input buffers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tributary {
class StringHeap;
}

namespace tributary::parquet {

[[noreturn]] void throw_corrupt(const std::string& what, uint64_t error_offset);

// Unpacks count values (a multiple of 8) of bit_width bits, LSB first, as the RLE/bit-packed
// hybrid and DELTA_BINARY_PACKED store them. `in` must hold count * bit_width / 8 bytes.
void unpack_bits32(const uint8_t* in, int bit_width, uint32_t* out, size_t count);  // bit_width <= 32
// As above where `available` (>= count * bit_width / 8) bytes of `in` may be read: faster.
void unpack_bits32(const uint8_t* in, size_t available, int bit_width, uint32_t* out, size_t count);
void unpack_bits64(const uint8_t* in, int bit_width, uint64_t* out, size_t count);  // bit_width <= 64

// The RLE/bit-packed hybrid without its optional 4-byte length prefix.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width, uint64_t error_offset);
  // Decodes the next `count` values; throws when the runs end before `count` values.
  void decode(uint32_t* out, size_t count);
  void decode(uint8_t* out, size_t count);  // values must fit 8 bits (levels, booleans)
  // Bytes of the input consumed by the runs started so far.
  size_t bytes_consumed() const { return pos_; }

 private:
  template <class T>
  void decode_into(T* out, size_t count);
  void next_run();
  void refill_literals();

  const uint8_t* data_;
  size_t size_;
  int bit_width_;
  uint64_t error_offset_;
  size_t pos_ = 0;
  // Current run: either `repeat_count` copies of `repeat_value`, or literals (bit-packed).
  uint64_t repeat_count_ = 0;
  uint32_t repeat_value_ = 0;
  uint64_t literal_count_ = 0;       // literals left in the run (not yet in literal_buffer_)
  const uint8_t* literal_data_ = nullptr;
  static constexpr size_t kLiteralBuffer = 512;
  uint32_t literal_buffer_[kLiteralBuffer];
  size_t literal_buffer_pos_ = 0, literal_buffer_len_ = 0;
};

// DELTA_BINARY_PACKED: decodes every value of the stream (at most max_values, else corrupt).
// Arithmetic wraps in 64 bits; INT32 callers truncate. *consumed receives the stream's length.
std::vector<int64_t> decode_delta_binary_packed(const uint8_t* data, size_t size, size_t max_values,
                                                uint64_t error_offset, size_t* consumed);

// DELTA_LENGTH_BYTE_ARRAY: `count` views into `data`. *consumed receives the bytes used.
void decode_delta_length_byte_array(const uint8_t* data, size_t size, size_t count, uint64_t error_offset,
                                    std::string_view* out, size_t* consumed);
// DELTA_BYTE_ARRAY: `count` values rebuilt from prefixes and suffixes into `heap`.
void decode_delta_byte_array(const uint8_t* data, size_t size, size_t count, uint64_t error_offset, StringHeap& heap,
                             std::string_view* out);

// BYTE_STREAM_SPLIT: `count` values of `width` bytes each, written contiguously to `out`.
void decode_byte_stream_split(const uint8_t* data, size_t size, size_t count, size_t width, uint64_t error_offset,
                              uint8_t* out);

// ULEB128 and zigzag as Parquet's encodings use them (bounds-checked; advance *pos).
uint64_t read_uleb128(const uint8_t* data, size_t size, size_t* pos, uint64_t error_offset);
int64_t read_zigzag_varint(const uint8_t* data, size_t size, size_t* pos, uint64_t error_offset);

}  // namespace tributary::parquet
