// Fuzz target: grading requests (protocol::parse_grade_request) and the
// output comparison they configure (grading::compare).
//
// Input: a JSON body. Properties:
//  - the answer is a request or an invalid_request / unsupported_media_type
//    error, the same one every time, with a message;
//  - an accepted request keeps its bounds: 1 to kMaxTests cases with
//    distinct names of at most kMaxTestNameBytes, points in [0, kMaxPoints],
//    timeouts positive, float tolerances finite and not negative;
//  - each case's expected output compared with itself is equal in its mode,
//    and with the next case's: exact equality implies lines equality implies
//    tokens equality, and a difference names a line >= 1 and at least one
//    side, cut to kShownBytes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "grading/compare.h"
#include "protocol/grade_request.h"

namespace {

using playground::Errc;
using namespace playground::grading;
using namespace playground::protocol;

void check_difference(const Comparison& c) {
  if (c.equal) {
    FUZZ_CHECK(!c.difference);
    return;
  }
  FUZZ_CHECK(c.difference);
  FUZZ_CHECK(c.difference->line >= 1);
  FUZZ_CHECK(c.difference->expected || c.difference->got);
  FUZZ_CHECK(!c.difference->expected ||
             c.difference->expected->size() <= kShownBytes);
  FUZZ_CHECK(!c.difference->got || c.difference->got->size() <= kShownBytes);
}

void check_comparisons(std::string_view a, std::string_view b,
                       const CompareOptions& options) {
  const Comparison self = compare(a, a, options);
  FUZZ_CHECK(self.equal);
  CompareOptions exact{.mode = CompareMode::exact};
  CompareOptions lines{.mode = CompareMode::lines};
  CompareOptions tokens = options;
  tokens.mode = CompareMode::tokens;
  const Comparison e = compare(a, b, exact), l = compare(a, b, lines),
                   t = compare(a, b, tokens);
  check_difference(e);
  check_difference(l);
  check_difference(t);
  FUZZ_CHECK(!e.equal || l.equal);
  FUZZ_CHECK(!l.equal || t.equal);
  check_difference(compare(a, b, options));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto req = parse_grade_request("application/json", body, 5000);
  auto again = parse_grade_request("application/json", body, 5000);
  FUZZ_CHECK(req.ok() == again.ok());
  if (!req) {
    FUZZ_CHECK(req.error().code == Errc::invalid_request);
    FUZZ_CHECK(!req.error().message.empty());
    FUZZ_CHECK(req.error().message == again.error().message);
    return 0;
  }
  FUZZ_CHECK(!req->tests.empty() && req->tests.size() <= kMaxTests);
  std::set<std::string> names;
  for (const TestCase& c : req->tests) {
    FUZZ_CHECK(!c.name.empty() && c.name.size() <= kMaxTestNameBytes);
    FUZZ_CHECK(names.insert(c.name).second);
    FUZZ_CHECK(c.points >= 0 && c.points <= kMaxPoints);
    FUZZ_CHECK(!c.timeout_ms || *c.timeout_ms > 0);
  }
  const CompareOptions& o = req->compare;
  FUZZ_CHECK(!o.float_abs ||
             (std::isfinite(*o.float_abs) && *o.float_abs >= 0));
  FUZZ_CHECK(!o.float_rel ||
             (std::isfinite(*o.float_rel) && *o.float_rel >= 0));
  for (size_t i = 0; i < req->tests.size(); ++i) {
    const auto& next = req->tests[(i + 1) % req->tests.size()];
    check_comparisons(req->tests[i].expected_stdout, next.expected_stdout, o);
  }
  auto refused = parse_grade_request("text/plain", body, 5000);
  FUZZ_CHECK(!refused && refused.error().code == Errc::unsupported_media_type);
  return 0;
}
