// Memory reserved for request bodies (see body_budget.h).
#include "http/body_budget.h"

#include <malloc.h>

#include <utility>

namespace playground::http {

void give_large_blocks_back() {
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);  // fixed: no longer adjusted upward
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
}

BodyBudget::Hold::Hold(Hold&& other) noexcept
    : budget_(std::exchange(other.budget_, nullptr)),
      held_(other.held_),
      bytes_(other.bytes_) {}

BodyBudget::Hold::~Hold() {
  if (budget_ != nullptr) budget_->release(*held_, bytes_);
}

std::optional<BodyBudget::Hold> BodyBudget::reserve(const std::string& address,
                                                    size_t bytes) {
  std::lock_guard lock(mu_);
  Held& held = by_address_.at(address);
  if (bytes > total_ - used_ || bytes > per_address_ - held.bytes) {
    return std::nullopt;
  }
  used_ += bytes;
  held.bytes += bytes;
  ++held.holds;
  return Hold(this, &held, bytes);
}

void BodyBudget::release(Held& held, size_t bytes) {
  std::lock_guard lock(mu_);
  used_ -= bytes;
  held.bytes -= bytes;
  --held.holds;
}

size_t BodyBudget::addresses() {
  std::lock_guard lock(mu_);
  return by_address_.size();
}

}  // namespace playground::http
