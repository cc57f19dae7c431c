// Comparing a program's output with the expected output of a test case.
//
//   Comparison c = compare(expected, got, {.mode = CompareMode::lines});
//   if (!c.equal) show(c.difference->line, c.difference->expected, ...);
//
// Three modes, as judges define them:
//   exact   byte for byte;
//   lines   each line without trailing whitespace (so CRLF equals LF), and
//           trailing blank lines ignored: Judge0's comparison;
//   tokens  whitespace-separated tokens, optionally case-insensitive, and
//           numbers equal within an absolute or relative tolerance when one
//           is given: the DOMjudge / Kattis default output validator.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace playground::grading {

enum class CompareMode { exact, lines, tokens };

struct CompareOptions {
  CompareMode mode = CompareMode::lines;
  bool case_insensitive = false;    // tokens only
  std::optional<double> float_abs;  // tokens only: |e - g| <= float_abs
  std::optional<double> float_rel;  // tokens only: |e - g| <= rel * |e|
};

// Where the outputs first differ. `line` counts from 1 in the program's
// output; `expected` / `got` are that line (or token), absent when that
// side has ended. Both are cut to kShownBytes.
struct Difference {
  size_t line = 0;
  std::optional<std::string> expected;
  std::optional<std::string> got;
};
inline constexpr size_t kShownBytes = 200;

struct Comparison {
  bool equal = false;
  std::optional<Difference> difference;  // set when !equal
};

Comparison compare(std::string_view expected, std::string_view got,
                   const CompareOptions& options);

std::string_view to_string(CompareMode mode);
std::optional<CompareMode> compare_mode_named(std::string_view name);

}  // namespace playground::grading
