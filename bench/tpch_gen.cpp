// tpch_gen: a deterministic, TPC-H-shaped data generator for tributary's benchmarks.
//
// Usage: tpch_gen SCALE_FACTOR OUTPUT_DIR
//
// Writes OUTPUT_DIR/lineitem.csv and OUTPUT_DIR/orders.csv (comma-separated, one header
// line, no quoting needed: no value contains a comma, quote or newline), and beside each a
// `<table>.schema` sidecar with one `name type` line per column, so that readers use the
// exact TPC-H types instead of inferring them.
//
// This is not dbgen and its output is not TPC-H's byte for byte. It follows the value
// rules of the TPC-H specification (section 4.2.3) for the columns it writes: sparse order
// keys, 1-7 lines per order, the retail-price formula, the part/supplier bridge, the
// date offsets, the return-flag and line-status rules against CURRENTDATE = 1995-06-17,
// and o_totalprice/o_orderstatus derived from the order's lines. Comments are random
// slices of a text pool built from the spec's vocabulary. The same scale factor always
// gives the same bytes: one fixed-seed PRNG, consumed in a fixed order.
//
// It depends on nothing but the C++ standard library.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace {

// xoshiro256** seeded through splitmix64: fast, and identical on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9E3779B97F4A7C15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      word = z ^ (z >> 31);
    }
  }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform integer in [low, high] (multiply-shift; the tiny bias is irrelevant here).
  int64_t between(int64_t low, int64_t high) {
    const auto span = static_cast<unsigned __int128>(high - low + 1);
    return low + static_cast<int64_t>((static_cast<unsigned __int128>(next()) * span) >> 64);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_{};
};

// Appends formatted values to a large buffer and writes it out in big blocks.
class CsvWriter {
 public:
  explicit CsvWriter(const std::filesystem::path& path) : path_(path) {
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) fail("cannot open for writing");
    buffer_.resize(kCapacity);
  }
  ~CsvWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void text(std::string_view s) {
    std::memcpy(buffer_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }
  void ch(char c) { buffer_[used_++] = c; }
  void comma() { ch(','); }

  void integer(uint64_t value) {
    char digits[24];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (n > 0) ch(digits[--n]);
  }

  // A non-negative amount in hundredths, printed with exactly two decimals.
  void cents(int64_t value) {
    integer(static_cast<uint64_t>(value / 100));
    ch('.');
    ch(static_cast<char>('0' + (value / 10) % 10));
    ch(static_cast<char>('0' + value % 10));
  }

  // Call once per row: flushes when the buffer is nearly full (a row is < 1 KiB).
  void end_row() {
    ch('\n');
    if (used_ > kCapacity - 1024) flush();
  }

  void close() {
    flush();
    if (std::fclose(file_) != 0) {
      file_ = nullptr;
      fail("cannot close");
    }
    file_ = nullptr;
  }

 private:
  static constexpr size_t kCapacity = size_t{4} << 20;

  void flush() {
    if (used_ != 0 && std::fwrite(buffer_.data(), 1, used_, file_) != used_) fail("write failed");
    used_ = 0;
  }
  [[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "tpch_gen: %s: %s\n", path_.c_str(), what);
    std::exit(1);
  }

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t used_ = 0;
};

// Day numbers count from 1992-01-01 (day 0); the spec's dates all fall in 1992-1998.
constexpr int kEndDay = 2556;        // 1998-12-31
constexpr int kCurrentDay = 1263;    // 1995-06-17, the spec's CURRENTDATE
constexpr int kLastOrderDay = kEndDay - 151;

std::vector<std::string> make_date_strings() {
  std::vector<std::string> dates;
  int year = 1992, month = 1, day = 1;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int n = 0; n <= kEndDay; ++n) {
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    dates.emplace_back(text, 10);
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int month_days = kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
    if (++day > month_days) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
  }
  return dates;
}

