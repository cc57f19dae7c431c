// SubmissionStore: the Judge0 submissions a later GET /submissions/<token>
// may ask for, in memory and bounded.
//
//   SubmissionStore store({.count = 1000, .keep_for = 10min});
//   auto token = store.add(std::move(submission), Clock::now());
//   if (!token) return queue_is_full();        // every place still running
//   store.start(*token);                        // Processing
//   store.finish(*token, run_result, "", Clock::now());
//   std::optional<Record> r = store.find(*token, Clock::now());
//
// At most `count` submissions are kept, together at most `bytes` of program,
// input and output. A finished one is kept `keep_for` after it finished,
// and dropped earlier, oldest first, when a new one needs its place. One
// still queued or running is never dropped: when every place holds one,
// add() refuses (Judge0's 503 "queue is full"). Thread-safe: the
// frontend's event loops share one (a submission made on one connection is
// fetched on another).
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "compat/judge0.h"

namespace playground::compat::judge0 {

// A random UUID version 4 ("3f1c...-4...-a..."), from the kernel's CSPRNG:
// a token is the only key to a submission's program and output.
std::string new_token();

class SubmissionStore {
 public:
  using Clock = std::chrono::steady_clock;
  struct Bounds {
    size_t count = 1000;
    std::chrono::milliseconds keep_for = std::chrono::minutes(10);
    size_t bytes = 64 << 20;
  };

  explicit SubmissionStore(Bounds bounds);
  SubmissionStore(const SubmissionStore&) = delete;
  SubmissionStore& operator=(const SubmissionStore&) = delete;

  // Keeps `submission` In Queue under a new token; nullopt when it has no
  // place (every place taken by a submission not finished yet).
  std::optional<std::string> add(Submission submission, Clock::time_point now);
  // Marks it Processing.
  void start(const std::string& token);
  // Its end: the run, or why there was none (`failure`, Internal Error).
  // Returns a copy of the record as finished; none when unknown.
  std::optional<Record> finish(const std::string& token,
                               std::optional<sandbox::RunResult> run,
                               std::string failure, Clock::time_point now);
  // Forgets it (a wait=true run whose client got an error, not a token).
  void erase(const std::string& token);
  // A copy of the submission, or none when unknown or expired.
  std::optional<Record> find(const std::string& token, Clock::time_point now);

  size_t size() const;
  size_t bytes() const;

 private:
  struct Entry {
    Record record;
    size_t bytes = 0;
    Clock::time_point finished;                    // steady, for expiry
    std::list<std::string>::iterator in_finished;  // valid when done
  };
  void drop_expired(Clock::time_point now);
  // Drops the oldest finished until `extra` more bytes and one more entry
  // fit (when `for_new`), or the bytes fit; false when they cannot.
  bool make_room(size_t extra, bool for_new);
  void drop(std::string token);  // a copy: callers pass list elements

  Bounds bounds_;
  mutable std::mutex mu_;  // guards what follows
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> finished_;  // oldest first
  size_t bytes_ = 0;
};

}  // namespace playground::compat::judge0
