#include "connectors/files/csv_reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "common/error.h"
#include "connectors/files/field_parsing.h"

namespace tributary::files {

const char* tokenize_csv_record(const char* p, const char* end, bool at_eof, const CsvOptions& options,
                                std::vector<CsvField>* fields) {
  fields->clear();
  const char delimiter = options.delimiter;
  const char quote = options.quote;
  while (true) {
    if (p < end && *p == quote && quote != '\0') {
      // Quoted field: runs to the closing quote; "" is an escaped quote.
      const char* start = ++p;
      uint8_t flags = CsvField::kQuoted;
      const char* close;
      while (true) {
        close = static_cast<const char*>(std::memchr(p, quote, (size_t)(end - p)));
        if (!close) {
          if (!at_eof) return nullptr;
          close = end;  // unterminated quote at end of file: take the rest
          break;
        }
        if (close + 1 < end && close[1] == quote) {
          flags |= CsvField::kEscaped;
          p = close + 2;
          continue;
        }
        if (close + 1 == end && !at_eof) return nullptr;  // cannot tell "" from the end quote yet
        break;
      }
      fields->push_back({start, (uint32_t)(close - start), flags});
      p = close < end ? close + 1 : end;
      // Anything between the closing quote and the delimiter is ignored (malformed input).
      while (p < end && *p != delimiter && *p != '\n') p++;
    } else {
      const char* start = p;
      while (p < end && *p != delimiter && *p != '\n') p++;
      const char* stop = p;
      if (p < end && *p == '\n' && stop > start && stop[-1] == '\r') stop--;
      else if (p == end && stop > start && stop[-1] == '\r') stop--;
      fields->push_back({start, (uint32_t)(stop - start), 0});
    }
    if (p == end) {
      if (!at_eof) return nullptr;
      return end;
    }
    if (*p == '\n') return p + 1;
    p++;  // delimiter
  }
}

std::string unescape_csv_field(const CsvField& field, char quote) {
  std::string out;
  out.reserve(field.size);
  for (uint32_t i = 0; i < field.size; i++) {
    out += field.data[i];
    if (field.data[i] == quote && i + 1 < field.size && field.data[i + 1] == quote) i++;
  }
  return out;
}

namespace {

bool is_blank_line(const char* p, const char* end) {
  return p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'));
}

// Per-column inference state: which candidate types every sampled value fits.
struct ColumnGuess {
  bool any = false;
  bool boolean = true, bigint = true, number = true, date = true, timestamp = true;

  void add(std::string_view text) {
    any = true;
    uint8_t b;
    int64_t i;
    double d;
    if (boolean) boolean = text == "true" || text == "false" || text == "TRUE" || text == "FALSE" ||
                           text == "True" || text == "False";
    if (bigint) bigint = parse_int64(text, &i);
    if (number) number = bigint || parse_double_field(text, &d);
    if (number && (text.find_first_of("nN") != std::string_view::npos)) number = false;  // nan, inf, "n/a"
    if (date) date = text.size() == 10 && parse_date_field(text, &i);
    if (timestamp) timestamp = text.size() >= 19 && text.size() <= 26 && text[10] == ' ' && parse_timestamp_field(text, &i);
    (void)b;
  }
  Type type() const {
    if (!any) return Type::varchar();
    if (boolean) return Type::boolean();
    if (bigint) return Type::bigint();
    if (number) return Type::double_();
    if (date) return Type::date();
    if (timestamp) return Type::timestamp(3);
    return Type::varchar();
  }
};

std::string field_text(const CsvField& f, char quote) {
  if (f.flags & CsvField::kEscaped) return unescape_csv_field(f, quote);
  return std::string(f.data, f.size);
}

std::vector<std::string> unique_column_names(const std::vector<std::string>& raw) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (size_t i = 0; i < raw.size(); i++) {
    std::string name;
    for (char c : std::string(trim_spaces(raw[i]))) name += (char)std::tolower((unsigned char)c);
    if (name.empty()) name = "column_" + std::to_string(i + 1);
    std::string candidate = name;
    for (int n = 2; seen.count(candidate); n++) candidate = name + "_" + std::to_string(n);
    seen.insert(candidate);
    names.push_back(candidate);
  }
  return names;
}

class CsvPageSource : public PageSource {
 public:
  explicit CsvPageSource(CsvScan scan) : scan_(std::move(scan)), buffer_(scan_.range) {
    for (int f : scan_.field_indexes) max_field_ = std::max(max_field_, f);
    fields_.reserve(64);
  }
  ~CsvPageSource() override { flush_rejected(); }