// A pool of sentences in the TPC-H comment vocabulary; comments are slices of it.
std::string make_text_pool(Random& random, size_t size) {
  static constexpr std::string_view kNouns[] = {
      "foxes",     "ideas",      "theodolites", "pinto beans", "instructions", "dependencies",
      "excuses",   "platelets",  "asymptotes",  "courts",      "dolphins",     "multipliers",
      "sauternes", "warthogs",   "frets",       "dinos",       "attainments",  "somas",
      "Tiresias",  "patterns",   "forges",      "braids",      "hockey players", "frays",
      "warhorses", "dugouts",    "notornis",    "epitaphs",    "pearls",       "tithes",
      "waters",    "orbits",     "gifts",       "sheaves",     "depths",       "sentiments",
      "decoys",    "realms",     "pains",       "grouches",    "escapades",    "packages",
      "requests",  "accounts",   "deposits",    "theodolites"};
  static constexpr std::string_view kVerbs[] = {
      "sleep",  "wake",   "are",    "cajole", "haggle", "nag",     "use",    "boost",
      "affix",  "detect", "integrate", "maintain", "nod", "was",   "lose",   "sublate",
      "solve",  "thrash", "promise", "engage", "hinder", "print",  "x-ray",  "breach",
      "eat",    "grow",   "impress", "mold",  "poach",  "serve",   "run",    "dazzle",
      "snooze", "doze",   "unwind", "kindle", "play",   "hang",    "believe", "doubt"};
  static constexpr std::string_view kAdjectives[] = {
      "furious", "sly",     "careful", "blithe",  "quick",   "fluffy",   "slow",
      "quiet",   "ruthless", "thin",   "close",   "dogged",  "daring",   "brave",
      "stealthy", "permanent", "enticing", "idle", "busy",   "regular",  "final",
      "ironic",  "even",    "bold",    "silent",  "express", "special",  "pending",
      "unusual"};
  static constexpr std::string_view kAdverbs[] = {
      "sometimes", "always",   "never",     "furiously", "slyly",     "carefully",
      "blithely",  "quickly",  "fluffily",  "slowly",    "quietly",   "ruthlessly",
      "thinly",    "closely",  "doggedly",  "daringly",  "bravely",   "stealthily",
      "permanently", "enticingly", "idly",  "busily",    "regularly", "finally",
      "ironically", "evenly",  "boldly",    "silently"};
  static constexpr std::string_view kPrepositions[] = {
      "about", "above", "according to", "across", "after", "against", "along",
      "alongside of", "among", "around", "at", "atop", "before", "behind", "beneath",
      "beside", "besides", "between", "beyond", "by", "despite", "during", "except",
      "for", "from", "in place of", "inside", "instead of", "into", "near", "of", "on",
      "outside", "over", "past", "since", "through", "throughout", "to", "toward",
      "under", "until", "up", "upon", "without", "with", "within"};

  auto pick = [&random](const auto& words) -> std::string_view {
    const auto count = static_cast<int64_t>(std::size(words));
    return words[random.between(0, count - 1)];
  };
  std::string pool;
  pool.reserve(size + 256);
  while (pool.size() < size) {
    // "adverb verb the adjective noun preposition the noun." and shorter variants.
    pool += pick(kAdjectives);
    pool += ' ';
    pool += pick(kNouns);
    pool += ' ';
    if (random.between(0, 1) == 0) {
      pool += pick(kAdverbs);
      pool += ' ';
    }
    pool += pick(kVerbs);
    if (random.between(0, 2) != 0) {
      pool += ' ';
      pool += pick(kPrepositions);
      pool += " the ";
      pool += pick(kAdjectives);
      pool += ' ';
      pool += pick(kNouns);
    }
    pool += random.between(0, 3) == 0 ? "! " : ". ";
  }
  pool.resize(size);
  return pool;
}

// A random slice of the pool with a length in [min_length, max_length], without
// leading or trailing spaces (so that no CSV reader's trimming changes it).
std::string_view comment(Random& random, const std::string& pool, int min_length,
                         int max_length) {
  const auto length = static_cast<size_t>(random.between(min_length, max_length));
  const auto offset =
      static_cast<size_t>(random.between(0, static_cast<int64_t>(pool.size() - length)));
  std::string_view slice(pool.data() + offset, length);
  while (!slice.empty() && slice.front() == ' ') slice.remove_prefix(1);
  while (!slice.empty() && slice.back() == ' ') slice.remove_suffix(1);
  if (slice.empty()) slice = "final";
  return slice;
}

// TPC-H order keys are sparse: of each 32 consecutive keys only the first 8 are used.
int64_t sparse_order_key(int64_t index) {  // index counts from 1
  return ((index >> 3) << 5) | (index & 7);
}

// The spec's P_RETAILPRICE formula, in cents.
int64_t retail_price_cents(int64_t partkey) {
  return 90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000);
}

