// Stderr, written without waiting when it can fill up: a pipe or a stream
// socket whose reader has stalled (a log collector that stopped reading).
//
//   StderrSink sink;
//   sink.look_at_stderr();
//   StderrSink::Put put = sink.put(text);
//   if (put.state == StderrSink::State::full) { /* keep text past
//       put.taken; put again once stderr is writable */ }
//
// A pipe's descriptor may be shared with other processes (the shell, the
// container runtime), so O_NONBLOCK on it is not ours to set, and
// RWF_NOWAIT fails on pipes before Linux 6.4 (Debian 12 runs 6.1). So the
// text is written into a pipe of our own, the stage, and moved on by
// splice(2) with SPLICE_F_NONBLOCK, which waits on neither pipe whatever
// their flags. A stream socket takes send(2) with MSG_DONTWAIT. Anything
// else (a file, a terminal, /dev/null) is written as is: it does not stall.
//
// Not thread-safe: the log holds a lock around it.
#pragma once

#include <cstddef>
#include <string_view>

namespace playground::log {

class StderrSink {
 public:
  enum class State { taken, full, failed };
  struct Put {
    size_t taken = 0;  // bytes of the text now in stderr or in the stage
    State state = State::taken;
  };

  StderrSink() = default;
  ~StderrSink();
  StderrSink(const StderrSink&) = delete;
  StderrSink& operator=(const StderrSink&) = delete;

  // Looks at what stderr is now. Only while nothing is staged: the staged
  // bytes belong to the stderr they were meant for.
  void look_at_stderr();
  // Writes what of `text` stderr takes now (an empty text moves on what is
  // staged); waits only when stderr cannot fill up.
  Put put(std::string_view text);
  // Nothing is staged: every byte taken is in stderr.
  bool all_out() const { return staged_ == 0; }

 private:
  enum class Kind { plain, pipe, socket };
  static Put put_plain(std::string_view text);
  static Put put_to_socket(std::string_view text);
  Put put_through_stage(std::string_view text);
  // Empties the stage into stderr by plain writes, as far as they go, and
  // writes plainly from then on (stderr took no splice).
  void unstage();

  Kind kind_ = Kind::plain;
  int stage_read_ = -1;
  int stage_write_ = -1;
  size_t staged_ = 0;  // written into the stage, not yet moved on
};

}  // namespace playground::log
