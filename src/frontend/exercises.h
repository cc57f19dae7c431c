// Exercises: programming tasks with visible and hidden test cases, loaded
// from a directory of JSON files when the frontend starts (--exercises).
//
//   auto set = Exercises::load("/etc/playground/exercises");
//   const Exercise* e = set->find("sum-two");
//   json_response(ok, e->public_json());        // never the hidden cases
//   std::string body = e->grade_request(code);   // every case, for /py/grade
//
// One file per exercise, e.g. sum-two.json:
//   {"id": "sum-two", "title": "Sum of two numbers",
//    "statement": "Markdown ...", "starter_code": "...",
//    "compare": "lines",                       // as POST /py/grade's
//    "tests": [{"name": "small", "stdin": "1 2", "expected_stdout": "3\n"},
//              {"name": "big", ..., "hidden": true, "points": 2}]}
// Every file is checked at load time as the grading request it will become,
// so a broken exercise stops the start with its file named, not a student.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace playground::frontend {

inline constexpr size_t kMaxExercises = 1000;
inline constexpr size_t kMaxExerciseFileBytes = 1 << 20;

struct Exercise {
  std::string id;  // [a-z0-9-], at most 64: a URL path segment as it is
  std::string title;
  std::string statement;  // Markdown
  std::string starter_code;
  boost::json::value compare;  // as given ("lines" when absent)
  boost::json::array tests;    // every case, hidden ones too

  // What a browser may see: the statement, the starter code and the visible
  // cases; of the hidden ones only how many and their points.
  boost::json::object public_json() const;
  // {"id", "title", "tests", "hidden_tests"}: one entry of the list.
  boost::json::object summary_json() const;
  // The POST /py/grade body that grades `code` against every case.
  std::string grade_request(std::string_view code) const;
};

class Exercises {
 public:
  // Every *.json file of `dir` (not recursing), in name order. Fails naming
  // the file and what is wrong with it.
  static Result<Exercises> load(const std::string& dir);
  // Parses one exercise file's text; `origin` names it in errors.
  static Result<Exercise> parse(std::string_view text,
                                const std::string& origin);

  const Exercise* find(std::string_view id) const;
  boost::json::array list_json() const;
  size_t size() const { return by_id_.size(); }

 private:
  std::map<std::string, Exercise, std::less<>> by_id_;
};

}  // namespace playground::frontend
