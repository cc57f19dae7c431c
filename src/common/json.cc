// JSON serialisation with plain decimal doubles (see json.h).
#include "common/json.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

namespace playground::json {
namespace {

void append(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += boost::json::serialize(boost::json::string_view(member.key()));
        out.push_back(':');
        append(out, member.value());
      }
      out.push_back('}');
      break;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append(out, item);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::double_: {
      const double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";  // JSON has no NaN or infinity
        break;
      }
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
      out.append(buf, ec == std::errc() ? end : buf);
      break;
    }
    default:
      out += boost::json::serialize(v);
  }
}

}  // namespace

std::string to_text(const boost::json::value& value) {
  std::string out;
  append(out, value);
  return out;
}

}  // namespace playground::json
