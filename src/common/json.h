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

namespace playground::json {

std::string to_text(const boost::json::value& value);

}  // namespace playground::json
