// Pre-started sandboxes, refilled in the background (see sandbox_pool.h).
#include "backend/sandbox_pool.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/log.h"

namespace playground::backend {

namespace asio = boost::asio;

SandboxPool::SandboxPool(const sandbox::LaunchConfig& config,
                         sandbox::CgroupSlots* cgroups,
                         sandbox::SlotKeepers& keepers, int slots,
                         int max_ready, metrics::Registry& registry)
    : config_(config),
      cgroups_(cgroups),
      keepers_(keepers),
      max_ready_(std::max(0, max_ready)),
      taken_warm_(registry.counter(
          "playground_pool_taken_warm_total",
          "Runs given a pooled sandbox whose Python was ready.")),
      taken_cold_(
          registry.counter("playground_pool_taken_starting_total",
                           "Runs given a pooled sandbox still starting.")),
      started_now_(registry.counter(
          "playground_pool_started_on_demand_total",
          "Runs that found the pool empty and started a sandbox.")) {
  for (int i = slots - 1; i >= 0; --i) free_slots_.push_back(i);
  registry.gauge_callback("playground_pool_ready",
                          "Pre-started sandboxes waiting for code.",
                          [this] { return ready(); });
  registry.gauge_callback("playground_pool_target",
                          "Pre-started sandboxes the pool aims for.",
                          [this] { return target_; });
  registry.gauge_callback(
      "playground_pool_warm",
      "Pre-started sandboxes whose Python is ready for code.", [this] {
        return std::count_if(ready_.begin(), ready_.end(),
                             [](auto& box) { return box->warm(); });
      });
}

SandboxPool::~SandboxPool() { stop(); }

SandboxPool::Lease::Lease(SandboxPool* pool,
                          std::unique_ptr<sandbox::SandboxProcess> box)
    : pool_(pool), box_(std::move(box)) {}

SandboxPool::Lease::Lease(Lease&& other) noexcept
    : pooled(other.pooled), pool_(other.pool_), box_(std::move(other.box_)) {}

SandboxPool::Lease::~Lease() {
  if (!box_) return;
  const int slot = box_->slot();
  box_.reset();  // killed and gone (see ~SandboxProcess) before the slot is
                 // reused
  pool_->release_slot(slot);
}

asio::awaitable<void> SandboxPool::Lease::end() {
  if (!box_) co_return;
  co_await box_->finish();
  const int slot = box_->slot();
  box_.reset();
  pool_->release_slot(slot);
}

void SandboxPool::retire(std::unique_ptr<sandbox::SandboxProcess> box) {
  asio::co_spawn(
      executor_,
      [lease = Lease(this, std::move(box))]() mutable -> asio::awaitable<void> {
        co_await lease.end();
      },
      asio::detached);
}

void SandboxPool::start(asio::any_io_executor executor) {
  executor_ = std::move(executor);
  stopped_ = false;
  sizing_timer_ = std::make_unique<asio::steady_timer>(executor_);
  resize();
}

void SandboxPool::stop() {
  stopped_ = true;
  if (sizing_timer_) sizing_timer_->cancel();
  while (!ready_.empty()) {
    std::unique_ptr<sandbox::SandboxProcess> box = std::move(ready_.front());
    ready_.pop_front();
    if (executor_) {
      retire(std::move(box));
    } else {
      const int slot = box->slot();
      box.reset();
      release_slot(slot);
    }
  }
}

std::optional<int> SandboxPool::claim_slot() {
  if (free_slots_.empty()) return std::nullopt;
  int slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

void SandboxPool::release_slot(int slot) {
  free_slots_.push_back(slot);
  refill();
}

// Once a second: forget old peaks, recompute the target, trim the excess.
void SandboxPool::resize() {
  if (stopped_) return;
  const int peak = *std::max_element(peaks_.begin(), peaks_.end());
  target_ = std::clamp(peak + 1, std::min(1, max_ready_), max_ready_);
  while (static_cast<int>(ready_.size()) > target_) {
    std::unique_ptr<sandbox::SandboxProcess> oldest = std::move(ready_.front());
    ready_.pop_front();
    retire(std::move(oldest));
  }
  refill();
  current_second_ = (current_second_ + 1) % peaks_.size();
  peaks_[current_second_] = 0;
  sizing_timer_->expires_after(std::chrono::seconds(1));
  sizing_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) resize();
  });
}

void SandboxPool::refill() {
  if (stopped_) return;
  while (static_cast<int>(ready_.size()) + starting_ < target_) {
    auto slot = claim_slot();
    if (!slot) return;
    ++starting_;
    asio::co_spawn(executor_, fill_one(*slot), asio::detached);
  }
}

asio::awaitable<void> SandboxPool::fill_one(int slot) {
  auto box = co_await sandbox::SandboxProcess::start(config_, keepers_,
                                                     cgroups_, slot);
  --starting_;
  if (!box) {
    log::warn("could not pre-start a sandbox",
              {{"slot", slot}, {"error", box.error().message}});
    free_slots_.push_back(
        slot);  // no immediate retry: the sizing loop tries again
    co_return;
  }
  if (stopped_) {
    co_await (*box)->finish();
    box->reset();
    free_slots_.push_back(slot);
    co_return;
  }
  ready_.push_back(std::move(*box));
}

asio::awaitable<Result<SandboxPool::Lease>> SandboxPool::take(int running) {
  peaks_[current_second_] = std::max(peaks_[current_second_], running);
  if (running + 1 > target_ && target_ < max_ready_) {
    target_ = std::min(max_ready_, running + 1);  // grow at once, shrink slowly
  }
  // Drop sandboxes that died while waiting (killed, out of memory...).
  for (auto it = ready_.begin(); it != ready_.end();) {
    if (!(*it)->exited()) {
      ++it;
      continue;
    }
    log::warn("a pooled sandbox ended while waiting; discarding it",
              {{"slot", (*it)->slot()}});
    retire(std::move(*it));
    it = ready_.erase(it);
  }
  auto warm = std::find_if(ready_.begin(), ready_.end(),
                           [](auto& box) { return box->warm(); });
  if (warm == ready_.end() && !ready_.empty()) warm = ready_.begin();
  if (warm != ready_.end()) {
    const bool was_warm = (*warm)->warm();
    Lease lease(this, std::move(*warm));
    ready_.erase(warm);
    lease.pooled = true;
    (was_warm ? taken_warm_ : taken_cold_).inc();
    refill();
    co_return lease;
  }
  started_now_.inc();
  auto slot = claim_slot();
  if (!slot) co_return Error{"no free sandbox slot", Errc::at_capacity};
  auto box = co_await sandbox::SandboxProcess::start(config_, keepers_,
                                                     cgroups_, *slot);
  if (!box) {
    free_slots_.push_back(*slot);
    co_return box.error();
  }
  refill();
  co_return Lease(this, std::move(*box));
}

}  // namespace playground::backend
