#include "formats/parquet/codecs.h"

#include <lz4.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

#include "common/error.h"
#include "formats/parquet/encodings.h"
#include "formats/parquet/metadata.h"

namespace tributary::parquet {

std::string codec_name(int32_t c) {
  switch (c) {
    case codec::UNCOMPRESSED: return "UNCOMPRESSED";
    case codec::SNAPPY: return "SNAPPY";
    case codec::GZIP: return "GZIP";
    case codec::LZO: return "LZO";
    case codec::BROTLI: return "BROTLI";
    case codec::LZ4: return "LZ4";
    case codec::ZSTD: return "ZSTD";
    case codec::LZ4_RAW: return "LZ4_RAW";
    default: return "codec " + std::to_string(c);
  }
}

namespace {

[[noreturn]] void corrupt_codec(const char* name, const std::string& detail, uint64_t error_offset) {
  throw_corrupt(std::string(name) + " data " + detail, error_offset);
}

void inflate_gzip(const uint8_t* data, size_t size, uint8_t* out, size_t out_size, uint64_t error_offset) {
  z_stream stream;
  std::memset(&stream, 0, sizeof stream);
  // 15 + 32: accept both zlib and gzip headers.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw Error(ErrorCode::INTERNAL_ERROR, "zlib inflateInit2 failed");
  size_t produced = 0;
  size_t consumed = 0;
  int rc = Z_OK;
  // zlib counts in uInt: feed at most 1 GiB per call; loop also over concatenated gzip members.
  while (true) {
    stream.next_in = const_cast<Bytef*>(data + consumed);
    stream.avail_in = static_cast<uInt>(std::min<size_t>(size - consumed, 1u << 30));
    stream.next_out = out + produced;
    stream.avail_out = static_cast<uInt>(std::min<size_t>(out_size - produced, 1u << 30));
    size_t in_before = stream.avail_in, out_before = stream.avail_out;
    rc = inflate(&stream, Z_NO_FLUSH);
    consumed += in_before - stream.avail_in;
    produced += out_before - stream.avail_out;
    if (rc == Z_STREAM_END) {
      if (consumed < size && produced < out_size) {
        inflateReset(&stream);
        continue;
      }
      break;
    }
    if (rc != Z_OK) {
      inflateEnd(&stream);
      corrupt_codec("gzip", std::string("is corrupt (") + (stream.msg ? stream.msg : "inflate failed") + ")",
                    error_offset);
    }
    if (in_before == stream.avail_in && out_before == stream.avail_out) {
      inflateEnd(&stream);
      corrupt_codec("gzip", produced == out_size ? "inflates past the page size" : "is truncated", error_offset);
    }
  }
  inflateEnd(&stream);
  if (produced != out_size) {
    corrupt_codec("gzip", "inflates to " + std::to_string(produced) + " bytes, not " + std::to_string(out_size),
                  error_offset);
  }
}

uint32_t load_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// Hadoop's LZ4 framing: repeated [BE32 uncompressed length][BE32 compressed length][LZ4 block].
bool try_lz4_hadoop(const uint8_t* data, size_t size, uint8_t* out, size_t out_size) {
  size_t in = 0, produced = 0;
  while (in < size) {
    if (size - in < 8) return false;
    uint32_t raw = load_be32(data + in), compressed = load_be32(data + in + 4);
    in += 8;
    if (compressed > size - in || raw > out_size - produced) return false;
    int n = LZ4_decompress_safe(reinterpret_cast<const char*>(data + in), reinterpret_cast<char*>(out + produced),
                                static_cast<int>(compressed), static_cast<int>(raw));
    if (n < 0 || static_cast<uint32_t>(n) != raw) return false;
    in += compressed;
    produced += raw;
  }
  return produced == out_size;
}

}  // namespace

void decompress(int32_t c, const uint8_t* data, size_t size, uint8_t* out, size_t out_size, uint64_t error_offset) {
  switch (c) {
    case codec::UNCOMPRESSED:
      if (size != out_size) {
        throw_corrupt("uncompressed page of " + std::to_string(size) + " bytes declares " + std::to_string(out_size),
                      error_offset);
      }
      if (size > 0) std::memcpy(out, data, size);
      return;
    case codec::SNAPPY: {
      size_t length = 0;
      if (snappy_uncompressed_length(reinterpret_cast<const char*>(data), size, &length) != SNAPPY_OK) {
        corrupt_codec("snappy", "is corrupt", error_offset);
      }
      if (length != out_size) {
        corrupt_codec("snappy", "expands to " + std::to_string(length) + " bytes, not " + std::to_string(out_size),
                      error_offset);
      }
      if (snappy_uncompress(reinterpret_cast<const char*>(data), size, reinterpret_cast<char*>(out), &length) !=
              SNAPPY_OK ||
          length != out_size) {
        corrupt_codec("snappy", "is corrupt", error_offset);
      }
      return;
    }
    case codec::GZIP: inflate_gzip(data, size, out, out_size, error_offset); return;
    case codec::ZSTD: {
      size_t n = ZSTD_decompress(out, out_size, data, size);
      if (ZSTD_isError(n)) corrupt_codec("zstd", std::string("is corrupt (") + ZSTD_getErrorName(n) + ")", error_offset);
      if (n != out_size) {
        corrupt_codec("zstd", "expands to " + std::to_string(n) + " bytes, not " + std::to_string(out_size), error_offset);
      }
      return;
    }
    case codec::LZ4_RAW:
    case codec::LZ4: {
      if (size > INT32_MAX || out_size > INT32_MAX) corrupt_codec("lz4", "page exceeds 2 GiB", error_offset);
      if (c == codec::LZ4 && try_lz4_hadoop(data, size, out, out_size)) return;
      int n = LZ4_decompress_safe(reinterpret_cast<const char*>(data), reinterpret_cast<char*>(out),
                                  static_cast<int>(size), static_cast<int>(out_size));
      if (n < 0) corrupt_codec("lz4", "is corrupt", error_offset);
      if (static_cast<size_t>(n) != out_size) {
        corrupt_codec("lz4", "expands to " + std::to_string(n) + " bytes, not " + std::to_string(out_size), error_offset);
      }
      return;
    }
    default:
      throw Error(ErrorCode::NOT_SUPPORTED, "Parquet compression " + codec_name(c) + " is not supported (at offset " +
                                                std::to_string(error_offset) + ")");
  }
}

namespace {

void deflate_gzip(std::string_view input, std::string* out) {
  z_stream stream;
  std::memset(&stream, 0, sizeof stream);
  // 15 + 16: gzip framing, as parquet-format asks for GZIP.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ErrorCode::INTERNAL_ERROR, "zlib deflateInit2 failed");
  }
  out->resize(deflateBound(&stream, static_cast<uLong>(input.size())) + 64);
  size_t consumed = 0, produced = 0;
  int rc = Z_OK;
  // zlib counts in uInt: feed at most 1 GiB per call.
  while (rc != Z_STREAM_END) {
    if (produced == out->size()) out->resize(out->size() * 2);
    size_t in_chunk = std::min<size_t>(input.size() - consumed, 1u << 30);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + consumed));
    stream.avail_in = static_cast<uInt>(in_chunk);
    stream.next_out = reinterpret_cast<Bytef*>(out->data() + produced);
    stream.avail_out = static_cast<uInt>(std::min<size_t>(out->size() - produced, 1u << 30));
    size_t out_before = stream.avail_out;
    bool last = consumed + in_chunk == input.size();
    rc = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
    consumed += in_chunk - stream.avail_in;
    produced += out_before - stream.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&stream);
      throw Error(ErrorCode::INTERNAL_ERROR, "zlib deflate failed");
    }
  }
  deflateEnd(&stream);
  out->resize(produced);
}

}  // namespace

