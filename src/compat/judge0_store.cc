// The bounded store of Judge0 submissions (see judge0_store.h).
#include "compat/judge0_store.h"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

namespace playground::compat::judge0 {
namespace {

// What a record costs beyond its text: the map's node, the strings' heads.
constexpr size_t kRecordOverhead = 512;

size_t bytes_of(const Submission& s) {
  size_t n = kRecordOverhead + s.source_code.size();
  for (const auto* text :
       {&s.stdin_text, &s.expected_output, &s.command_line_arguments}) {
    if (*text) n += (*text)->size();
  }
  for (const std::string& a : s.args) n += a.size() + sizeof(std::string);
  return n;
}

size_t bytes_of(const std::optional<sandbox::RunResult>& run,
                const std::string& failure) {
  return failure.size() +
         (run ? run->stdout_bytes.size() + run->stderr_bytes.size() : 0);
}

}  // namespace

std::string new_token() {
  std::array<uint8_t, 16> b{};
  size_t got = 0;
  while (got < b.size()) {
    const ssize_t n = ::getrandom(b.data() + got, b.size() - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // No kernel randomness: a guessable token would expose submissions.
      throw std::runtime_error("getrandom failed");
    }
    got += static_cast<size_t>(n);
  }
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                "%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}

SubmissionStore::SubmissionStore(Bounds bounds) : bounds_(bounds) {}

std::optional<std::string> SubmissionStore::add(Submission submission,
                                                Clock::time_point now) {
  std::lock_guard lock(mu_);
  drop_expired(now);
  const size_t bytes = bytes_of(submission);
  if (!make_room(bytes, /*for_new=*/true)) return std::nullopt;
  std::string token = new_token();
  Entry entry{.record = {.token = token,
                         .submission = std::move(submission),
                         .created_at = std::chrono::system_clock::now()},
              .bytes = bytes};
  entries_.emplace(token, std::move(entry));
  bytes_ += bytes;
  return token;
}

void SubmissionStore::start(const std::string& token) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(token);
  if (it != entries_.end() && it->second.record.phase == Phase::in_queue) {
    it->second.record.phase = Phase::processing;
  }
}

std::optional<Record> SubmissionStore::finish(
    const std::string& token, std::optional<sandbox::RunResult> run,
    std::string failure, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.record.phase == Phase::done) return it->second.record;
  const size_t extra = bytes_of(run, failure);
  // The output is kept even when nothing finished can make room for it:
  // a running submission holds its place, so the overshoot is bounded by
  // the places times the service's output cap.
  make_room(extra, /*for_new=*/false);
  Entry& e = it->second;
  e.record.phase = Phase::done;
  e.record.run = std::move(run);
  e.record.failure = std::move(failure);
  e.record.finished_at = std::chrono::system_clock::now();
  e.finished = now;
  e.bytes += extra;
  bytes_ += extra;
  e.in_finished = finished_.insert(finished_.end(), token);
  return e.record;
}

void SubmissionStore::erase(const std::string& token) {
  std::lock_guard lock(mu_);
  drop(token);
}

std::optional<Record> SubmissionStore::find(const std::string& token,
                                            Clock::time_point now) {
  std::lock_guard lock(mu_);
  drop_expired(now);
  auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  return it->second.record;
}

size_t SubmissionStore::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

size_t SubmissionStore::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

void SubmissionStore::drop_expired(Clock::time_point now) {
  while (!finished_.empty()) {
    const Entry& oldest = entries_.at(finished_.front());
    if (now - oldest.finished < bounds_.keep_for) return;
    drop(finished_.front());
  }
}

bool SubmissionStore::make_room(size_t extra, bool for_new) {
  auto fits = [&] {
    return bytes_ + extra <= bounds_.bytes &&
           (!for_new || entries_.size() < bounds_.count);
  };
  while (!fits() && !finished_.empty()) drop(finished_.front());
  return fits();
}

void SubmissionStore::drop(std::string token) {
  auto it = entries_.find(token);
  if (it == entries_.end()) return;
  if (it->second.record.phase == Phase::done) {
    finished_.erase(it->second.in_finished);
  }
  bytes_ -= it->second.bytes;
  entries_.erase(it);
}

}  // namespace playground::compat::judge0
