// JSON serialisation with plain decimal doubles (see json.h).
#include "common/json.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "common/utf8.h"

namespace playground::json {
namespace {

// The bytes that go into a JSON string as they are and begin no UTF-8
// sequence: printable ASCII but the quote and the backslash.
constexpr auto kPlainAscii = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// True when one of the eight bytes of `w` is not plain: a control
// character, the quote, the backslash, or a byte of 0x80 and above. Eight
// bytes at a time by the usual bit trick: (x - 0x01..) & ~x & 0x80.. has a
// high bit set in some byte exactly when some byte of x is zero (or, with
// n in place of 0x01, below n).
bool has_special_byte(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHigh = kOnes * 0x80;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  return ((control | ((quote - kOnes) & ~quote) |
           ((backslash - kOnes) & ~backslash) | w) &
          kHigh) != 0;
}

// Where the run of plain bytes of `s` that starts at `i` ends.
size_t plain_run_end(std::string_view s, size_t i) {
  for (uint64_t w; i + sizeof w <= s.size(); i += sizeof w) {
    std::memcpy(&w, s.data() + i, sizeof w);
    if (has_special_byte(w)) break;
  }
  while (i < s.size() && kPlainAscii[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

template <typename Number>
void append_number(std::string& out, Number n) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, ec == std::errc() ? end : buf);
}

}  // namespace

// Quotes, backslashes and control characters escaped, every other byte as it
// is. Runs of plain bytes are appended at once: log lines and results are
// mostly plain text. JSON text must be UTF-8 (RFC 8259), so invalid bytes (a
// request path, a form field) become U+FFFD first, as in program output.
// One pass checks the UTF-8 and finds what to escape: this runs for every
// field of every request's log line.
void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t start = out.size();
  size_t i = plain_run_end(s, 0);
  if (i == s.size()) {
    // The usual case, nothing to escape: the quotes and the text at once.
    out.append(s.size() + 2, '"');
    if (!s.empty()) std::memcpy(out.data() + start + 1, s.data(), s.size());
    return;
  }
  // Room for the text with few escapes: growing step by step reallocated
  // the string in the middle of short values.
  out.reserve(start + s.size() + 2);
  out.push_back('"');
  size_t plain = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (kPlainAscii[c]) {
      i = plain_run_end(s, i);
      continue;
    }
    if (c >= 0x80) {
      const size_t n = utf8::sequence_length(s, i);
      if (n == 0) {
        out.resize(start);
        append_string(out, utf8::make_valid(s));
        return;
      }
      i += n;
      continue;
    }
    out.append(s.data() + plain, i - plain);
    plain = ++i;
    out.push_back('\\');
    switch (c) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\n':
        out.push_back('n');
        break;
      case '\r':
        out.push_back('r');
        break;
      case '\t':
        out.push_back('t');
        break;
      case '\b':
        out.push_back('b');
        break;
      case '\f':
        out.push_back('f');
        break;
      default:
        out += "u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out.push_back('"');
}

void append_hundredths(std::string& out, uint64_t hundredths) {
  char digits[24];
  const auto whole =
      std::to_chars(digits, digits + sizeof digits, hundredths / 100);
  out.append(digits, whole.ptr);
  const auto fraction = hundredths % 100;
  if (fraction == 0) return;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + fraction / 10));
  if (fraction % 10 != 0) out.push_back(static_cast<char>('0' + fraction % 10));
}

void append_text(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, member.key());
        out.push_back(':');
        append_text(out, member.value());
      }
      out.push_back('}');
      break;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_text(out, item);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::string:
      append_string(out, v.get_string());
      break;
    case boost::json::kind::int64:
      append_number(out, v.get_int64());
      break;
    case boost::json::kind::uint64:
      append_number(out, v.get_uint64());
      break;
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";  // JSON has no NaN or infinity
        break;
      }
      append_number(out, d);
      break;
    }
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::null:
      out += "null";
      break;
  }
}

std::string to_text(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  append_text(out, value);
  return out;
}

}  // namespace playground::json
