// EvalRequest: what POST /py/eval (backend) and POST /python (frontend) ask
// for, parsed and validated the same way by both services.
//
//   auto req = parse_eval_request(content_type, body);
//   if (!req) return http::error_response(req.error());
//
// Accepts JSON {"code": "...", "stdin": "...", "timeout_ms": 2000,
// "files": [{"name": "helper.py", "content": "..."}], "args": ["-v"]} (only
// code required) and code, stdin and timeout_ms as a urlencoded or multipart
// form. `files` are written beside main.py in the run's working directory
// before it starts; `args` become sys.argv[1:]. Both are bounded and checked
// here (kMaxFiles, kMaxArgs, file_name_problem), so a request that passes is
// one the sandbox can carry out. Bytes that are not UTF-8 travel as base64:
// a file's "encoding": "base64", and "stdin_encoding": "base64".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace playground::protocol {

// Who the client is, as the frontend tells a backend for fair queueing;
// believed only on a request that carries the backend's token.
inline constexpr std::string_view kClientHeader = "X-Playground-Client";

struct ProgramFile {
  std::string name;  // relative: "helper.py", "data/input.txt"
  std::string content;
};

struct EvalRequest {
  std::string code;
  std::string stdin_data;
  std::optional<int64_t> timeout_ms;  // as asked; the caller clamps it
  std::vector<ProgramFile> files;
  std::vector<std::string> args;
  // "output_encoding": "base64": stdout and stderr answered as base64 of
  // the exact bytes (the frontend asks so for the other APIs, which may
  // want bytes that are not UTF-8); otherwise as text, made valid UTF-8.
  bool output_base64 = false;
};

inline constexpr size_t kMaxFiles = 64;
inline constexpr size_t kMaxArgs = 256;
inline constexpr size_t kMaxArgBytes = 4096;
inline constexpr size_t kMaxFileNameBytes = 255;
inline constexpr size_t kMaxFileNameParts = 8;

// A name a file may have in the run's working directory: relative, '/'
// between at most kMaxFileNameParts parts, none empty, "." or "..", no
// control character, not main.py itself. Empty when valid, else why not.
std::string file_name_problem(std::string_view name);

// True for the media types parse_eval_request understands; checked on the
// header before the body is read so a wrong type costs no upload.
bool is_supported_media_type(std::string_view content_type);

// What both services answer (415) for any other media type.
inline constexpr std::string_view kUnsupportedMediaTypeMessage =
    "Content-Type must be application/json, "
    "application/x-www-form-urlencoded or multipart/form-data.";

// The 415 answer unless the request's Content-Type is supported: the
// media-type step of both services' precheck.
std::optional<http::Response> refuse_media_type(
    const http::RequestHeader& header);

// Errors are Errc::invalid_request or Errc::unsupported_media_type.
Result<EvalRequest> parse_eval_request(std::string_view content_type,
                                       std::string_view body);

}  // namespace playground::protocol
