// The header fields of the services' messages (see fields.h).
#include "http/fields.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <string>

#include "http/message.h"

namespace playground::http {
namespace {

constexpr size_t kFirstText = 256;

bool same_name(const Field& f, beast_http::field code, std::string_view name) {
  if (code != beast_http::field::unknown) return f.name() == code;
  return f.name() == beast_http::field::unknown &&
         equal_ignoring_case(f.name_string(), name);
}

// The items of a comma-separated list but those `drop` says, joined again.
template <class Drop>
std::string filtered_list(std::string_view list, Drop drop) {
  std::string kept;
  while (!list.empty()) {
    const std::string_view item = next_list_item(list);
    if (item.empty() || drop(item)) continue;
    if (!kept.empty()) kept += ", ";
    kept += item;
  }
  return kept;
}

bool has_list_item(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    if (equal_ignoring_case(next_list_item(list), token)) return true;
  }
  return false;
}

std::string_view last_list_item(std::string_view list) {
  std::string_view last;
  while (!list.empty()) {
    const std::string_view item = next_list_item(list);
    if (!item.empty()) last = item;
  }
  return last;
}

}  // namespace

Fields::Fields(const Fields& other)
    : fields_(other.fields_),
      method_(other.method_),
      target_(other.target_),
      reason_(other.reason_) {
  if (other.used_ == 0) return;
  // The views point into `other`'s text still.
  text_ = std::make_unique_for_overwrite<char[]>(other.used_);
  capacity_ = other.used_;
  copy_views_from(other.text_.get(), other.used_);
}

Fields& Fields::operator=(const Fields& other) {
  if (this != &other) *this = Fields(other);
  return *this;
}

