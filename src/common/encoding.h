// The byte encodings other APIs use for program text and output: base64
// (Judge0's base64_encoded, Piston's "base64" files) and hex (Piston).
//
//   auto code = base64_decode("cHJpbnQoMSk=");   // "print(1)"
//   std::string text = base64_encode(output);
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace playground::encoding {

// RFC 4648 base64 with padding.
std::string base64_encode(std::string_view bytes);
// Standard alphabet; line breaks and spaces are skipped (Ruby's and
// MIME encoders wrap lines), padding may be missing. nullopt on any other
// character or a dangling bit.
std::optional<std::string> base64_decode(std::string_view text);
// Two hex digits per byte, either case; nullopt otherwise.
std::optional<std::string> hex_decode(std::string_view text);

}  // namespace playground::encoding
