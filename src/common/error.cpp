#include "common/error.h"

#include <algorithm>
#include <cctype>

namespace tributary {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::SYNTAX_ERROR: return "SYNTAX_ERROR";
    case ErrorCode::NOT_FOUND: return "NOT_FOUND";
    case ErrorCode::TYPE_MISMATCH: return "TYPE_MISMATCH";
    case ErrorCode::INVALID_ARGUMENT: return "INVALID_FUNCTION_ARGUMENT";
    case ErrorCode::NUMERIC_OUT_OF_RANGE: return "NUMERIC_VALUE_OUT_OF_RANGE";
    case ErrorCode::DIVISION_BY_ZERO: return "DIVISION_BY_ZERO";
    case ErrorCode::INVALID_CAST: return "INVALID_CAST_ARGUMENT";
    case ErrorCode::NOT_SUPPORTED: return "NOT_SUPPORTED";
    case ErrorCode::SOURCE_ERROR: return "SOURCE_ERROR";
    case ErrorCode::LIMIT_EXCEEDED: return "LIMIT_EXCEEDED";
    case ErrorCode::CANCELLED: return "CANCELLED";
    case ErrorCode::ACCESS_DENIED: return "ACCESS_DENIED";
    case ErrorCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case ErrorCode::INTERNAL_ERROR: return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

static std::string format_full(ErrorCode code, const std::string& message, int line, int column) {
  std::string out = error_code_name(code);
  out += ": ";
  if (line > 0) out += "line " + std::to_string(line) + ":" + std::to_string(column) + ": ";
  out += message;
  return out;
}

Error::Error(ErrorCode code, std::string message, int line, int column)
    : std::runtime_error(format_full(code, message, line, column)),
      code_(code),
      message_(std::move(message)),
      line_(line),
      column_(column) {}

std::string Error::full() const { return what(); }

void throw_error(ErrorCode code, std::string message, int line, int column) {
  throw Error(code, std::move(message), line, column);
}

static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); j++) prev[j] = j;
  for (size_t i = 1; i <= a.size(); i++) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); j++) {
      size_t cost = std::tolower((unsigned char)a[i - 1]) == std::tolower((unsigned char)b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string nearest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& candidate : candidates) {
    size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  size_t allowed = std::max<size_t>(2, name.size() / 3);
  if (best_distance <= allowed) return best;
  return "";
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best = nearest_name(name, candidates);
  if (best.empty()) return "";
  return " Did you mean '" + best + "'?";
}

}  // namespace tributary
