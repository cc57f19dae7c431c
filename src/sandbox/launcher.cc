// Starting, supervising and ending one sandbox (see launcher.h).
#include "sandbox/launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "common/log.h"
#include "common/task.h"
#include "sandbox/shared/program_payload.h"
#include "sandbox/shared/step.h"

namespace playground::sandbox {
namespace {

namespace asio = boost::asio;
using stream_descriptor = asio::posix::basic_stream_descriptor<Executor>;
using namespace asio::experimental::awaitable_operators;

// After the init is gone, output still in flight gets this long to arrive.
constexpr std::chrono::milliseconds kDrainGrace{200};
// Asked to end a run, the init gets this long to report before SIGKILL.
constexpr std::chrono::milliseconds kEndGrace{500};
// After SIGKILL, how long an init's exit is awaited.
constexpr std::chrono::seconds kExitWait{5};

// Opens the init's six pipes: its ends in `theirs`, ours in `ours`, both by
// the init's descriptor number. False, with errno, when the system has no
// descriptors left (whatever was opened closes with the arrays).
bool open_pipes(UniqueFd (&ours)[kSpawnFdCount],
                UniqueFd (&theirs)[kSpawnFdCount]) {
  for (int i = 0; i < kSpawnFdCount; ++i) {
    UniqueFd read, write;
    if (!make_pipe(read, write)) return false;
    const bool init_reads = i == STDIN_FILENO || i == kCodeFd;
    theirs[i] = std::move(init_reads ? read : write);
    ours[i] = std::move(init_reads ? write : read);
  }
  return true;
}

// stdout and stderr share one cap.
struct OutputBudget {
  int64_t remaining;
  bool exceeded = false;
};

// Without a pid namespace or a cgroup nothing contains what a snippet
// started once its init is gone, but each slot runs under a uid of its own:
// a child that takes that uid and calls kill(-1) reaches every process left
// (fork() fails while a SIGKILL is pending, so a fork bomb cannot outrun a
// few rounds). Only async-signal-safe calls after fork.
void kill_every_process_of(uid_t uid) {
  for (int round = 0; round < 50; ++round) {
    const pid_t child = ::fork();
    if (child < 0) return;
    if (child == 0) {
      if (::setresuid(uid, uid, uid) != 0) _exit(2);
      _exit(::kill(-1, SIGKILL) == 0 ? 0 : 1);  // 1: none was left
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return;
  }
}

}  // namespace

int64_t pick_uid_base() {
  uint32_t r = 0;
  if (getrandom(&r, sizeof r, 0) != sizeof r)
    r = static_cast<uint32_t>(::getpid());
  // 500,000 ranges: the last ends below 2^31.
  return kServiceUidStart + static_cast<int64_t>(r % 500'000) * kUidsPerService;
}

int64_t slot_uid(const LaunchConfig& c, int slot) {
  if (c.uid_base > 0) return c.uid_base + slot;
  return c.isolation.namespaces ? kSandboxUid : kSlotUidBase + slot;
}

InitSpec make_init_spec(const LaunchConfig& c, int slot) {
  const Limits& l = c.limits;
  const Isolation& iso = c.isolation;
  const bool cgroups = !iso.cgroups.empty();
  return InitSpec{
      .python = c.python_path,
      .namespaces = iso.namespaces,
      .filesystem = iso.filesystem,
      .drop_privileges = iso.drop_privileges,
      .user_namespace = iso.user_namespace,
      .mapped_uid = iso.user_namespace && c.mapped_uid_base > 0,
      .seccomp = iso.seccomp,
      .uid = slot_uid(c, slot),
      .rlimits = rlimits_for(l, cgroups),
      .tmp_bytes = l.tmp_bytes,
      .tmp_inodes = l.tmp_inodes,
      // No memory cgroup: the address-space limit bounds each process only,
      // so the init bounds their sum (see contain.cc's memory watch).
      .memory_watch_bytes = cgroups ? 0 : l.memory_bytes,
      .blas_threads = l.blas_threads,
  };
}

Task<Result<std::unique_ptr<SandboxProcess>>> SandboxProcess::start(
    const LaunchConfig& config, SlotKeepers& keepers, CgroupSlots* cgroups,
    int slot, std::string_view preload) {
  std::unique_ptr<SandboxProcess> box(new SandboxProcess());
  box->config_ = &config;
  box->cgroups_ = config.isolation.cgroups.empty() ? nullptr : cgroups;
  box->slot_ = slot;
  box->keeper_ =
      keepers.keeper_pid(slot);  // spared by kill_all, whatever happens

  UniqueFd theirs[kSpawnFdCount];
  if (!open_pipes(box->pipes_, theirs)) {
    co_return Error{std::string("cannot create pipes: ") + std::strerror(errno),
                    Step::descriptors};
  }
  fcntl(box->pipes_[kReadyFd].get(), F_SETFL, O_NONBLOCK);
  // The first 64 bytes Python reads (receive.py): what to import before it
  // is warm, padded with spaces. One write into the empty pipe, below
  // PIPE_BUF: it neither blocks nor arrives in parts.
  std::string head(preload.substr(0, kPreloadBytes));
  head.resize(kPreloadBytes, ' ');
  if (::write(box->pipes_[kCodeFd].get(), head.data(), head.size()) !=
      static_cast<ssize_t>(head.size())) {
    co_return Error{"cannot write the preload list", Step::descriptors};
  }
  if (box->cgroups_ != nullptr)
    box->oom_kills_before_ = box->cgroups_->oom_kills(slot);

  int child_ends[kSpawnFdCount];
  for (int i = 0; i < kSpawnFdCount; ++i) child_ends[i] = theirs[i].get();
  const auto t_begin = std::chrono::steady_clock::now();
  auto spawned =
      co_await keepers.spawn(slot, make_init_spec(config, slot), child_ends);
  // The init holds its own copies now; ours would hide EOF on the pipes.
  for (UniqueFd& fd : theirs) fd.reset();
  if (!spawned) co_return spawned.error();
  box->pid_ = spawned->pid;
  box->pidfd_ = std::move(spawned->pidfd);
  box->keeper_ = keepers.keeper_pid(slot);
  if (log::enabled(log::Level::debug)) {
    log::debug(
        "sandbox started",
        {{"pid", box->pid_},
         {"slot", slot},
         {"spawn_us", std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - t_begin)
                          .count()}});
  }
  co_return box;
}

SandboxProcess::~SandboxProcess() {
  if (!finished_ && pidfd_ && !exited_) {
    kill();
    wait_exit(kExitWait);
  }
  for (UniqueFd& fd : pipes_) fd.reset();
  pidfd_.reset();
  if (!finished_ && pid_ > 0) kill_leftovers();
}

Task<void> SandboxProcess::finish() {
  auto ex = co_await asio::this_coro::executor;
  if (pidfd_ && !exited()) {
    kill();
    stream_descriptor watch(ex, fcntl(pidfd_.get(), F_DUPFD_CLOEXEC, 0));
    Timer limit(ex, kExitWait);
    auto first = co_await (
        watch.async_wait(stream_descriptor::wait_read, use_task_nothrow) ||
        limit.async_wait(use_task_nothrow));
    if (first.index() == 0) {
      exited_ = true;
    } else {
      log::warn("a sandbox init did not exit after SIGKILL",
                {{"pid", pid_}, {"slot", slot_}});
    }
  }
  if (pid_ > 0) co_await empty_slot();
  finished_ = true;
}

Task<void> SandboxProcess::empty_slot() {
  if (cgroups_ == nullptr) {
    kill_leftovers();  // by uid, without cgroups: no waiting there
    co_return;
  }
  Timer pause(co_await asio::this_coro::executor);
  for (int pass = 0; pass < 200; ++pass) {
    if (cgroups_->kill_remaining(slot_, keeper_)) co_return;
    pause.expires_after(std::chrono::milliseconds(1));
    co_await pause.async_wait(use_task_nothrow);
  }
  log::warn("processes remain in a sandbox cgroup after SIGKILL",
            {{"slot", slot_}});
}

void SandboxProcess::kill() {
  if (pidfd_ && !exited_)
    syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGKILL, nullptr, 0);
  // Without a pid namespace, killing the init does not end its descendants.
  if (!config_->isolation.namespaces) kill_leftovers();
}

void SandboxProcess::kill_leftovers() {
  if (cgroups_ != nullptr) {
    cgroups_->kill_all(slot_, keeper_);
  } else if (!config_->isolation.namespaces &&
             config_->isolation.drop_privileges) {
    kill_every_process_of(static_cast<uid_t>(slot_uid(*config_, slot_)));
  }
}

void SandboxProcess::end_run() {
  if (pidfd_ && !exited_)
    syscall(SYS_pidfd_send_signal, pidfd_.get(), SIGTERM, nullptr, 0);
}

bool SandboxProcess::warm() {
  if (warm_) return true;
  // "r", then the microseconds of CPU a preload took (receive.py).
  char said[32];
  UniqueFd& ready = pipes_[kReadyFd];
  const ssize_t n = ready ? ::read(ready.get(), said, sizeof said) : -1;
  if (n >= 1 && said[0] == 'r') {
    warm_ = true;
    ready.reset();
    std::from_chars(said + 1, said + n, preload_cpu_us_);
  }
  return warm_;
}

bool SandboxProcess::exited() {
  if (!exited_ && pidfd_) {
    pollfd p{pidfd_.get(), POLLIN, 0};
    if (::poll(&p, 1, 0) == 1) exited_ = true;
  }
  return exited_;
}

// The keeper reaps its children; the pidfd says when the init is gone.
void SandboxProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exited_ || !pidfd_) return;
  pollfd p{pidfd_.get(), POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc > 0) exited_ = true;
}

