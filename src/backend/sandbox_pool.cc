// Pre-started sandboxes, refilled in the background (see sandbox_pool.h).
#include "backend/sandbox_pool.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cmath>

#include "common/log.h"
#include "common/task.h"

namespace playground::backend {

namespace asio = boost::asio;
using sandbox::SandboxProcess;

SandboxPool::SandboxPool(const sandbox::LaunchConfig& config,
                         sandbox::CgroupSlots* cgroups,
                         sandbox::SlotKeepers& keepers, int slots,
                         int max_ready, std::string data_preload,
                         metrics::Registry& registry)
    : config_(config),
      cgroups_(cgroups),
      keepers_(keepers),
      max_ready_(std::max(0, max_ready)),
      data_preload_(std::move(data_preload)),
      taken_warm_(registry.counter(
          "playground_pool_taken_warm_total",
          "Runs given a pooled sandbox whose Python was ready.")),
      taken_cold_(
          registry.counter("playground_pool_taken_starting_total",
                           "Runs given a pooled sandbox still starting.")),
      started_now_(registry.counter(
          "playground_pool_started_on_demand_total",
          "Runs that found the pool empty and started a sandbox.")),
      data_taken_warm_(registry.counter(
          "playground_pool_data_taken_warm_total",
          "Data runs given a sandbox that had imported numpy and pandas.")) {
  for (int i = slots - 1; i >= 0; --i) free_slots_.push_back(i);
  registry.gauge_callback("playground_pool_ready",
                          "Pre-started plain sandboxes waiting for code.",
                          [this] { return ready(SandboxKind::plain); });
  registry.gauge_callback("playground_pool_target",
                          "Pre-started plain sandboxes the pool aims for.",
                          [this] { return target(SandboxKind::plain); });
  registry.gauge_callback(
      "playground_pool_warm",
      "Pre-started plain sandboxes whose Python is ready for code.", [this] {
        auto& ready = shelf(SandboxKind::plain).ready;
        return std::count_if(ready.begin(), ready.end(),
                             [](auto& box) { return box->warm(); });
      });
  registry.gauge_callback(
      "playground_pool_data_ready",
      "Pre-started data sandboxes (numpy and pandas imported or importing).",
      [this] { return ready(SandboxKind::data); });
  registry.gauge_callback(
      "playground_pool_data_warm",
      "Pre-started data sandboxes whose Python imported numpy and pandas.",
      [this] {
        auto& ready = shelf(SandboxKind::data).ready;
        return std::count_if(ready.begin(), ready.end(),
                             [](auto& box) { return box->warm(); });
      });
  registry.gauge_callback("playground_pool_data_target",
                          "Pre-started data sandboxes the pool aims for.",
                          [this] { return target(SandboxKind::data); });
}

SandboxPool::~SandboxPool() { stop(); }

SandboxPool::Lease::Lease(SandboxPool* pool,
                          std::unique_ptr<SandboxProcess> box,
                          std::optional<SandboxKind> running_as)
    : pool_(pool), box_(std::move(box)), running_as_(running_as) {}

SandboxPool::Lease::Lease(Lease&& other) noexcept
    : pooled(other.pooled),
      pool_(other.pool_),
      box_(std::move(other.box_)),
      running_as_(std::exchange(other.running_as_, std::nullopt)) {}

SandboxPool::Lease::~Lease() {
  if (!box_) return;
  const int slot = box_->slot();
  box_.reset();  // killed and gone (see ~SandboxProcess) before the slot is
                 // reused
  done(slot);
}

Task<void> SandboxPool::Lease::end() {
  if (!box_) co_return;
  co_await box_->finish();
  const int slot = box_->slot();
  box_.reset();
  done(slot);
}

void SandboxPool::Lease::done(int slot) {
  if (running_as_) --pool_->shelf(*running_as_).running;
  running_as_.reset();
  pool_->release_slot(slot);
}

void SandboxPool::retire(std::unique_ptr<SandboxProcess> box) {
  asio::co_spawn(
      *executor_,
      [lease = Lease(this, std::move(box))]() mutable -> Task<void> {
        co_await lease.end();
      },
      asio::detached);
}

void SandboxPool::start(Executor executor) {
  executor_ = executor;
  stopped_ = false;
  sizing_timer_ = std::make_unique<Timer>(*executor_);
  refill_timer_ = std::make_unique<Timer>(*executor_);
  resize();
}

void SandboxPool::stop() {
  stopped_ = true;
  if (sizing_timer_) sizing_timer_->cancel();
  if (refill_timer_) refill_timer_->cancel();
  for (Shelf& s : shelves_) {
    while (!s.ready.empty()) {
      std::unique_ptr<SandboxProcess> box = std::move(s.ready.front());
      s.ready.pop_front();
      if (executor_) {
        retire(std::move(box));
      } else {
        const int slot = box->slot();
        box.reset();
        release_slot(slot);
      }
    }
  }
}

int SandboxPool::ready(SandboxKind kind) const {
  return static_cast<int>(shelf(kind).ready.size());
}

int SandboxPool::target(SandboxKind kind) const { return shelf(kind).target; }

std::string_view SandboxPool::preload_for(SandboxKind kind) const {
  return kind == SandboxKind::data ? std::string_view(data_preload_) : "";
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

void SandboxPool::retarget() {
  auto peak = [](const Shelf& s) {
    return *std::max_element(s.peaks.begin(), s.peaks.end());
  };
  const int want_plain = peak(shelf(SandboxKind::plain)) + 1;
  const int data_peak = keeps_data() ? peak(shelf(SandboxKind::data)) : 0;
  const int want_data = data_peak > 0 ? data_peak + 1 : 0;
  int data = want_data;
  if (want_plain + want_data > max_ready_) {
    // Shared in proportion; with room for two, each kind in demand keeps one.
    data = static_cast<int>(std::lround(static_cast<double>(max_ready_) *
                                        want_data / (want_plain + want_data)));
    if (max_ready_ >= 2)
      data = std::clamp(data, want_data > 0 ? 1 : 0, max_ready_ - 1);
  }
  shelf(SandboxKind::data).target = data;
  shelf(SandboxKind::plain).target = std::min(want_plain, max_ready_ - data);
}

// Once a second: forget old peaks, recompute the targets, trim the excess.
void SandboxPool::resize() {
  if (stopped_) return;
  retarget();
  for (Shelf& s : shelves_) {
    while (static_cast<int>(s.ready.size()) > s.target) {
      std::unique_ptr<SandboxProcess> oldest = std::move(s.ready.front());
      s.ready.pop_front();
      retire(std::move(oldest));
    }
  }
  refill();
  current_second_ = (current_second_ + 1) % kWindowSeconds;
  for (Shelf& s : shelves_) s.peaks[current_second_] = s.running;
  sizing_timer_->expires_after(std::chrono::seconds(1));
  sizing_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) resize();
  });
}

