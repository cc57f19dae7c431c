// JSON text for responses and logs, with numbers as people write them.
//
//   std::string body = json::to_text(boost::json::object{{"time_ms", 12.46}});
//   // {"time_ms":12.46}   (Boost.JSON 1.81 alone would write 1.246E1)
//
// Strings, objects and arrays are serialised by Boost.JSON; doubles use the
// shortest representation that reads back to the same value.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace playground::json {

std::string to_text(const boost::json::value& value);

// The same, appended to `out` (for building a line without a second copy).
void append_text(std::string& out, const boost::json::value& value);
// A JSON string literal for `text`, appended to `out`.
void append_string(std::string& out, std::string_view text);

}  // namespace playground::json
