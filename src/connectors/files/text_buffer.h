// TextBuffer: a growable window over one file's (decompressed) bytes for the
// line-oriented readers, with byte-range split semantics:
//   a split [start, end) owns every line whose first byte lies in [start, end).
// A split starting after 0 skips the partial line before its first line start;
// the reader stops at the first line starting at or after `end`, reading past
// `end` only to finish its last line. Used by one thread at a time.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "connectors/files/compressed_input.h"
#include "connectors/files/storage.h"

namespace tributary::files {

struct TextRange {
  std::string path;
  Compression compression = Compression::NONE;
  uint64_t start = 0;
  uint64_t end = UINT64_MAX;  // UINT64_MAX: to the end of the file
  std::shared_ptr<Storage> storage;  // where the file lives; null = the local file system
};

class TextBuffer {
 public:
  // Opens the file; throws Error(SOURCE_ERROR) when it cannot be read.
  explicit TextBuffer(const TextRange& range, size_t initial_capacity = 2 << 20);

  // Unconsumed bytes are [cursor, limit()).
  const char* cursor = nullptr;
  const char* limit() const { return data_.get() + size_; }
  // True when the file has been read to its end (no more bytes will arrive).
  bool at_eof() const { return eof_; }
  // Moves unconsumed bytes to the front and reads more (growing the buffer when it
  // is full). Returns false when nothing more could be read (at_eof()).
  bool fill();
  // True when the line starting at `p` is past this split's end.
  bool past_end(const char* p) const { return range_end_ != UINT64_MAX && offset_of(p) >= range_end_; }
  uint64_t offset_of(const char* p) const { return base_offset_ + (uint64_t)(p - data_.get()); }
  // Skips the partial line a mid-file split starts in (call once, before reading).
  void skip_to_first_line();
  uint64_t source_bytes() const { return input_->source_bytes(); }

 private:
  std::unique_ptr<ByteInput> input_;
  std::unique_ptr<char[]> data_;
  size_t capacity_;
  size_t size_ = 0;
  uint64_t base_offset_;  // file offset of data_[0]
  uint64_t next_read_offset_;
  uint64_t range_start_;
  uint64_t range_end_;
  bool eof_ = false;
};

}  // namespace tributary::files
