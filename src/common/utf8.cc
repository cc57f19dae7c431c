// UTF-8 validation and repair (see utf8.h).
#include "common/utf8.h"

#include <cstdint>

namespace playground::utf8 {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

}  // namespace

size_t sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  auto in = [&](size_t k, uint8_t lo, uint8_t hi) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return in(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const uint8_t lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const uint8_t hi = b0 == 0xED ? 0x9F : 0xBF;  // no surrogates
    return in(i + 1, lo, hi) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const uint8_t lo = b0 == 0xF0 ? 0x90 : 0x80;
    const uint8_t hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    return in(i + 1, lo, hi) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

namespace {

// How many bytes an invalid sequence at s[i] spans: the lead byte plus the
// continuation bytes that were valid so far ("maximal subpart" practice).
size_t invalid_span(std::string_view s, size_t i) {
  const uint8_t b0 = static_cast<uint8_t>(s[i]);
  size_t expected = 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) expected = 2;
  if (b0 >= 0xE0 && b0 <= 0xEF) expected = 3;
  if (b0 >= 0xF0 && b0 <= 0xF4) expected = 4;
  size_t n = 1;
  while (n < expected && i + n < s.size()) {
    const uint8_t b = static_cast<uint8_t>(s[i + n]);
    if (b < 0x80 || b > 0xBF) break;
    if (n == 1) {
      if ((b0 == 0xE0 && b < 0xA0) || (b0 == 0xED && b > 0x9F) ||
          (b0 == 0xF0 && b < 0x90) || (b0 == 0xF4 && b > 0x8F)) {
        break;
      }
    }
    ++n;
  }
  return expected == 1 ? 1 : n;
}

}  // namespace

bool is_valid(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    if (static_cast<uint8_t>(bytes[i]) < 0x80) {
      ++i;  // ASCII, the usual case, without a call
      continue;
    }
    const size_t n = sequence_length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string make_valid(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    // Copy runs of ASCII quickly; most output is ASCII.
    size_t run = i;
    while (run < bytes.size() && static_cast<uint8_t>(bytes[run]) < 0x80) ++run;
    out.append(bytes.substr(i, run - i));
    i = run;
    if (i >= bytes.size()) break;
    size_t n = sequence_length(bytes, i);
    if (n > 0) {
      out.append(bytes.substr(i, n));
      i += n;
    } else {
      out.append(kReplacement);
      i += invalid_span(bytes, i);
    }
  }
  return out;
}

}  // namespace playground::utf8
