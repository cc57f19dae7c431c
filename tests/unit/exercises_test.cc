// Exercise files (frontend/exercises.h): loading, checking, and what a
// browser may see of them.
#include "frontend/exercises.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>

namespace playground::frontend {
namespace {

constexpr const char* kExercise = R"j({
  "id": "add", "title": "Add", "statement": "Add *two* numbers.",
  "starter_code": "print(0)",
  "tests": [
    {"name": "seen", "stdin": "1 2", "expected_stdout": "3\n"},
    {"name": "secret", "stdin": "HIDDEN-IN", "expected_stdout": "HIDDEN-OUT",
     "hidden": true, "points": 4}
  ]})j";

TEST(Exercises, PublicViewLeavesHiddenCasesOut) {
  auto e = Exercises::parse(kExercise, "add.json");
  ASSERT_TRUE(e) << e.error().message;
  const auto view = e->public_json();
  const std::string text = boost::json::serialize(view);
  EXPECT_EQ(text.find("HIDDEN"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret"), std::string::npos) << text;
  EXPECT_EQ(view.at("tests").as_array().size(), 1u);
  EXPECT_EQ(view.at("hidden_tests"), 1);
  EXPECT_EQ(view.at("hidden_points"), 4);
  EXPECT_EQ(view.at("max_score"), 5);
  EXPECT_EQ(view.at("statement"), "Add *two* numbers.");
  EXPECT_EQ(view.at("compare"), "lines");
  const auto summary = e->summary_json();
  EXPECT_EQ(summary.at("tests"), 1);
  EXPECT_EQ(summary.at("hidden_tests"), 1);
  EXPECT_EQ(boost::json::serialize(summary).find("HIDDEN"), std::string::npos);
}

TEST(Exercises, GradeRequestCarriesEveryCase) {
  auto e = Exercises::parse(kExercise, "add.json");
  ASSERT_TRUE(e);
  auto body = boost::json::parse(e->grade_request("print(3)")).as_object();
  EXPECT_EQ(body.at("code"), "print(3)");
  ASSERT_EQ(body.at("tests").as_array().size(), 2u);
  EXPECT_EQ(body.at("tests").as_array()[1].at("hidden"), true);
}

TEST(Exercises, BrokenFilesAreNamedWithTheProblem) {
  auto problem = [](const std::string& text) {
    auto e = Exercises::parse(text, "x.json");
    EXPECT_FALSE(e) << text;
    return e ? std::string() : e.error().message;
  };
  EXPECT_NE(problem("{").find("x.json"), std::string::npos);
  EXPECT_NE(problem(R"({"title": "t", "tests": []})").find("\"id\""),
            std::string::npos);
  EXPECT_NE(problem(R"({"id": "Bad Id", "title": "t"})").find("a-z"),
            std::string::npos);
  EXPECT_NE(problem(R"({"id": "a", "title": "t", "tests": []})").find("tests"),
            std::string::npos);
  EXPECT_NE(problem(R"({"id": "a", "title": "t", "tests": [{"name": "n"}]})")
                .find("expected_stdout"),
            std::string::npos);
  EXPECT_NE(problem(R"({"id": "a", "title": "t", "compare": "fuzzy",
                        "tests": [{"expected_stdout": ""}]})")
                .find("compare"),
            std::string::npos);
}

TEST(Exercises, LoadsADirectoryAndRefusesDuplicateIds) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("pg-exercises-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.json") << kExercise;
  std::ofstream(dir / "notes.txt") << "not an exercise";
  auto set = Exercises::load(dir.string());
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->size(), 1u);
  EXPECT_NE(set->find("add"), nullptr);
  EXPECT_EQ(set->find("other"), nullptr);
  std::ofstream(dir / "b.json") << kExercise;
  set = Exercises::load(dir.string());
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("b.json"), std::string::npos);
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(Exercises::load(dir.string()));
}

TEST(Exercises, TheShippedExamplesLoad) {
  auto set = Exercises::load(PLAYGROUND_SOURCE_DIR "/exercises");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_GE(set->size(), 3u);
  EXPECT_NE(set->find("sum-two"), nullptr);
}

}  // namespace
}  // namespace playground::frontend
