#include "connectors/files/text_buffer.h"

#include <algorithm>
#include <cstring>

namespace tributary::files {

TextBuffer::TextBuffer(const TextRange& range, size_t initial_capacity)
    : capacity_(initial_capacity), range_start_(range.start), range_end_(range.end) {
  // A mid-file split reads from start-1 so that a line starting exactly at `start` is recognised.
  uint64_t open_at = range.start > 0 ? range.start - 1 : 0;
  if (range.storage)
    input_ = decompressing_input(range.storage->open(range.path, range.compression == Compression::NONE ? open_at : 0),
                                 range.path, range.compression);
  else
    input_ = open_byte_input(range.path, range.compression, open_at);
  data_.reset(new char[capacity_ + 1]);
  base_offset_ = next_read_offset_ = open_at;
  cursor = data_.get();
}

bool TextBuffer::fill() {
  if (eof_) return false;
  size_t keep = (size_t)(limit() - cursor);
  if (keep > 0 && cursor != data_.get()) std::memmove(data_.get(), cursor, keep);
  base_offset_ += (uint64_t)(cursor - data_.get());
  if (keep == capacity_) {
    size_t new_capacity = capacity_ * 2;
    std::unique_ptr<char[]> bigger(new char[new_capacity + 1]);
    std::memcpy(bigger.get(), data_.get(), keep);
    data_ = std::move(bigger);
    capacity_ = new_capacity;
  }
  size_ = keep;
  cursor = data_.get();
  size_t want = capacity_ - keep;
  // Near the split's end read only what is needed to finish the last line.
  if (range_end_ != UINT64_MAX) {
    if (next_read_offset_ < range_end_)
      want = std::min<uint64_t>(want, range_end_ - next_read_offset_ + 65536);
    else
      want = std::min<size_t>(want, 65536);
  }
  size_t got = 0;
  while (got < want) {
    size_t n = input_->read(data_.get() + size_ + got, want - got);
    if (n == 0) {
      eof_ = true;
      break;
    }
    got += n;
    if (range_end_ == UINT64_MAX && got >= want / 2) break;
  }
  size_ += got;
  next_read_offset_ += got;
  return got > 0;
}

void TextBuffer::skip_to_first_line() {
  if (range_start_ == 0) return;
  while (true) {
    const void* nl = std::memchr(cursor, '\n', (size_t)(limit() - cursor));
    if (nl) {
      cursor = static_cast<const char*>(nl) + 1;
      return;
    }
    cursor = limit();
    if (!fill()) return;
  }
}

}  // namespace tributary::files