void compress(int32_t c, std::string_view input, std::string* out) {
  switch (c) {
    case codec::UNCOMPRESSED: out->assign(input); return;
    case codec::SNAPPY: {
      size_t length = snappy_max_compressed_length(input.size());
      out->resize(length);
      if (snappy_compress(input.data(), input.size(), out->data(), &length) != SNAPPY_OK) {
        throw Error(ErrorCode::INTERNAL_ERROR, "snappy compression failed");
      }
      out->resize(length);
      return;
    }
    case codec::GZIP: deflate_gzip(input, out); return;
    case codec::ZSTD: {
      out->resize(ZSTD_compressBound(input.size()));
      size_t n = ZSTD_compress(out->data(), out->size(), input.data(), input.size(), ZSTD_CLEVEL_DEFAULT);
      if (ZSTD_isError(n)) {
        throw Error(ErrorCode::INTERNAL_ERROR, std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
      }
      out->resize(n);
      return;
    }
    case codec::LZ4_RAW: {
      if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
        throw Error(ErrorCode::LIMIT_EXCEEDED, "an LZ4 page cannot exceed " + std::to_string(LZ4_MAX_INPUT_SIZE) + " bytes");
      }
      out->resize(static_cast<size_t>(LZ4_compressBound(static_cast<int>(input.size()))));
      int n = LZ4_compress_default(input.data(), out->data(), static_cast<int>(input.size()),
                                   static_cast<int>(out->size()));
      if (n <= 0 && !input.empty()) throw Error(ErrorCode::INTERNAL_ERROR, "lz4 compression failed");
      out->resize(static_cast<size_t>(std::max(n, 0)));
      return;
    }
    default: throw Error(ErrorCode::NOT_SUPPORTED, "Parquet writer: compression " + codec_name(c) + " is not supported");
  }
}

}  // namespace tributary::parquet
