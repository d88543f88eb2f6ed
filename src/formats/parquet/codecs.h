// Page decompression for Parquet's codecs: UNCOMPRESSED, SNAPPY, GZIP (zlib or gzip framing),
// ZSTD, LZ4_RAW, and the deprecated LZ4 (Hadoop framing, or a raw block as some writers made).
// BROTLI and LZO throw Error(NOT_SUPPORTED).
// Page compression for the writer: UNCOMPRESSED, SNAPPY, GZIP (gzip framing), ZSTD, LZ4_RAW.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::parquet {

// Human-readable codec name ("SNAPPY") for messages.
std::string codec_name(int32_t codec);

// Decompresses `size` bytes into exactly `uncompressed_size` bytes at `out` (caller-allocated).
// Corrupt data or a size mismatch throws Error(SOURCE_ERROR, "<codec> data ... at offset N").
void decompress(int32_t codec, const uint8_t* data, size_t size, uint8_t* out, size_t uncompressed_size,
                uint64_t error_offset);

// Compresses `input` with one of the writer's codecs into *out (replacing its contents, reusing
// its capacity). Any other codec throws Error(NOT_SUPPORTED); a library failure, INTERNAL_ERROR.
void compress(int32_t codec, std::string_view input, std::string* out);

}  // namespace tributary::parquet
