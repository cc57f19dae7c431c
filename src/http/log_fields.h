// LogFields: the fields a handler adds to its request's log line (route.h),
// in the order they were first set.
//
//   ctx.log.set("backend", "s1");
//   ctx.log.set("attempts", 1);
//   ctx.log.append_to(line);  // ,"backend":"s1","attempts":1
//
// A request sets two to five of them. A flat list held in place, not a JSON
// object: the object's hash table and its allocation cost a proxied request
// more than the rest of its log line (docs/benchmarks.md, "The frontend").
#pragma once

#include <boost/container/small_vector.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

namespace playground::http {

class LogFields {
 public:
  // Sets the field `key` to `value` (a number, a bool or a string), replacing
  // what it held. The key is a string literal: it is kept, not copied, and
  // written into the line as it is, so it must be plain JSON (letters, digits
  // and '_'); the line's own keys (ts, level, msg, ...) are not allowed.
  template <size_t N, class Value>
  void set(const char (&key)[N], const Value& value) {
    const std::string_view name(key, N - 1);
    if constexpr (std::is_convertible_v<const Value&, std::string_view>) {
      const std::string_view text = value;
      set_field(name, boost::json::string_view(text.data(), text.size()));
    } else {
      set_field(name, value);
    }
  }

  // The value of `key`, or null when it was not set.
  const boost::json::value* find(std::string_view key) const;

  // `,"key":value` for each field, in order.
  void append_to(std::string& line) const;

 private:
  void set_field(std::string_view key, boost::json::value value);

  struct Field {
    std::string_view key;
    boost::json::value value;
  };
  boost::container::small_vector<Field, 5> fields_;
};

}  // namespace playground::http