  PageStatus next(Chunk& out) override {
    out.size = 0;
    if (done_) return PageStatus::FINISHED;
    if (cancelled_.load(std::memory_order_relaxed))
      throw_error(ErrorCode::CANCELLED, "Query was cancelled while reading '" + scan_.range.path + "'");
    if (!started_) start();
    size_t capacity = out.columns.empty() ? kChunkCapacity : out.columns[0].capacity();
    if (scan_.limit) capacity = (size_t)std::min<int64_t>((int64_t)capacity, *scan_.limit - rows_emitted_);
    const size_t outputs = scan_.field_indexes.size();
    for (auto& column : out.columns) column.set_all_valid(capacity);
    size_t row = 0;
    while (row < capacity && !done_) {
      const char* p = buffer_.cursor;
      const char* end = buffer_.limit();
      if (p == end) {
        if (!buffer_.fill()) done_ = true;
        continue;
      }
      if (buffer_.past_end(p)) {
        done_ = true;
        break;
      }
      if (is_blank_line(p, end)) {
        buffer_.cursor = static_cast<const char*>(std::memchr(p, '\n', (size_t)(end - p))) + 1;
        continue;
      }
      const char* next = tokenize_csv_record(p, end, buffer_.at_eof(), scan_.options, &fields_);
      if (!next) {
        if (!buffer_.fill() && buffer_.cursor == buffer_.limit()) done_ = true;
        continue;
      }
      buffer_.cursor = next;
      const size_t field_count = fields_.size();
      for (size_t k = 0; k < outputs; k++) {
        Vector& vec = out.columns[k];
        size_t fi = (size_t)scan_.field_indexes[k];
        if (fi >= field_count) {
          vec.set_null(row);
          continue;
        }
        const CsvField& f = fields_[fi];
        std::string_view text(f.data, f.size);
        if (!(f.flags & CsvField::kQuoted)) {
          if (text.size() == scan_.options.null_string.size() &&
              std::memcmp(text.data(), scan_.options.null_string.data(), text.size()) == 0) {
            vec.set_null(row);
            continue;
          }
        } else if (f.flags & CsvField::kEscaped) {
          scratch_ = unescape_csv_field(f, scan_.options.quote);
          text = scratch_;
        }
        if (!store_text_value(vec, row, text)) {
          vec.set_null(row);
          // An empty field in a typed column is simply NULL, not a rejected value.
          if (!text.empty()) rejected_++;
        }
      }
      row++;
    }
    out.size = row;
    rows_emitted_ += (int64_t)row;
    if (scan_.limit && rows_emitted_ >= *scan_.limit) done_ = true;
    if (done_) flush_rejected();
    return done_ ? PageStatus::FINISHED : PageStatus::HAVE_DATA;
  }

  uint64_t bytes_read() const override { return buffer_.source_bytes(); }
  void cancel() override { cancelled_ = true; }

 private:
  void start() {
    started_ = true;
    buffer_.fill();
    buffer_.skip_to_first_line();
    if (scan_.skip_header) {
      while (true) {
        const char* next = tokenize_csv_record(buffer_.cursor, buffer_.limit(), buffer_.at_eof(), scan_.options, &fields_);
        if (next) {
          buffer_.cursor = next;
          break;
        }
        if (!buffer_.fill() && buffer_.cursor == buffer_.limit()) break;
      }
    }
  }
  void flush_rejected() {
    if (scan_.rejected_values && rejected_) scan_.rejected_values->fetch_add(rejected_);
    rejected_ = 0;
  }

  CsvScan scan_;
  TextBuffer buffer_;
  std::vector<CsvField> fields_;
  std::string scratch_;
  int max_field_ = -1;
  bool started_ = false;
  bool done_ = false;
  int64_t rows_emitted_ = 0;
  uint64_t rejected_ = 0;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

CsvSample infer_csv_schema(const TextRange& file, const CsvOptions& options, size_t sample_rows) {
  TextRange whole = file;
  whole.start = 0;
  whole.end = UINT64_MAX;
  TextBuffer buffer(whole, 1 << 20);
  std::vector<CsvField> fields;
  std::vector<std::string> header;
  std::vector<ColumnGuess> guesses;
  CsvSample sample;
  bool first = true;
  buffer.fill();
  uint64_t data_start = 0;
  while (sample.rows < sample_rows) {
    const char* p = buffer.cursor;
    if (p == buffer.limit()) {
      if (!buffer.fill()) break;
      continue;
    }
    if (is_blank_line(p, buffer.limit())) {
      buffer.cursor = static_cast<const char*>(std::memchr(p, '\n', (size_t)(buffer.limit() - p))) + 1;
      continue;
    }
    const char* next = tokenize_csv_record(p, buffer.limit(), buffer.at_eof(), options, &fields);
    if (!next) {
      if (!buffer.fill() && buffer.cursor == buffer.limit()) break;
      continue;
    }
    if (first && options.header) {
      for (const auto& f : fields) header.push_back(field_text(f, options.quote));
      data_start = buffer.offset_of(next);
    } else {
      if (guesses.size() < fields.size()) guesses.resize(fields.size());
      for (size_t i = 0; i < fields.size(); i++) {
        const CsvField& f = fields[i];
        if (!(f.flags & CsvField::kQuoted) && std::string_view(f.data, f.size) == options.null_string) continue;
        if (f.size == 0) continue;
        std::string text = field_text(f, options.quote);
        guesses[i].add(text);
      }
      sample.rows++;
      sample.bytes = buffer.offset_of(next) - data_start;
    }
    first = false;
    buffer.cursor = next;
  }
  size_t count = std::max(header.size(), guesses.size());
  header.resize(count);
  guesses.resize(count);
  sample.names = unique_column_names(header);
  for (auto& g : guesses) sample.types.push_back(g.type());
  return sample;
}

std::unique_ptr<PageSource> make_csv_page_source(CsvScan scan) { return std::make_unique<CsvPageSource>(std::move(scan)); }

}  // namespace tributary::files
