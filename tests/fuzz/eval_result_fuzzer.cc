// Fuzz target: the JSON answer of a finished run (protocol::result_to_json
// written by json::to_text, as http::json_response does), with whatever bytes
// a program may print.
//
// Input: read with FuzzedDataProvider: status, exit code, times, memory,
// truncated, stdout, then stderr (the rest).
// Properties: result_from_json reads it back as the same run; the text is valid
// UTF-8 and valid JSON; it is an object with exactly the eight contract fields;
// stdout and stderr read back as utf8::make_valid of what was printed (exactly
// it when that was valid); the numbers and flags read back as given (times to
// 0.01 ms); and the text is at most six bytes per byte printed plus a small
// constant.
#include <fuzzer/FuzzedDataProvider.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/json.h"
#include "common/utf8.h"
#include "fuzz_check.h"
#include "protocol/eval_result.h"
#include "sandbox/run_result.h"

namespace {

using playground::sandbox::RunResult;
using playground::sandbox::RunStatus;
namespace utf8 = playground::utf8;

void check_output(const boost::json::value& v, const std::string& printed) {
  FUZZ_CHECK(v.is_string());
  const std::string repaired = utf8::make_valid(printed);
  FUZZ_CHECK(v.get_string() == repaired);
  FUZZ_CHECK(!utf8::is_valid(printed) || repaired == printed);
}

void check_time(const boost::json::value& v, double given) {
  FUZZ_CHECK(v.is_number());
  FUZZ_CHECK(std::fabs(v.to_number<double>() - given) <= 0.005 + given * 1e-12);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  RunResult r;
  r.status = static_cast<RunStatus>(
      in.ConsumeIntegralInRange<int>(0, static_cast<int>(RunStatus::killed)));
  r.exit_code = in.ConsumeIntegral<int>();
  // Measured times: non-negative and finite (up to about 30 years).
  r.time_ms = in.ConsumeFloatingPointInRange<double>(0, 1e12);
  r.cpu_ms = in.ConsumeFloatingPointInRange<double>(0, 1e12);
  r.memory_kb = in.ConsumeIntegral<int64_t>();
  r.truncated = in.ConsumeBool();
  r.stdout_bytes = in.ConsumeRandomLengthString();
  r.stderr_bytes = in.ConsumeRemainingBytesAsString();

  const std::string text =
      playground::json::to_text(playground::protocol::result_to_json(r));
  FUZZ_CHECK(utf8::is_valid(text));
  FUZZ_CHECK(text.size() <=
             6 * (r.stdout_bytes.size() + r.stderr_bytes.size()) + 256);
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(text, ec);
  FUZZ_CHECK(!ec && doc.is_object());
  const boost::json::object& o = doc.get_object();
  FUZZ_CHECK(o.size() == 8);
  check_output(o.at("stdout"), r.stdout_bytes);
  check_output(o.at("stderr"), r.stderr_bytes);
  FUZZ_CHECK(o.at("exit_code").to_number<int64_t>() == r.exit_code);
  FUZZ_CHECK(o.at("status").get_string() ==
             playground::sandbox::to_string(r.status));
  check_time(o.at("time_ms"), r.time_ms);
  check_time(o.at("cpu_ms"), r.cpu_ms);
  FUZZ_CHECK(o.at("memory_kb").to_number<int64_t>() == r.memory_kb);
  FUZZ_CHECK(o.at("truncated").get_bool() == r.truncated);

  // Read back as the frontend does for the other APIs: the same run, its
  // output as sent (valid UTF-8).
  const auto back = playground::protocol::result_from_json(text);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->stdout_bytes == utf8::make_valid(r.stdout_bytes));
  FUZZ_CHECK(back->stderr_bytes == utf8::make_valid(r.stderr_bytes));
  FUZZ_CHECK(back->exit_code == r.exit_code && back->status == r.status);
  FUZZ_CHECK(back->memory_kb == r.memory_kb && back->truncated == r.truncated);
  check_time(o.at("time_ms"), back->time_ms);

  // Asked for base64, the output reads back byte for byte.
  const auto exact =
      playground::protocol::result_from_json(playground::json::to_text(
          playground::protocol::result_to_json(r, /*base64=*/true)));
  FUZZ_CHECK(exact.ok());
  FUZZ_CHECK(exact->stdout_bytes == r.stdout_bytes);
  FUZZ_CHECK(exact->stderr_bytes == r.stderr_bytes);
  return 0;
}