// One run under supervision: the coroutines that feed and read the init's
// pipes, and the one that watches its exit against the deadline.
struct SandboxProcess::Run {
  Run(SandboxProcess& owner, const Executor& ex,
      std::chrono::milliseconds wall);

  // Writes what of `data` the pipe `fd` takes at once, without waiting, and
  // closes it once all is written (EOF tells Python the code, or stdin, is
  // complete): most programs and inputs fit, and then neither pipe is ever
  // registered with the loop. Returns what is left.
  static std::string_view write_now(UniqueFd& fd, std::string_view data);
  // Writes the rest on the loop, through `d`, then closes.
  static Task<void> feed(stream_descriptor& d, UniqueFd& fd,
                         std::string_view data);
  // Reads stdout or stderr into `sink` within the shared output budget; past
  // it the run is ended.
  Task<void> collect(stream_descriptor& d, std::string& sink);
  // The init's report lines; the run's time ends with its "exit" line.
  Task<void> read_status();
  Task<void> all_io(std::string_view code, std::string_view stdin_data);
  // Watches the init's exit against the deadline and a cancellation. The
  // run is over as soon as all its output and the init's "exit" report are
  // in: the init reports only once it has ended and reaped every process of
  // the run, so what is left (the init's own exit, the kernel tearing its
  // namespaces down: 0.2 ms, 2 ms at p90) is finish()'s, after the answer.
  Task<void> supervise();
  // Which end comes first: 0 the init exited, 1 the deadline, 2 a
  // cancellation, 3 (only `with_io`) all output and the report are in.
  Task<size_t> first_end(bool with_io);
  bool reported_exit() const {
    return status_text.find("exit ") != std::string::npos;
  }
  // Past the deadline: the init is asked to end Python and report, and gets
  // kEndGrace before the whole sandbox is killed.
  Task<void> end_at_deadline();
  // Only a process that escaped the init's end (no pid namespace) could
  // still hold a pipe once the init is gone; it is not waited for.
  Task<void> drain_output();
  Task<void> wait_exit() {
    co_await exit_watch.async_wait(stream_descriptor::wait_read,
                                   use_task_nothrow);
  }
  void mark_ended() {
    if (ended == started) ended = std::chrono::steady_clock::now();
  }