void write_schema(const std::filesystem::path& path,
                  const std::vector<std::pair<std::string_view, std::string_view>>& columns) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  bool ok = file != nullptr;
  for (size_t i = 0; ok && i < columns.size(); ++i) {
    ok = std::fprintf(file, "%.*s %.*s\n", static_cast<int>(columns[i].first.size()),
                      columns[i].first.data(), static_cast<int>(columns[i].second.size()),
                      columns[i].second.data()) > 0;
  }
  if (file != nullptr && std::fclose(file) != 0) ok = false;
  if (!ok) {
    std::fprintf(stderr, "tpch_gen: cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

void write_header(CsvWriter& out,
                  const std::vector<std::pair<std::string_view, std::string_view>>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i != 0) out.comma();
    out.text(columns[i].first);
  }
  out.end_row();
}

const std::vector<std::pair<std::string_view, std::string_view>> kLineitemColumns = {
    {"l_orderkey", "bigint"},         {"l_partkey", "bigint"},
    {"l_suppkey", "bigint"},          {"l_linenumber", "integer"},
    {"l_quantity", "decimal(12,2)"},  {"l_extendedprice", "decimal(12,2)"},
    {"l_discount", "decimal(12,2)"},  {"l_tax", "decimal(12,2)"},
    {"l_returnflag", "varchar"},      {"l_linestatus", "varchar"},
    {"l_shipdate", "date"},           {"l_commitdate", "date"},
    {"l_receiptdate", "date"},        {"l_shipinstruct", "varchar"},
    {"l_shipmode", "varchar"},        {"l_comment", "varchar"}};

