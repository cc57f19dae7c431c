// RateLimiter: a token bucket per client address.
//
//   RateLimiter limiter({.per_second = 5, .burst = 10});
//   if (auto wait = limiter.take(client_ip, Clock::now())) {
//     return too_many_requests(retry_after = ceil(*wait));  // 429
//   }
//
// Memory is bounded whatever the number of addresses: when `max_clients`
// buckets exist, the full (idle) ones are dropped; if every bucket is still
// in use, newcomers share one overflow bucket, so a flood of addresses slows
// the newcomers down rather than growing the table. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace playground::frontend {

struct RateLimit {
  double per_second = 5;  // tokens added per second; 0 turns limiting off
  double burst = 10;      // bucket size: requests allowed at once
  size_t max_clients = 100'000;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit);

  // Takes a token for `client`. Empty when allowed; otherwise the seconds
  // until a token will be available (for Retry-After).
  std::optional<double> take(std::string_view client, Clock::time_point now);

  size_t clients() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void refill(Bucket& b, Clock::time_point now) const;
  void drop_full_buckets(Clock::time_point now);

  const RateLimit limit_;
  // The frontend's loops share one limiter; a take is short.
  mutable std::mutex mu_;  // guards what follows
  std::unordered_map<std::string, Bucket> buckets_;
  Bucket overflow_;
  Clock::time_point last_sweep_{};
};

}  // namespace playground::frontend
