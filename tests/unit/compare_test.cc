// Output comparison of test cases (grading/compare.h).
#include "grading/compare.h"

#include <gtest/gtest.h>

namespace playground::grading {
namespace {

Comparison lines(std::string_view e, std::string_view g) {
  return compare(e, g, {.mode = CompareMode::lines});
}

TEST(Compare, ExactIsByteForByte) {
  const CompareOptions exact{.mode = CompareMode::exact};
  EXPECT_TRUE(compare("1\n2\n", "1\n2\n", exact).equal);
  EXPECT_TRUE(compare("", "", exact).equal);
  auto c = compare("1\n2\n", "1\n2 \n", exact);
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->line, 2u);
  EXPECT_EQ(c.difference->expected, "2");
  EXPECT_EQ(c.difference->got, "2 ");
  EXPECT_FALSE(compare("1\n", "1\r\n", exact).equal);
  // A missing final newline is a difference; no line differs, so the
  // difference is reported past the last common line.
  c = compare("1\n", "1", exact);
  ASSERT_FALSE(c.equal);
  EXPECT_FALSE(compare("a", "", exact).equal);
}

TEST(Compare, LinesIgnoreTrailingWhitespaceAndBlankLines) {
  EXPECT_TRUE(lines("1\n2\n", "1  \n2\t\n\n\n").equal);
  EXPECT_TRUE(lines("1\n2", "1\r\n2\r\n").equal) << "CRLF equals LF";
  EXPECT_TRUE(lines("", "\n\n  \n").equal) << "blank output is empty";
  EXPECT_TRUE(lines("", "").equal);
  // Leading whitespace and inner blank lines still count.
  EXPECT_FALSE(lines("1\n2\n", " 1\n2\n").equal);
  auto c = lines("1\n2\n", "1\n\n2\n");
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->line, 2u);
  EXPECT_EQ(c.difference->expected, "2");
  EXPECT_EQ(c.difference->got, "");
}

TEST(Compare, LinesReportWhereOutputEnds) {
  auto c = lines("a\nb\nc\n", "a\nb\n");
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->line, 3u);
  EXPECT_EQ(c.difference->expected, "c");
  EXPECT_FALSE(c.difference->got.has_value()) << "the output had ended";
  c = lines("a\n", "a\nextra\n");
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->line, 2u);
  EXPECT_FALSE(c.difference->expected.has_value());
  EXPECT_EQ(c.difference->got, "extra");
  c = lines("x\n", "");
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->line, 1u);
}

TEST(Compare, ShownTextIsCut) {
  const std::string long_line(5000, 'x');
  auto c = lines("y\n", long_line);
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->got->size(), kShownBytes);
}

TEST(Compare, TokensIgnoreLayout) {
  const CompareOptions tokens{.mode = CompareMode::tokens};
  EXPECT_TRUE(compare("1 2 3\n", "1\n2\t3", tokens).equal);
  EXPECT_TRUE(compare("", " \n ", tokens).equal);
  EXPECT_FALSE(compare("Yes", "yes", tokens).equal);
  EXPECT_TRUE(compare("Yes", "yes",
                      {.mode = CompareMode::tokens, .case_insensitive = true})
                  .equal);
  auto c = compare("1 2 3", "1 2\n4", tokens);
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->line, 2u);
  EXPECT_EQ(c.difference->expected, "3");
  EXPECT_EQ(c.difference->got, "4");
  c = compare("1 2", "1", tokens);
  ASSERT_FALSE(c.equal);
  EXPECT_EQ(c.difference->expected, "2");
  EXPECT_FALSE(c.difference->got.has_value());
}

TEST(Compare, TokensCompareNumbersWithinTolerance) {
  // Without a tolerance numbers are text.
  EXPECT_FALSE(compare("0.5", "0.50", {.mode = CompareMode::tokens}).equal);
  const CompareOptions abs{.mode = CompareMode::tokens, .float_abs = 1e-6};
  EXPECT_TRUE(compare("0.333333", "0.3333333333", abs).equal);
  EXPECT_TRUE(compare("1e3", "1000.0000001", abs).equal);
  EXPECT_FALSE(compare("0.3333", "0.3334", abs).equal);
  const CompareOptions rel{.mode = CompareMode::tokens, .float_rel = 1e-3};
  EXPECT_TRUE(compare("1000000", "1000500", rel).equal);
  EXPECT_FALSE(compare("1000000", "1002000", rel).equal);
  EXPECT_FALSE(compare("0", "0.0001", rel).equal) << "relative to 0 is exact";
  const CompareOptions either{
      .mode = CompareMode::tokens, .float_abs = 1e-3, .float_rel = 1e-9};
  EXPECT_TRUE(compare("0", "0.0001", either).equal);
  // Words and non-finite values are never approximately equal.
  EXPECT_FALSE(compare("abc", "abd", abs).equal);
  EXPECT_FALSE(compare("1.0", "one", abs).equal);
  EXPECT_FALSE(compare("nan", "nan0", abs).equal);
  EXPECT_TRUE(compare("inf", "inf", abs).equal) << "identical text is equal";
  EXPECT_FALSE(compare("inf", "1e308", abs).equal);
}

TEST(Compare, ModeNames) {
  for (auto name : {"exact", "lines", "tokens"}) {
    auto mode = compare_mode_named(name);
    ASSERT_TRUE(mode) << name;
    EXPECT_EQ(to_string(*mode), name);
  }
  EXPECT_FALSE(compare_mode_named("Lines"));
  EXPECT_FALSE(compare_mode_named(""));
}

}  // namespace
}  // namespace playground::grading