  SandboxProcess& box;
  UniqueFd code_fd, stdin_fd;  // until written (write_now, feed)
  stream_descriptor code_w, stdin_w, out_r, err_r, status_r, exit_watch;
  RunResult result;
  std::string status_text;
  OutputBudget budget;
  bool timed_out = false;
  bool cancelled = false;
  bool io_done = false;
  Timer deadline;
  Timer drain;
  // Fires when the run is cancelled, even before anyone waits on it.
  Timer cancelled_timer;
  // Fires once every pipe of the run is at its end (all_io is done).
  Timer io_finished;
  const std::chrono::steady_clock::time_point started =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point ended = started;
};

SandboxProcess::Run::Run(SandboxProcess& owner, const Executor& ex,
                         std::chrono::milliseconds wall)
    : box(owner),
      code_fd(std::move(owner.pipes_[kCodeFd])),
      stdin_fd(std::move(owner.pipes_[STDIN_FILENO])),
      code_w(ex),
      stdin_w(ex),
      out_r(ex, owner.pipes_[STDOUT_FILENO].release()),
      err_r(ex, owner.pipes_[STDERR_FILENO].release()),
      status_r(ex, owner.pipes_[kStatusFd].release()),
      exit_watch(ex, fcntl(owner.pidfd_.get(), F_DUPFD_CLOEXEC, 0)),
      budget{owner.config_->limits.output_bytes},
      deadline(ex, wall),
      drain(ex),
      cancelled_timer(ex, Timer::time_point::max()),
      io_finished(ex, Timer::time_point::max()) {}

