// The JSON fields every request that carries a program shares (POST
// /py/eval, /py/grade, and the endpoints of the other APIs), parsed and
// bounded one way.
//
//   auto doc = parse_json_body(body);        // line and column on errors
//   auto files = files_from_json(*value);     // kMaxFiles, file_name_problem
//
// Errors are Errc::invalid_request with a sentence that names the field.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "protocol/eval_request.h"

namespace playground::protocol {

// An Errc::invalid_request error with `message`.
Error bad_request(std::string message);
// The error for a "timeout_ms" that is not a positive whole number.
Error timeout_ms_error();

// The body as JSON (nested at most 32 deep); the error says what is wrong
// and where (line, column), naming a lone UTF-16 surrogate as such. The
// value's memory comes from `storage` (the default: the heap); a caller that
// reads the value within its scope can give a monotonic resource on its
// stack, which makes the parse allocate nothing for a small body.
Result<boost::json::value> parse_json_body(
    std::string_view body, boost::json::storage_ptr storage = {});

// The body as a JSON object; `shape` says what the object must hold, for
// the error when it is something else ("a \"code\" field").
Result<boost::json::object> parse_json_object(
    std::string_view body, std::string_view shape,
    boost::json::storage_ptr storage = {});

// "code": the program, a string, required.
Result<std::string> code_from_json(const boost::json::object& obj);
// The same, from the field itself (null when it is missing).
Result<std::string> code_from_json(const boost::json::value* code);

// A string field's bytes: the text itself, or, with an "encoding" of
// "base64" beside it, what it encodes (binary files and stdin, which JSON
// cannot carry as text). `what` names the encoding field for errors.
Result<std::string> decoded(const boost::json::value& text,
                            const boost::json::value* encoding,
                            std::string_view what);

// "files": [{"name", "content", "encoding"?}], at most kMaxFiles, valid
// distinct names.
Result<std::vector<ProgramFile>> files_from_json(const boost::json::value& v);
// Files for beside the program, however an API named them: at most
// kMaxFiles, valid (file_name_problem) and distinct names.
Result<void> check_files(const std::vector<ProgramFile>& files);
// "args": [strings], at most kMaxArgs of kMaxArgBytes, no NUL.
Result<std::vector<std::string>> args_from_json(const boost::json::value& v);
// "timeout_ms": a positive whole number (huge ones are kept as the largest
// int64, for the caller to clamp); absent or null gives nullopt.
Result<std::optional<int64_t>> timeout_from_json(const boost::json::value* v);

}  // namespace playground::protocol
