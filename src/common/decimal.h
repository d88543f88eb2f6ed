// Exact decimal helpers over 128-bit unscaled integers (DECIMAL(p,s), p <= 38).
#pragma once
#include <string>
#include <string_view>

#include "common/types.h"

namespace tributary::decimal {

namespace detail {
struct Powers {
  int128 values[39];
  constexpr Powers() : values() {
    values[0] = 1;
    for (int i = 1; i <= 38; i++) values[i] = values[i - 1] * 10;
  }
};
inline constexpr Powers kPowers{};
}  // namespace detail

// 10^n for 0 <= n <= 38 (a constant table: this is on decimal hot paths).
inline int128 pow10(int n) { return detail::kPowers.values[n]; }
// Largest unscaled magnitude for a precision: 10^p - 1.
inline int128 max_unscaled(int precision) { return pow10(precision) - 1; }
inline bool fits(int128 v, int precision) { return v <= max_unscaled(precision) && v >= -max_unscaled(precision); }

std::string to_string(int128 unscaled, int scale);
std::string int128_to_string(int128 v);
// Parses "123.45", "-1e3" etc. into an unscaled value at `scale`, rounding half-up.
// Returns false when the text is not a number or does not fit 38 digits.
bool parse(std::string_view text, int scale, int128* out);
// Precision and scale a literal like "123.450" needs (decimal(6,3)).
void literal_type(std::string_view text, int* precision, int* scale);
// Changes scale, rounding half away from zero when reducing.
int128 rescale(int128 v, int from_scale, int to_scale);
// Rounds to `scale` digits after the point (half away from zero), keeping from_scale.
int128 divide_round(int128 numerator, int128 denominator);
double to_double(int128 v, int scale);
// Converts a double to an unscaled decimal; false if out of range or not finite.
bool from_double(double d, int precision, int scale, int128* out);

}  // namespace tributary::decimal
