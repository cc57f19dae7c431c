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
      address_(std::move(other.address_)),
      bytes_(other.bytes_) {}

BodyBudget::Hold::~Hold() {
  if (budget_ != nullptr) budget_->release(address_, bytes_);
}

std::optional<BodyBudget::Hold> BodyBudget::reserve(const std::string& address,
                                                    size_t bytes) {
  std::lock_guard lock(mu_);
  size_t& mine = by_address_[address];
  if (bytes > total_ - used_ || bytes > per_address_ - mine) {
    if (mine == 0) by_address_.erase(address);
    return std::nullopt;
  }
  used_ += bytes;
  mine += bytes;
  return Hold(this, address, bytes);
}

void BodyBudget::release(const std::string& address, size_t bytes) {
  std::lock_guard lock(mu_);
  used_ -= bytes;
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return;
  it->second -= bytes;
  if (it->second == 0) by_address_.erase(it);
}

}  // namespace playground::http