void SandboxPool::refill_soon() {
  if (stopped_ || refill_pending_) return;
  refill_pending_ = true;
  refill_timer_->expires_after(kRefillDelay);
  refill_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec && refill_pending_) refill();
  });
}

void SandboxPool::refill() {
  refill_pending_ = false;
  if (stopped_) return;
  for (SandboxKind kind : {SandboxKind::plain, SandboxKind::data}) {
    Shelf& s = shelf(kind);
    while (static_cast<int>(s.ready.size()) + s.starting < s.target) {
      auto slot = claim_slot();
      if (!slot) return;
      ++s.starting;
      asio::co_spawn(*executor_, fill_one(*slot, kind), asio::detached);
    }
  }
}

Task<void> SandboxPool::fill_one(int slot, SandboxKind kind) {
  auto box = co_await SandboxProcess::start(config_, keepers_, cgroups_, slot,
                                            preload_for(kind));
  --shelf(kind).starting;
  if (!box) {
    log::warn("could not pre-start a sandbox",
              {{"slot", slot},
               {"kind", to_string(kind)},
               {"error", box.error().message}});
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
  shelf(kind).ready.push_back(std::move(*box));
}

std::unique_ptr<SandboxProcess> SandboxPool::take_pooled(SandboxKind kind) {
  auto& ready = shelf(kind).ready;
  // Drop sandboxes that died while waiting (killed, out of memory...).
  for (auto it = ready.begin(); it != ready.end();) {
    if (!(*it)->exited()) {
      ++it;
      continue;
    }
    log::warn("a pooled sandbox ended while waiting; discarding it",
              {{"slot", (*it)->slot()}, {"kind", to_string(kind)}});
    retire(std::move(*it));
    it = ready.erase(it);
  }
  auto pick = std::find_if(ready.begin(), ready.end(),
                           [](auto& box) { return box->warm(); });
  if (pick == ready.end()) pick = ready.begin();
  if (pick == ready.end()) return nullptr;
  std::unique_ptr<SandboxProcess> box = std::move(*pick);
  ready.erase(pick);
  return box;
}

Task<Result<SandboxPool::Lease>> SandboxPool::take(SandboxKind kind) {
  if (kind == SandboxKind::data && !keeps_data()) kind = SandboxKind::plain;
  Shelf& s = shelf(kind);
  ++s.running;
  s.peaks[current_second_] = std::max(s.peaks[current_second_], s.running);
  retarget();  // grow at once, shrink slowly (resize)
  // A data run without a data sandbox takes a plain one: its own imports
  // then take as long as a data sandbox's would.
  bool data_ready = false;
  std::unique_ptr<SandboxProcess> box = take_pooled(kind);
  if (box && kind == SandboxKind::data) data_ready = box->warm();
  if (!box && kind == SandboxKind::data) box = take_pooled(SandboxKind::plain);
  if (box) {
    (box->warm() ? taken_warm_ : taken_cold_).inc();
    if (data_ready) data_taken_warm_.inc();
    Lease lease(this, std::move(box), kind);
    lease.pooled = true;
    refill_soon();
    co_return lease;
  }
  started_now_.inc();
  auto slot = claim_slot();
  if (!slot) {
    --s.running;
    co_return Error{"no free sandbox slot", Errc::at_capacity};
  }
  auto started =
      co_await SandboxProcess::start(config_, keepers_, cgroups_, *slot);
  if (!started) {
    --s.running;
    free_slots_.push_back(*slot);
    co_return started.error();
  }
  refill();
  co_return Lease(this, std::move(*started), kind);
}

}  // namespace playground::backend