std::string_view SandboxProcess::Run::write_now(UniqueFd& fd,
                                                std::string_view data) {
  // Non-blocking on our end only: the init's end is another open file.
  if (!data.empty() && ::fcntl(fd.get(), F_SETFL, O_NONBLOCK) == 0) {
    ssize_t n;
    do {
      n = ::write(fd.get(), data.data(), data.size());
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno != EAGAIN) {
      data = {};  // Python is gone (EPIPE): nothing more can be written
    }
  }
  if (data.empty()) fd.reset();
  return data;
}

Task<void> SandboxProcess::Run::feed(stream_descriptor& d, UniqueFd& fd,
                                     std::string_view data) {
  if (data.empty()) co_return;  // written at once, closed
  d.assign(fd.release());
  co_await asio::async_write(d, asio::buffer(data), use_task_nothrow);
  boost::system::error_code ignored;
  d.close(ignored);
}

Task<void> SandboxProcess::Run::collect(stream_descriptor& d,
                                        std::string& sink) {
  std::array<char, 16 * 1024> buf;
  for (;;) {
    auto [ec, n] =
        co_await d.async_read_some(asio::buffer(buf), use_task_nothrow);
    if (ec) break;
    const size_t take =
        std::min<size_t>(n, static_cast<size_t>(budget.remaining));
    sink.append(buf.data(), take);
    budget.remaining -= static_cast<int64_t>(take);
    if (take < n) {
      budget.exceeded = true;
      box.end_run();
      break;
    }
  }
}

Task<void> SandboxProcess::Run::read_status() {
  std::array<char, 512> buf;
  for (;;) {
    auto [ec, n] =
        co_await status_r.async_read_some(asio::buffer(buf), use_task_nothrow);
    if (ec) break;
    status_text.append(buf.data(), n);
    if (status_text.find("exit ") != std::string::npos) mark_ended();
  }
}

Task<void> SandboxProcess::Run::all_io(std::string_view code,
                                       std::string_view stdin_data) {
  code = write_now(code_fd, code);
  stdin_data = write_now(stdin_fd, stdin_data);
  if (code.empty() && stdin_data.empty()) {
    co_await (collect(out_r, result.stdout_bytes) &&
              collect(err_r, result.stderr_bytes) && read_status());
  } else {
    co_await (feed(code_w, code_fd, code) &&
              feed(stdin_w, stdin_fd, stdin_data) &&
              collect(out_r, result.stdout_bytes) &&
              collect(err_r, result.stderr_bytes) && read_status());
  }
  io_done = true;
  drain.cancel();
  io_finished.expires_at(Timer::time_point::min());
}

Task<size_t> SandboxProcess::Run::first_end(bool with_io) {
  if (with_io) {
    auto first = co_await (
        exit_watch.async_wait(stream_descriptor::wait_read, use_task_nothrow) ||
        deadline.async_wait(use_task_nothrow) ||
        cancelled_timer.async_wait(use_task_nothrow) ||
        io_finished.async_wait(use_task_nothrow));
    co_return first.index();
  }
  auto first = co_await (
      exit_watch.async_wait(stream_descriptor::wait_read, use_task_nothrow) ||
      deadline.async_wait(use_task_nothrow) ||
      cancelled_timer.async_wait(use_task_nothrow));
  co_return first.index();
}

