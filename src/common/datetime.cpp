#include "common/datetime.h"

#include <cstdio>

namespace tributary::datetime {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t* year, unsigned* month, unsigned* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = m;
  *day = d;
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t year, unsigned month) {
  static const unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return table[month - 1];
}

bool valid_date(int64_t year, unsigned month, unsigned day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

static bool read_int(std::string_view s, size_t* pos, int min_digits, int max_digits, int64_t* out) {
  int64_t v = 0;
  int n = 0;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9' && n < max_digits) {
    v = v * 10 + (s[*pos] - '0');
    (*pos)++;
    n++;
  }
  if (n < min_digits) return false;
  *out = v;
  return true;
}

static std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

static bool parse_date_prefix(std::string_view s, size_t* pos, int64_t* days) {
  int64_t y, m, d;
  bool negative = false;
  if (*pos < s.size() && (s[*pos] == '-' || s[*pos] == '+')) {
    negative = s[*pos] == '-';
    (*pos)++;
  }
  if (!read_int(s, pos, 1, 6, &y)) return false;
  if (negative) y = -y;
  if (*pos >= s.size() || s[*pos] != '-') return false;
  (*pos)++;
  if (!read_int(s, pos, 1, 2, &m)) return false;
  if (*pos >= s.size() || s[*pos] != '-') return false;
  (*pos)++;
  if (!read_int(s, pos, 1, 2, &d)) return false;
  if (!valid_date(y, (unsigned)m, (unsigned)d)) return false;
  *days = days_from_civil(y, (unsigned)m, (unsigned)d);
  return true;
}

bool parse_date(std::string_view text, int64_t* days) {
  std::string_view s = trim(text);
  size_t pos = 0;
  if (!parse_date_prefix(s, &pos, days)) return false;
  return pos == s.size();
}

bool parse_timestamp(std::string_view text, int64_t* micros) {
  std::string_view s = trim(text);
  size_t pos = 0;
  int64_t days;
  if (!parse_date_prefix(s, &pos, &days)) return false;
  int64_t h = 0, mi = 0, sec = 0, frac = 0;
  if (pos < s.size()) {
    if (s[pos] != ' ' && s[pos] != 'T') return false;
    pos++;
    if (!read_int(s, &pos, 1, 2, &h)) return false;
    if (pos >= s.size() || s[pos] != ':') return false;
    pos++;
    if (!read_int(s, &pos, 1, 2, &mi)) return false;
    if (pos < s.size() && s[pos] == ':') {
      pos++;
      if (!read_int(s, &pos, 1, 2, &sec)) return false;
      if (pos < s.size() && s[pos] == '.') {
        pos++;
        int digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (digits < 6) {
            frac = frac * 10 + (s[pos] - '0');
            digits++;
          }
          pos++;
        }
        if (digits == 0) return false;
        while (digits < 6) {
          frac *= 10;
          digits++;
        }
      }
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) pos++;
    if (pos < s.size() && s.substr(pos) == " UTC") pos = s.size();
    if (pos != s.size()) return false;
    if (h > 23 || mi > 59 || sec > 59) return false;
  }
  *micros = days * kMicrosPerDay + ((h * 60 + mi) * 60 + sec) * kMicrosPerSecond + frac;
  return true;
}

std::string format_date(int64_t days) {
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", (long long)y, m, d);
  return buffer;
}

std::string format_timestamp(int64_t micros, int precision) {
  int64_t days = floor_div(micros, kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  int64_t seconds = rest / kMicrosPerSecond;
  int64_t fraction = rest % kMicrosPerSecond;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s %02lld:%02lld:%02lld", format_date(days).c_str(),
                (long long)(seconds / 3600), (long long)(seconds / 60 % 60), (long long)(seconds % 60));
  std::string out = buffer;
  if (precision > 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, "%06lld", (long long)fraction);
    out += '.';
    out.append(frac, precision > 6 ? 6 : precision);
    for (int i = 6; i < precision; i++) out += '0';
  }
  return out;
}

int64_t add_months_to_days(int64_t days, int64_t months) {
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = floor_div(total, 12);
  unsigned nm = (unsigned)(floor_mod(total, 12) + 1);
  unsigned nd = d;
  unsigned limit = days_in_month(ny, nm);
  if (nd > limit) nd = limit;
  return days_from_civil(ny, nm, nd);
}

int64_t add_months_to_micros(int64_t micros, int64_t months) {
  int64_t days = floor_div(micros, kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  return add_months_to_days(days, months) * kMicrosPerDay + rest;
}

int day_of_week(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  return (int)(floor_mod(days + 3, 7) + 1);
}

}  // namespace tributary::datetime
