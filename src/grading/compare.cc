// Output comparison of test cases (see compare.h).
#include "grading/compare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace playground::grading {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

std::string shown(std::string_view text) {
  return std::string(text.substr(0, kShownBytes));
}

// Lines split on '\n'; a final '\n' ends the last line, it starts none.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view without_trailing_space(std::string_view line) {
  while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
  return line;
}

// The first line where the two lists differ, as a Difference.
Difference first_line_difference(const std::vector<std::string_view>& want,
                                 const std::vector<std::string_view>& have) {
  size_t i = 0;
  while (i < want.size() && i < have.size() && want[i] == have[i]) ++i;
  Difference d{.line = i + 1};
  if (i < want.size()) d.expected = shown(want[i]);
  if (i < have.size()) d.got = shown(have[i]);
  return d;
}

Comparison compare_exact(std::string_view expected, std::string_view got) {
  if (expected == got) return {.equal = true};
  return {.difference =
              first_line_difference(split_lines(expected), split_lines(got))};
}

Comparison compare_lines(std::string_view expected, std::string_view got) {
  auto normalised = [](std::string_view text) {
    std::vector<std::string_view> lines = split_lines(text);
    for (auto& line : lines) line = without_trailing_space(line);
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
  };
  const auto want = normalised(expected), have = normalised(got);
  if (want == have) return {.equal = true};
  return {.difference = first_line_difference(want, have)};
}

struct Token {
  std::string_view text;
  size_t line;  // 1-based
};

std::vector<Token> split_tokens(std::string_view text) {
  std::vector<Token> tokens;
  size_t line = 1, i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      if (text[i] == '\n') ++line;
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    tokens.push_back({text.substr(start, i - start), line});
  }
  return tokens;
}

std::optional<double> as_number(std::string_view token) {
  double value = 0;
  const char* end = token.data() + token.size();
  auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return lower(x) == lower(y);
  });
}

bool tokens_match(std::string_view want, std::string_view have,
                  const CompareOptions& o) {
  if (want == have) return true;
  if (o.case_insensitive && same_ignoring_case(want, have)) return true;
  if (!o.float_abs && !o.float_rel) return false;
  const auto e = as_number(want), g = as_number(have);
  if (!e || !g) return false;
  const double error = std::fabs(*e - *g);
  return (o.float_abs && error <= *o.float_abs) ||
         (o.float_rel && error <= *o.float_rel * std::fabs(*e));
}

Comparison compare_tokens(std::string_view expected, std::string_view got,
                          const CompareOptions& options) {
  const auto want = split_tokens(expected), have = split_tokens(got);
  size_t i = 0;
  while (i < want.size() && i < have.size() &&
         tokens_match(want[i].text, have[i].text, options)) {
    ++i;
  }
  if (i == want.size() && i == have.size()) return {.equal = true};
  Difference d;
  // The line in the program's output; past its end, the line after it.
  d.line = i < have.size() ? have[i].line
           : have.empty()  ? 1
                           : have.back().line + 1;
  if (i < want.size()) d.expected = shown(want[i].text);
  if (i < have.size()) d.got = shown(have[i].text);
  return {.difference = d};
}

}  // namespace

Comparison compare(std::string_view expected, std::string_view got,
                   const CompareOptions& options) {
  switch (options.mode) {
    case CompareMode::exact:
      return compare_exact(expected, got);
    case CompareMode::lines:
      return compare_lines(expected, got);
    case CompareMode::tokens:
      return compare_tokens(expected, got, options);
  }
  return {};
}

std::string_view to_string(CompareMode mode) {
  switch (mode) {
    case CompareMode::exact:
      return "exact";
    case CompareMode::lines:
      return "lines";
    case CompareMode::tokens:
      return "tokens";
  }
  return "lines";
}

std::optional<CompareMode> compare_mode_named(std::string_view name) {
  for (CompareMode m :
       {CompareMode::exact, CompareMode::lines, CompareMode::tokens}) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

}  // namespace playground::grading