Task<void> SandboxProcess::Run::supervise() {
  size_t end = co_await first_end(/*with_io=*/true);
  if (end == 3) {
    if (reported_exit()) co_return;  // the init's exit is finish()'s
    end = co_await first_end(/*with_io=*/false);  // it failed: wait for it
  }
  if (end == 2) {
    // Nobody will read the result: no grace, end the whole sandbox now.
    cancelled = true;
    box.kill();
    co_await wait_exit();
  } else if (end == 1) {
    co_await end_at_deadline();
  }
  box.exited_ = true;  // the pidfd became readable: the init is gone
  co_await drain_output();
}

Task<void> SandboxProcess::Run::end_at_deadline() {
  timed_out = true;
  mark_ended();
  box.end_run();
  Timer grace(exit_watch.get_executor(), kEndGrace);
  auto second = co_await (
      exit_watch.async_wait(stream_descriptor::wait_read, use_task_nothrow) ||
      grace.async_wait(use_task_nothrow));
  if (second.index() == 1) {
    box.kill();  // the init did not comply in time
    co_await wait_exit();
  }
}

Task<void> SandboxProcess::Run::drain_output() {
  if (io_done) co_return;
  drain.expires_after(kDrainGrace);
  co_await drain.async_wait(use_task_nothrow);
  if (io_done) co_return;
  boost::system::error_code ignored;
  for (auto* d : {&code_w, &stdin_w, &out_r, &err_r, &status_r})
    d->cancel(ignored);
}

namespace {

// How a run ended, from the init's report and what the service saw.
RunStatus status_of(const InitReport& report, bool output_exceeded,
                    bool timed_out, bool oom, double cpu_ms,
                    int64_t cpu_limit_ms) {
  if (output_exceeded) return RunStatus::output_limit;
  if (timed_out || report.signal == SIGXCPU) return RunStatus::timeout;
  // The kernel killed a process of the run at the memory limit: that is
  // what happened to the run, whichever process it was and however the
  // program went on. (What the program printed decides nothing: a
  // MemoryError it caught or printed is its own.)
  if (oom || report.memory_exceeded_kb > 0) return RunStatus::memory_limit;
  if (report.signal == SIGKILL && cpu_ms >= static_cast<double>(cpu_limit_ms))
    return RunStatus::timeout;  // RLIMIT_CPU's hard limit
  if (report.signal != 0) return RunStatus::killed;
  if (report.exit_code != 0) return RunStatus::error;
  return RunStatus::ok;
}

}  // namespace

Task<Result<RunResult>> SandboxProcess::run(std::string code,
                                            std::string stdin_data,
                                            std::chrono::milliseconds wall,
                                            std::stop_token cancel) {
  Run run(*this, co_await asio::this_coro::executor, wall);
  std::stop_callback on_cancel(cancel, [&run] {
    run.cancelled_timer.expires_at(Timer::time_point::min());
  });
  co_await (run.all_io(code, stdin_data) && run.supervise());
  run.mark_ended();

  const bool oom =
      cgroups_ != nullptr && cgroups_->oom_kills(slot_) > oom_kills_before_;
  // An init still exiting is waited for, and its slot emptied, by finish().
  if (exited_) co_await empty_slot();
  if (run.cancelled) {
    co_return Error{"the run was cancelled", Errc::client_gone};
  }

  const InitReport report = parse_report(run.status_text);
  if (report.failure) co_return report.failure->error();
  if (!report.exited && !run.timed_out && !run.budget.exceeded) {
    co_return Error{"the sandbox ended without reporting how Python exited"};
  }

  RunResult& result = run.result;
  result.time_ms =
      std::chrono::duration<double, std::milli>(run.ended - run.started)
          .count();
  warm();  // learns the preload's CPU time if the run did not wait for it
  result.cpu_ms = static_cast<double>(
                      std::max<int64_t>(0, report.cpu_us - preload_cpu_us_)) /
                  1000.0;
  result.memory_kb = report.maxrss_kb;
  result.exit_code = !report.exited
                         ? -SIGKILL
                         : (report.signal ? -report.signal : report.exit_code);
  result.truncated = run.budget.exceeded;
  result.status = status_of(report, run.budget.exceeded, run.timed_out, oom,
                            result.cpu_ms, config_->limits.cpu_ms);
  co_return std::move(result);
}

}  // namespace playground::sandbox
