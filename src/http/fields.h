// The header fields of the services' messages (http::Request and
// http::Response), kept flat: a Beast Fields type, so messages are Beast's.
//
//   http::Response r{http::Status::ok, 11};
//   r.set(beast_http::field::content_type, "application/json");
//   std::string_view type = r[beast_http::field::content_type];
//   for (const http::Field& f : r) use(f.name_string(), f.value());
//
// A message has a handful of fields, read a few times each. Beast's
// basic_fields keeps each in a block of its own, linked into a list and a
// sorted tree compared by case-folded name: about 250 instructions a field
// to insert and 100 to free, for lookups a list of five does as fast.
// Here the fields are one array in insertion order and their text one
// buffer, so a message allocates twice whatever its fields. Known names
// are found by their code; other names by comparison without case.
//
// As basic_fields: values are stored without surrounding spaces, names as
// given (a known one inserted by code is spelled as Beast spells it), and
// a lookup finds the first field of the name. Unlike basic_fields, any
// change (insert, set, erase, keep_alive, chunked, content_length, the
// target, method or reason) may move the fields and their text: views and
// iterators taken before it are not valid after it. A view may be passed
// to the change itself (`r.set(a, r[b])`). Duplicates stay in insertion
// order (Beast lists a name's fields together).
#pragma once

#include <boost/beast/http/field.hpp>
#include <boost/optional/optional.hpp>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace playground::http {

namespace beast_http = boost::beast::http;

// One field: its name's code (field::unknown for a name Beast does not
// know), its name as spelled, and its value.
class Field {
 public:
  beast_http::field name() const { return name_; }
  std::string_view name_string() const { return name_string_; }
  std::string_view value() const { return value_; }

 private:
  friend class Fields;
  beast_http::field name_ = beast_http::field::unknown;
  std::string_view name_string_;
  std::string_view value_;
};

class Fields {
 public:
  using value_type = Field;
  using const_iterator = const Field*;
  using iterator = const_iterator;

  Fields() = default;
  Fields(const Fields& other);
  Fields(Fields&& other) noexcept;
  Fields& operator=(const Fields& other);
  Fields& operator=(Fields&& other) noexcept;
  ~Fields() = default;

  const_iterator begin() const { return fields_.data(); }
  const_iterator end() const { return fields_.data() + fields_.size(); }
  bool empty() const { return fields_.empty(); }
  size_t size() const { return fields_.size(); }

  // The first field of the name, end() when there is none.
  const_iterator find(beast_http::field name) const;
  const_iterator find(std::string_view name) const;
  size_t count(beast_http::field name) const;
  size_t count(std::string_view name) const;
  // The value of the first field of the name, "" when there is none.
  std::string_view operator[](beast_http::field name) const;
  std::string_view operator[](std::string_view name) const;

  // Adds a field after the others (a known name, not field::unknown).
  void insert(beast_http::field name, std::string_view value);
  void insert(std::string_view name, std::string_view value);
  // Adds a field with its code and its name as spelled (the parser's).
  void insert(beast_http::field code, std::string_view name,
              std::string_view value);
  // Replaces every field of the name by one.
  void set(beast_http::field name, std::string_view value);
  void set(std::string_view name, std::string_view value);
  // Removes every field of the name; how many there were.
  size_t erase(beast_http::field name);
  size_t erase(std::string_view name);
  const_iterator erase(const_iterator field);
  void clear();

 protected:
  // Beast's Fields requirements: what header<> and message<> ask.
  std::string_view get_method_impl() const { return method_; }
  std::string_view get_target_impl() const { return target_; }
  std::string_view get_reason_impl() const { return reason_; }
  bool get_chunked_impl() const;
  bool get_keep_alive_impl(unsigned version) const;
  bool has_content_length_impl() const;
  void set_method_impl(std::string_view s) { method_ = keep(s); }
  void set_target_impl(std::string_view s) { target_ = keep(s); }
  void set_reason_impl(std::string_view s) { reason_ = keep(s); }
  void set_chunked_impl(bool chunked);
  void set_content_length_impl(const boost::optional<std::uint64_t>& length);
  void set_keep_alive_impl(unsigned version, bool keep_alive);

 private:
  // `s` copied into the text buffer (grown, and compacted, when full).
  std::string_view keep(std::string_view s);
  // `s` copied into the text buffer, which has room for it.
  std::string_view append(std::string_view s);
  // Calls f(view&) on the method, target, reason and each name and value.
  template <class F>
  void for_each_view(F f);
  // A new buffer with the live text and room for `more` bytes; the old
  // one, for the caller to free once done with what it points into.
  std::unique_ptr<char[]> grow(size_t more);
  // Copies each view that points into [from, from + size) to the buffer's
  // end (which has room), and points it there.
  void copy_views_from(const char* from, size_t size);
  bool in_text(std::string_view s) const;

  std::vector<Field> fields_;
  std::unique_ptr<char[]> text_;
  size_t used_ = 0;
  size_t capacity_ = 0;
  std::string_view method_;  // only for a verb Beast does not know
  std::string_view target_;
  std::string_view reason_;
};

}  // namespace playground::http