Fields::Fields(Fields&& other) noexcept
    : fields_(std::move(other.fields_)),
      text_(std::move(other.text_)),
      used_(std::exchange(other.used_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      method_(std::exchange(other.method_, {})),
      target_(std::exchange(other.target_, {})),
      reason_(std::exchange(other.reason_, {})) {
  other.fields_.clear();
}

Fields& Fields::operator=(Fields&& other) noexcept {
  if (this == &other) return *this;
  fields_ = std::move(other.fields_);
  other.fields_.clear();
  text_ = std::move(other.text_);
  used_ = std::exchange(other.used_, 0);
  capacity_ = std::exchange(other.capacity_, 0);
  method_ = std::exchange(other.method_, {});
  target_ = std::exchange(other.target_, {});
  reason_ = std::exchange(other.reason_, {});
  return *this;
}

Fields::const_iterator Fields::find(beast_http::field name) const {
  return std::find_if(begin(), end(),
                      [name](const Field& f) { return f.name() == name; });
}

Fields::const_iterator Fields::find(std::string_view name) const {
  const beast_http::field code = beast_http::string_to_field(name);
  return std::find_if(begin(), end(),
                      [&](const Field& f) { return same_name(f, code, name); });
}

size_t Fields::count(beast_http::field name) const {
  return static_cast<size_t>(std::count_if(
      begin(), end(), [name](const Field& f) { return f.name() == name; }));
}

size_t Fields::count(std::string_view name) const {
  const beast_http::field code = beast_http::string_to_field(name);
  return static_cast<size_t>(std::count_if(begin(), end(), [&](const Field& f) {
    return same_name(f, code, name);
  }));
}

std::string_view Fields::operator[](beast_http::field name) const {
  const const_iterator it = find(name);
  return it == end() ? std::string_view() : it->value();
}

std::string_view Fields::operator[](std::string_view name) const {
  const const_iterator it = find(name);
  return it == end() ? std::string_view() : it->value();
}

void Fields::insert(beast_http::field name, std::string_view value) {
  insert(name, beast_http::to_string(name), value);
}

void Fields::insert(std::string_view name, std::string_view value) {
  insert(beast_http::string_to_field(name), name, value);
}

void Fields::set(beast_http::field name, std::string_view value) {
  erase(name);
  insert(name, value);
}

// An erased field's text stays until the buffer grows, and keep() copies
// from the old buffer before freeing it: `name` and `value` may be views of
// this message's own fields.
void Fields::set(std::string_view name, std::string_view value) {
  erase(name);
  insert(name, value);
}

size_t Fields::erase(beast_http::field name) {
  return static_cast<size_t>(std::erase_if(
      fields_, [name](const Field& f) { return f.name() == name; }));
}

size_t Fields::erase(std::string_view name) {
  const beast_http::field code = beast_http::string_to_field(name);
  return static_cast<size_t>(std::erase_if(
      fields_, [&](const Field& f) { return same_name(f, code, name); }));
}

Fields::const_iterator Fields::erase(const_iterator field) {
  const auto at = field - begin();
  fields_.erase(fields_.begin() + at);
  return begin() + at;
}

// The text of the removed fields stays until the buffer is next compacted:
// the method, target and reason may live in it.
void Fields::clear() { fields_.clear(); }

bool Fields::get_chunked_impl() const {
  return equal_ignoring_case(
      last_list_item((*this)[beast_http::field::transfer_encoding]), "chunked");
}

bool Fields::get_keep_alive_impl(unsigned version) const {
  const const_iterator it = find(beast_http::field::connection);
  if (version < 11) {
    return it != end() && has_list_item(it->value(), "keep-alive");
  }
  return it == end() || !has_list_item(it->value(), "close");
}

bool Fields::has_content_length_impl() const {
  return find(beast_http::field::content_length) != end();
}

void Fields::set_chunked_impl(bool chunked) {
  const std::string_view te = (*this)[beast_http::field::transfer_encoding];
  if (chunked) {
    if (te.empty()) {
      set(beast_http::field::transfer_encoding, "chunked");
    } else if (!equal_ignoring_case(last_list_item(te), "chunked")) {
      set(beast_http::field::transfer_encoding, std::string(te) + ", chunked");
    }
    return;
  }
  // "chunked" is taken off only as the last coding, as Beast does.
  const std::string_view last = last_list_item(te);
  if (last.empty() || !equal_ignoring_case(last, "chunked")) return;
  std::string_view rest =
      te.substr(0, static_cast<size_t>(last.data() - te.data()));
  while (!rest.empty() &&
         (rest.back() == ' ' || rest.back() == '\t' || rest.back() == ',')) {
    rest.remove_suffix(1);
  }
  if (rest.empty()) {
    erase(beast_http::field::transfer_encoding);
  } else {
    set(beast_http::field::transfer_encoding, rest);
  }
}

void Fields::set_content_length_impl(
    const boost::optional<std::uint64_t>& length) {
  if (!length) {
    erase(beast_http::field::content_length);
    return;
  }
  char digits[24];
  const auto [end, ec] =
      std::to_chars(std::begin(digits), std::end(digits), *length);
  set(beast_http::field::content_length,
      std::string_view(digits, static_cast<size_t>(end - digits)));
}

// Connection's other tokens stay; "close" and "keep-alive" say what is
// asked, and only where the version does not say it already.
void Fields::set_keep_alive_impl(unsigned version, bool keep_alive) {
  const std::string_view now = (*this)[beast_http::field::connection];
  std::string list = filtered_list(now, [](std::string_view item) {
    return equal_ignoring_case(item, "close") ||
           equal_ignoring_case(item, "keep-alive");
  });
  const char* token = nullptr;
  if (version < 11 && keep_alive) token = "keep-alive";
  if (version >= 11 && !keep_alive) token = "close";
  if (token != nullptr) {
    if (!list.empty()) list += ", ";
    list += token;
  }
  if (list.empty()) {
    erase(beast_http::field::connection);
  } else {
    set(beast_http::field::connection, list);
  }
}

void Fields::insert(beast_http::field code, std::string_view name,
                    std::string_view value) {
  // A known name as Beast spells it needs no copy.
  const std::string_view known = beast_http::to_string(code);
  const bool spelled_known =
      code != beast_http::field::unknown && name == known;
  value = trim_ows(value);
  // Room for both at once: a growth between the two would leave the name
  // behind (it is in no field yet). `name` and `value` may be in the old
  // buffer: freed once copied.
  const size_t need = (spelled_known ? 0 : name.size()) + value.size();
  std::unique_ptr<char[]> old;
  if (capacity_ - used_ < need) old = grow(need);
  Field f;
  f.name_ = code;
  f.name_string_ = spelled_known ? known : append(name);
  f.value_ = append(value);
  if (fields_.empty()) fields_.reserve(8);  // one allocation, usually
  fields_.push_back(f);
}

std::string_view Fields::keep(std::string_view s) {
  std::unique_ptr<char[]> old;  // `s` may be in it: freed once copied
  if (capacity_ - used_ < s.size()) old = grow(s.size());
  return append(s);
}

std::string_view Fields::append(std::string_view s) {
  if (s.empty()) return {};
  char* at = text_.get() + used_;
  std::memcpy(at, s.data(), s.size());
  used_ += s.size();
  return {at, s.size()};
}

template <class F>
void Fields::for_each_view(F f) {
  f(method_);
  f(target_);
  f(reason_);
  for (Field& field : fields_) {
    f(field.name_string_);
    f(field.value_);
  }
}

std::unique_ptr<char[]> Fields::grow(size_t more) {
  size_t live = 0;
  for_each_view([&](std::string_view v) {
    if (in_text(v)) live += v.size();
  });
  const size_t capacity = std::max(kFirstText, 2 * (live + more));
  std::unique_ptr<char[]> old =
      std::exchange(text_, std::make_unique_for_overwrite<char[]>(capacity));
  const size_t old_used = std::exchange(used_, 0);
  capacity_ = capacity;
  copy_views_from(old.get(), old_used);
  return old;
}

void Fields::copy_views_from(const char* from, size_t size) {
  if (from == nullptr) return;
  const std::less<const char*> before;
  for_each_view([&](std::string_view& v) {
    if (v.empty() || before(v.data(), from) || !before(v.data(), from + size))
      return;
    v = append(v);
  });
}

bool Fields::in_text(std::string_view s) const {
  const std::less<const char*> before;
  const char* base = text_.get();
  return !s.empty() && base != nullptr && !before(s.data(), base) &&
         before(s.data(), base + used_);
}

}  // namespace playground::http
