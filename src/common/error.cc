// The category of playground::Errc (see error.h).
#include "common/error.h"

namespace playground {
namespace {

class ErrcCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "playground"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::invalid_request:
        return "invalid request";
      case Errc::unsupported_media_type:
        return "unsupported media type";
      case Errc::too_large:
        return "too large";
      case Errc::at_capacity:
        return "at capacity";
      case Errc::rate_limited:
        return "rate limited";
      case Errc::unavailable:
        return "unavailable";
      case Errc::client_gone:
        return "client gone";
      case Errc::sandbox_failed:
        return "sandbox failed";
    }
    return "unknown";
  }
};

}  // namespace

const std::error_category& errc_category() {
  static const ErrcCategory category;
  return category;
}

}  // namespace playground
