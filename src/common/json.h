// JSON text for responses and logs, with numbers as people write them.
//
//   std::string body = json::to_text(boost::json::object{{"time_ms", 12.46}});
//   // {"time_ms":12.46}   (Boost.JSON 1.81 alone would write 1.246E1)
//
// Strings, objects and arrays are serialised by Boost.JSON; doubles use the
// shortest representation that reads back to the same value.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace playground::json {

std::string to_text(const boost::json::value& value);

// The same, appended to `out` (for building a line without a second copy).
void append_text(std::string& out, const boost::json::value& value);
// A JSON string literal for `text`, appended to `out`.
void append_string(std::string& out, std::string_view text);
// A count of hundredths as the shortest decimal number: 300 is "3", 150
// "1.5", 25 "0.25" (what append_text writes for the double 1.5, without
// std::to_chars's cost). For durations to two decimals in log lines.
void append_hundredths(std::string& out, uint64_t hundredths);

}  // namespace playground::json
