// Page decompression for Parquet's codecs: UNCOMPRESSED, SNAPPY, GZIP (zlib or gzip framing),
// ZSTD, LZ4_RAW, and the deprecated LZ4 (Hadoop framing, or a raw block as some writers made).
// BROTLI and LZO throw Error(NOT_SUPPORTED).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace tributary::parquet {

// Human-readable codec name ("SNAPPY") for messages.
std::string codec_name(int32_t codec);

// Decompresses `size` bytes into exactly `uncompressed_size` bytes at `out` (caller-allocated).
// Corrupt data or a size mismatch throws Error(SOURCE_ERROR, "<codec> data ... at offset N").
void decompress(int32_t codec, const uint8_t* data, size_t size, uint8_t* out, size_t uncompressed_size,
                uint64_t error_offset);

}  // namespace tributary::parquet
