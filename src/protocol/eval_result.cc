// Encoding of evaluation results as JSON (see eval_result.h).
#include "protocol/eval_result.h"

#include <boost/json/parse.hpp>
#include <cmath>
#include <optional>

#include "common/encoding.h"
#include "common/utf8.h"

namespace playground::protocol {
namespace {

using sandbox::RunStatus;

double round2(double v) { return std::round(v * 100.0) / 100.0; }

std::optional<RunStatus> status_named(std::string_view name) {
  for (RunStatus s :
       {RunStatus::ok, RunStatus::error, RunStatus::timeout,
        RunStatus::memory_limit, RunStatus::output_limit, RunStatus::killed}) {
    if (sandbox::to_string(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace

boost::json::object result_to_json(const sandbox::RunResult& r, bool base64) {
  auto text = [base64](const std::string& bytes) {
    return base64 ? encoding::base64_encode(bytes) : utf8::make_valid(bytes);
  };
  boost::json::object out{
      {"stdout", text(r.stdout_bytes)},
      {"stderr", text(r.stderr_bytes)},
      {"exit_code", r.exit_code},
      {"status", sandbox::to_string(r.status)},
      {"time_ms", round2(r.time_ms)},
      {"cpu_ms", round2(r.cpu_ms)},
      {"memory_kb", r.memory_kb},
      {"truncated", r.truncated},
  };
  if (base64) out["output_encoding"] = "base64";
  return out;
}

Result<sandbox::RunResult> result_from_json(std::string_view body) {
  const Error not_a_result{"A backend's answer is not an evaluation result.",
                           Errc::unavailable};
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return not_a_result;
  const boost::json::object& o = doc.get_object();
  const auto* out = o.if_contains("stdout");
  const auto* err = o.if_contains("stderr");
  const auto* exit_code = o.if_contains("exit_code");
  const auto* status = o.if_contains("status");
  if (out == nullptr || !out->is_string() || err == nullptr ||
      !err->is_string() || exit_code == nullptr || !exit_code->is_int64() ||
      status == nullptr || !status->is_string()) {
    return not_a_result;
  }
  const auto named = status_named(status->get_string());
  if (!named) return not_a_result;
  auto number = [&o](std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
  };
  sandbox::RunResult r;
  const auto* encoding = o.if_contains("output_encoding");
  if (encoding != nullptr && encoding->is_string() &&
      encoding->get_string() == "base64") {
    auto out_bytes = encoding::base64_decode(out->get_string());
    auto err_bytes = encoding::base64_decode(err->get_string());
    if (!out_bytes || !err_bytes) return not_a_result;
    r.stdout_bytes = std::move(*out_bytes);
    r.stderr_bytes = std::move(*err_bytes);
  } else {
    r.stdout_bytes = std::string(out->get_string());
    r.stderr_bytes = std::string(err->get_string());
  }
  r.exit_code = static_cast<int>(exit_code->get_int64());
  r.status = *named;
  r.time_ms = number("time_ms");
  r.cpu_ms = number("cpu_ms");
  const auto* memory = o.if_contains("memory_kb");
  r.memory_kb =
      memory != nullptr && memory->is_int64() ? memory->get_int64() : 0;
  const auto* truncated = o.if_contains("truncated");
  r.truncated =
      truncated != nullptr && truncated->is_bool() && truncated->get_bool();
  return r;
}

}  // namespace playground::protocol
