#include "connectors/files/compressed_input.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.h"

namespace tributary::files {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); i++)
    if (std::tolower((unsigned char)s[s.size() - suffix.size() + i]) != suffix[i]) return false;
  return true;
}

class FileInput : public ByteInput {
 public:
  FileInput(const std::string& path, uint64_t offset) : path_(path), position_(offset) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
      throw_error(ErrorCode::SOURCE_ERROR, "Cannot open file '" + path + "': " + std::string(std::strerror(errno)));
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
  ~FileInput() override {
    if (fd_ >= 0) ::close(fd_);
  }
  size_t read(char* buffer, size_t n) override {
    while (true) {
      ssize_t got = ::pread(fd_, buffer, n, (off_t)position_);
      if (got < 0) {
        if (errno == EINTR) continue;
        throw_error(ErrorCode::SOURCE_ERROR, "Cannot read file '" + path_ + "': " + std::string(std::strerror(errno)));
      }
      position_ += (uint64_t)got;
      bytes_ += (uint64_t)got;
      return (size_t)got;
    }
  }
  uint64_t source_bytes() const override { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t position_;
  uint64_t bytes_ = 0;
};

constexpr size_t kCompressedBuffer = 256 * 1024;

class GzipInput : public ByteInput {
 public:
  GzipInput(std::unique_ptr<ByteInput> raw, std::string path)
      : file_(std::move(raw)), path_(std::move(path)), in_(kCompressedBuffer) {
    std::memset(&stream_, 0, sizeof stream_);
    if (inflateInit2(&stream_, 15 + 32) != Z_OK)
      throw_error(ErrorCode::SOURCE_ERROR, "Cannot initialize gzip decompression for '" + path_ + "'");
  }
  ~GzipInput() override { inflateEnd(&stream_); }

  size_t read(char* buffer, size_t n) override {
    if (finished_ || n == 0) return 0;
    stream_.next_out = (Bytef*)buffer;
    stream_.avail_out = (uInt)std::min<size_t>(n, 1u << 30);
    while (stream_.avail_out > 0) {
      if (stream_.avail_in == 0) {
        size_t got = file_->read(in_.data(), in_.size());
        if (got == 0) {
          if (!stream_end_)
            throw_error(ErrorCode::SOURCE_ERROR, "Truncated gzip data in '" + path_ + "'");
          finished_ = true;
          break;
        }
        stream_.next_in = (Bytef*)in_.data();
        stream_.avail_in = (uInt)got;
      }
      if (stream_end_) {
        // Another gzip member follows (concatenated .gz files are valid).
        inflateReset(&stream_);
        stream_end_ = false;
      }
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        stream_end_ = true;
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        throw_error(ErrorCode::SOURCE_ERROR, "Corrupt gzip data in '" + path_ + "': " +
                                                 std::string(stream_.msg ? stream_.msg : "inflate failed"));
      if (rc == Z_BUF_ERROR && stream_.avail_in > 0) break;
    }
    return n - stream_.avail_out;
  }
  uint64_t source_bytes() const override { return file_->source_bytes(); }

 private:
  std::unique_ptr<ByteInput> file_;
  std::string path_;
  std::vector<char> in_;
  z_stream stream_;
  bool stream_end_ = false;
  bool finished_ = false;
};

class ZstdInput : public ByteInput {
 public:
  ZstdInput(std::unique_ptr<ByteInput> raw, std::string path)
      : file_(std::move(raw)), path_(std::move(path)), in_(ZSTD_DStreamInSize()) {
    stream_ = ZSTD_createDStream();
    if (!stream_ || ZSTD_isError(ZSTD_initDStream(stream_)))
      throw_error(ErrorCode::SOURCE_ERROR, "Cannot initialize zstd decompression for '" + path_ + "'");
  }
  ~ZstdInput() override { ZSTD_freeDStream(stream_); }

  size_t read(char* buffer, size_t n) override {
    ZSTD_outBuffer out{buffer, n, 0};
    while (out.pos < out.size) {
      if (input_.pos == input_.size) {
        size_t got = file_->read(in_.data(), in_.size());
        if (got == 0) {
          if (last_result_ != 0)
            throw_error(ErrorCode::SOURCE_ERROR, "Truncated zstd data in '" + path_ + "'");
          break;
        }
        input_ = ZSTD_inBuffer{in_.data(), got, 0};
      }
      size_t rc = ZSTD_decompressStream(stream_, &out, &input_);
      if (ZSTD_isError(rc))
        throw_error(ErrorCode::SOURCE_ERROR,
                    "Corrupt zstd data in '" + path_ + "': " + std::string(ZSTD_getErrorName(rc)));
      last_result_ = rc;
    }
    return out.pos;
  }
  uint64_t source_bytes() const override { return file_->source_bytes(); }

 private:
  std::unique_ptr<ByteInput> file_;
  std::string path_;
  std::vector<char> in_;
  ZSTD_DStream* stream_ = nullptr;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  size_t last_result_ = 0;
};

}  // namespace

Compression compression_from_path(const std::string& path) {
  if (ends_with(path, ".gz") || ends_with(path, ".gzip")) return Compression::GZIP;
  if (ends_with(path, ".zst") || ends_with(path, ".zstd")) return Compression::ZSTD;
  return Compression::NONE;
}

std::unique_ptr<ByteInput> open_local_input(const std::string& path, uint64_t offset) {
  return std::make_unique<FileInput>(path, offset);
}

std::unique_ptr<ByteInput> decompressing_input(std::unique_ptr<ByteInput> raw, const std::string& path,
                                               Compression compression) {
  switch (compression) {
    case Compression::GZIP: return std::make_unique<GzipInput>(std::move(raw), path);
    case Compression::ZSTD: return std::make_unique<ZstdInput>(std::move(raw), path);
    case Compression::NONE: break;
  }
  return raw;
}

std::unique_ptr<ByteInput> open_byte_input(const std::string& path, Compression compression, uint64_t offset) {
  return decompressing_input(open_local_input(path, compression == Compression::NONE ? offset : 0), path, compression);
}

}  // namespace tributary::files
