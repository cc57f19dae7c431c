// EvalRequest: what POST /py/eval (backend) and POST /python (frontend) ask
// for, parsed and validated the same way by both services.
//
//   auto req = parse_eval_request(content_type, body);
//   if (!req) return json_error(req.error().code, req.error().message);
//
// Accepts JSON {"code": "...", "stdin": "...", "timeout_ms": 2000} (only code
// required) and the same fields as a urlencoded or multipart form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace playground::protocol {

struct EvalRequest {
  std::string code;
  std::string stdin_data;
  std::optional<int64_t> timeout_ms;  // as asked; the caller clamps it
};

// True for the media types parse_eval_request understands; checked on the
// header before the body is read so a wrong type costs no upload.
bool is_supported_media_type(std::string_view content_type);

// Error.code is the HTTP status to answer with: 400 or 415.
Result<EvalRequest> parse_eval_request(std::string_view content_type,
                                       std::string_view body);

}  // namespace playground::protocol
