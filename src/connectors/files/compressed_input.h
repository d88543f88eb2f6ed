// Sequential byte input from one local file, optionally decompressing gzip
// (.gz, via zlib, multi-member aware) or zstd (.zst/.zstd) as a stream.
//
// A ByteInput is used by one thread at a time. read() throws Error(SOURCE_ERROR)
// naming the file on an I/O or decompression failure.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

namespace tributary::files {

enum class Compression { NONE, GZIP, ZSTD };

// From the last extension of `path`: .gz -> GZIP, .zst/.zstd -> ZSTD, else NONE.
Compression compression_from_path(const std::string& path);

class ByteInput {
 public:
  virtual ~ByteInput() = default;
  // Reads up to `n` bytes of (decompressed) data; returns 0 only at the end.
  virtual size_t read(char* buffer, size_t n) = 0;
  // Bytes read from the file itself so far (compressed bytes for compressed files).
  virtual uint64_t source_bytes() const = 0;
};

// Opens the local file `path` for reading from byte `offset` (offset must be 0 for
// compressed input). Throws Error(SOURCE_ERROR) when the file cannot be opened.
std::unique_ptr<ByteInput> open_byte_input(const std::string& path, Compression compression, uint64_t offset = 0);
// The raw bytes of a local file from `offset` on.
std::unique_ptr<ByteInput> open_local_input(const std::string& path, uint64_t offset);
// Wraps raw (compressed) bytes in a decompressor; NONE returns `raw` itself. `path` names
// the file in errors.
std::unique_ptr<ByteInput> decompressing_input(std::unique_ptr<ByteInput> raw, const std::string& path,
                                               Compression compression);

}  // namespace tributary::files
