// Making arbitrary bytes safe to put in a JSON string.
//
//   std::string text = utf8::make_valid(program_output);
//
// A program may print anything, including bytes that are not UTF-8 or a
// multi-byte character cut in half by the output cap. JSON strings must be
// UTF-8, so each invalid sequence becomes U+FFFD, the way Python's
// errors="replace" decodes it.
#pragma once

#include <string>
#include <string_view>

namespace playground::utf8 {

std::string make_valid(std::string_view bytes);
bool is_valid(std::string_view bytes);
// Length of the well-formed sequence at bytes[i] (Unicode Table 3-7), or 0.
size_t sequence_length(std::string_view bytes, size_t i);

}  // namespace playground::utf8