const std::vector<std::pair<std::string_view, std::string_view>> kOrdersColumns = {
    {"o_orderkey", "bigint"},        {"o_custkey", "bigint"},
    {"o_orderstatus", "varchar"},    {"o_totalprice", "decimal(12,2)"},
    {"o_orderdate", "date"},         {"o_orderpriority", "varchar"},
    {"o_clerk", "varchar"},          {"o_shippriority", "integer"},
    {"o_comment", "varchar"}};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "tpch_gen: %s\n"
               "usage: tpch_gen SCALE_FACTOR OUTPUT_DIR\n"
               "  writes OUTPUT_DIR/{lineitem,orders}.csv and .schema files;\n"
               "  SF 1 gives ~6,000,000 lineitem and 1,500,000 orders rows\n",
               message);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) usage("expected two arguments");
  char* end = nullptr;
  const double scale = std::strtod(argv[1], &end);
  if (end == argv[1] || *end != '\0' || !(scale > 0) || scale > 1000) {
    usage("SCALE_FACTOR must be a number in (0, 1000]");
  }
  const std::filesystem::path dir = argv[2];
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    std::fprintf(stderr, "tpch_gen: cannot create %s: %s\n", dir.c_str(), error.message().c_str());
    return 1;
  }

  const auto started = std::chrono::steady_clock::now();
  const auto scaled = [scale](double base) {
    return std::max<int64_t>(1, std::llround(base * scale));
  };
  const int64_t order_count = scaled(1'500'000);
  const int64_t part_count = scaled(200'000);
  const int64_t supplier_count = scaled(10'000);
  const int64_t customer_count = std::max<int64_t>(2, scaled(150'000));
  const int64_t clerk_count = scaled(1'000);

  static constexpr std::string_view kPriorities[] = {"1-URGENT", "2-HIGH", "3-MEDIUM",
                                                     "4-NOT SPECIFIED", "5-LOW"};
  static constexpr std::string_view kInstructions[] = {"DELIVER IN PERSON", "COLLECT COD",
                                                       "NONE", "TAKE BACK RETURN"};
  static constexpr std::string_view kModes[] = {"REG AIR", "AIR",  "RAIL", "SHIP",
                                                "TRUCK",   "MAIL", "FOB"};

  Random random(20240101);
  const std::vector<std::string> dates = make_date_strings();
  const std::string pool = make_text_pool(random, size_t{4} << 20);

  write_schema(dir / "lineitem.schema", kLineitemColumns);
  write_schema(dir / "orders.schema", kOrdersColumns);

  // Written under temporary names and renamed at the end, so a present .csv is complete.
  const auto lineitem_tmp = dir / "lineitem.csv.tmp";
  const auto orders_tmp = dir / "orders.csv.tmp";
  CsvWriter lineitem(lineitem_tmp);
  CsvWriter orders(orders_tmp);
  write_header(lineitem, kLineitemColumns);
  write_header(orders, kOrdersColumns);

  int64_t lineitem_rows = 0;
  char clerk[32];
  for (int64_t index = 1; index <= order_count; ++index) {
    const int64_t orderkey = sparse_order_key(index);
    int64_t custkey = random.between(1, customer_count);
    if (custkey % 3 == 0) custkey = custkey == customer_count ? custkey - 1 : custkey + 1;
    const int orderdate = static_cast<int>(random.between(0, kLastOrderDay));
    const auto priority = kPriorities[random.between(0, 4)];
    std::snprintf(clerk, sizeof clerk, "Clerk#%09lld",
                  static_cast<long long>(random.between(1, clerk_count)));
    const auto order_comment = comment(random, pool, 19, 78);

    const int lines = static_cast<int>(random.between(1, 7));
    int64_t total_cents = 0;
    int open_lines = 0;
    for (int line = 1; line <= lines; ++line) {
      const int64_t partkey = random.between(1, part_count);
      const int64_t supplier_slot = random.between(0, 3);
      const int64_t suppkey =
          (partkey + supplier_slot * (supplier_count / 4 + (partkey - 1) / supplier_count)) %
              supplier_count + 1;
      const int64_t quantity = random.between(1, 50);
      const int64_t discount = random.between(0, 10);  // hundredths
      const int64_t tax = random.between(0, 8);        // hundredths
      const int shipdate = orderdate + static_cast<int>(random.between(1, 121));
      const int commitdate = orderdate + static_cast<int>(random.between(30, 90));
      const int receiptdate = shipdate + static_cast<int>(random.between(1, 30));
      const char returnflag =
          receiptdate <= kCurrentDay ? (random.between(0, 1) == 0 ? 'R' : 'A') : 'N';
      const char linestatus = shipdate > kCurrentDay ? 'O' : 'F';
      const auto instruction = kInstructions[random.between(0, 3)];
      const auto mode = kModes[random.between(0, 6)];
      const auto line_comment = comment(random, pool, 10, 43);
      const int64_t extended_cents = quantity * retail_price_cents(partkey);
      total_cents += extended_cents * (100 + tax) * (100 - discount) / 10000;
      open_lines += linestatus == 'O' ? 1 : 0;

      lineitem.integer(static_cast<uint64_t>(orderkey));
      lineitem.comma();
      lineitem.integer(static_cast<uint64_t>(partkey));
      lineitem.comma();
      lineitem.integer(static_cast<uint64_t>(suppkey));
      lineitem.comma();
      lineitem.integer(static_cast<uint64_t>(line));
      lineitem.comma();
      lineitem.integer(static_cast<uint64_t>(quantity));
      lineitem.comma();
      lineitem.cents(extended_cents);
      lineitem.comma();
      lineitem.cents(discount);
      lineitem.comma();
      lineitem.cents(tax);
      lineitem.comma();
      lineitem.ch(returnflag);
      lineitem.comma();
      lineitem.ch(linestatus);
      lineitem.comma();
      lineitem.text(dates[shipdate]);
      lineitem.comma();
      lineitem.text(dates[commitdate]);
      lineitem.comma();
      lineitem.text(dates[receiptdate]);
      lineitem.comma();
      lineitem.text(instruction);
      lineitem.comma();
      lineitem.text(mode);
      lineitem.comma();
      lineitem.text(line_comment);
      lineitem.end_row();
    }
    lineitem_rows += lines;

    const char status = open_lines == lines ? 'O' : (open_lines == 0 ? 'F' : 'P');
    orders.integer(static_cast<uint64_t>(orderkey));
    orders.comma();
    orders.integer(static_cast<uint64_t>(custkey));
    orders.comma();
    orders.ch(status);
    orders.comma();
    orders.cents(total_cents);
    orders.comma();
    orders.text(dates[orderdate]);
    orders.comma();
    orders.text(priority);
    orders.comma();
    orders.text(clerk);
    orders.comma();
    orders.ch('0');
    orders.comma();
    orders.text(order_comment);
    orders.end_row();
  }
  lineitem.close();
  orders.close();

  std::filesystem::rename(lineitem_tmp, dir / "lineitem.csv", error);
  if (!error) std::filesystem::rename(orders_tmp, dir / "orders.csv", error);
  if (error) {
    std::fprintf(stderr, "tpch_gen: cannot rename output: %s\n", error.message().c_str());
    return 1;
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "tpch_gen: SF %g: %lld orders, %lld lineitem rows in %s (%.1f s)\n", scale,
               static_cast<long long>(order_count), static_cast<long long>(lineitem_rows),
               dir.c_str(), seconds);
  return 0;
}
