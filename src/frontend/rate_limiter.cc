// Token buckets per client (see rate_limiter.h).
#include "frontend/rate_limiter.h"

#include <algorithm>

namespace playground::frontend {

size_t RateLimiter::clients() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

RateLimiter::RateLimiter(RateLimit limit)
    : limit_(limit), overflow_{limit.burst, Clock::time_point{}} {}

void RateLimiter::refill(Bucket& b, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min(limit_.burst, b.tokens + elapsed * limit_.per_second);
    b.updated = now;
  }
}

void RateLimiter::drop_full_buckets(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
}

std::optional<double> RateLimiter::take(std::string_view client,
                                        Clock::time_point now) {
  if (limit_.per_second <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(client));
  Bucket* bucket = nullptr;
  if (it != buckets_.end()) {
    bucket = &it->second;
  } else {
    // A sweep walks the whole table, so at most one a second.
    if (buckets_.size() >= limit_.max_clients &&
        now - last_sweep_ >= std::chrono::seconds(1)) {
      last_sweep_ = now;
      drop_full_buckets(now);
    }
    if (buckets_.size() < limit_.max_clients) {
      bucket = &buckets_.emplace(std::string(client), Bucket{limit_.burst, now})
                    .first->second;
    } else {
      bucket = &overflow_;
    }
  }
  refill(*bucket, now);
  if (bucket->tokens >= 1) {
    bucket->tokens -= 1;
    return std::nullopt;
  }
  return (1 - bucket->tokens) / limit_.per_second;
}

}  // namespace playground::frontend
