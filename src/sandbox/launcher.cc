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
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

#include "common/log.h"
#include "sandbox/step.h"

namespace playground::sandbox {
namespace {

namespace asio = boost::asio;
using asio::posix::stream_descriptor;
using namespace asio::experimental::awaitable_operators;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// After the init is gone, output still in flight gets this long to arrive.
constexpr std::chrono::milliseconds kDrainGrace{200};
// Asked to end a run, the init gets this long to report before SIGKILL.
constexpr std::chrono::milliseconds kEndGrace{500};
// After SIGKILL, how long an init's exit is awaited.
constexpr std::chrono::seconds kExitWait{5};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct Pipe {
  int read = -1, write = -1;
  bool open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  void close() {
    close_fd(read);
    close_fd(write);
  }
};

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
  InitSpec s;
  const Limits& l = c.limits;
  const Isolation& iso = c.isolation;
  s.python = c.python_path;
  s.filesystem = iso.filesystem;
  s.hostname = iso.namespaces;
  s.drop_privileges = iso.drop_privileges;
  s.user_namespace = iso.user_namespace;
  s.seccomp = iso.seccomp;
  // CLONE_NEWNET comes with the other namespaces (SandboxProcess::start).
  s.private_network = iso.namespaces;
  s.uid = slot_uid(c, slot);
  s.cpu_seconds = std::max<int64_t>(1, (l.cpu_ms + 999) / 1000);
  // With a memory cgroup the cgroup is the limit, on memory actually used;
  // an address-space limit there would only cut reservations that cost
  // nothing (each thread reserves its 8 MiB stack and a 64 MiB malloc
  // arena: 20 threads failed under 4 x 256 MiB). Without one it is the
  // limit. 0: none.
  s.address_space_bytes = iso.cgroups.empty() ? l.memory_bytes : 0;
  s.file_size_bytes = l.tmp_bytes;
  s.open_files = l.open_files;
  s.max_processes = iso.cgroups.empty() ? l.max_processes : 0;
  s.tmp_bytes = l.tmp_bytes;
  s.tmp_inodes = l.tmp_inodes;
  // No memory cgroup: the address-space limit bounds each process only, so
  // the init bounds their sum (see contain.cc's memory watch).
  s.memory_watch_bytes = iso.cgroups.empty() ? l.memory_bytes : 0;
  return s;
}

asio::awaitable<Result<std::unique_ptr<SandboxProcess>>> SandboxProcess::start(
    const LaunchConfig& config, SlotKeepers& keepers, CgroupSlots* cgroups,
    int slot) {
  std::unique_ptr<SandboxProcess> box(new SandboxProcess());
  box->config_ = &config;
  box->cgroups_ = config.isolation.cgroups.empty() ? nullptr : cgroups;
  box->slot_ = slot;
  box->keeper_ =
      keepers.keeper_pid(slot);  // spared by kill_all, whatever happens

  Pipe in, out, err, code, status, ready;
  for (Pipe* p : {&in, &out, &err, &code, &status, &ready}) {
    if (!p->open()) {
      int e = errno;
      for (Pipe* q : {&in, &out, &err, &code, &status, &ready}) q->close();
      co_return Error{std::string("cannot create pipes: ") + std::strerror(e),
                      Step::descriptors};
    }
  }
  box->stdin_fd_ = in.write;
  box->stdout_fd_ = out.read;
  box->stderr_fd_ = err.read;
  box->code_fd_ = code.write;
  box->status_fd_ = status.read;
  box->ready_fd_ = ready.read;
  fcntl(ready.read, F_SETFL, O_NONBLOCK);

  int flags = 0;
  if (config.isolation.namespaces) {
    flags |= CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC |
             CLONE_NEWUTS | CLONE_NEWCGROUP;
  }
  if (box->cgroups_ != nullptr)
    box->oom_kills_before_ = box->cgroups_->oom_kills(slot);

  const int child_ends[kSpawnFdCount] = {in.read,   out.write,    err.write,
                                         code.read, status.write, ready.write};
  const auto t_begin = std::chrono::steady_clock::now();
  auto spawned = co_await keepers.spawn(
      slot, flags, make_init_spec(config, slot), child_ends);
  // The init holds its own copies now; ours would hide EOF on the pipes.
  for (int* fd : {&in.read, &out.write, &err.write, &code.read, &status.write,
                  &ready.write}) {
    close_fd(*fd);
  }
  if (!spawned) co_return spawned.error();
  box->pid_ = spawned->pid;
  box->pidfd_ = spawned->pidfd;
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
  if (!finished_ && pidfd_ >= 0 && !exited_) {
    kill();
    wait_exit(kExitWait);
  }
  for (int* fd : {&stdin_fd_, &stdout_fd_, &stderr_fd_, &code_fd_, &status_fd_,
                  &ready_fd_, &pidfd_}) {
    close_fd(*fd);
  }
  if (!finished_ && pid_ > 0) kill_leftovers();
}

asio::awaitable<void> SandboxProcess::finish() {
  auto ex = co_await asio::this_coro::executor;
  if (pidfd_ >= 0 && !exited()) {
    kill();
    stream_descriptor watch(ex, fcntl(pidfd_, F_DUPFD_CLOEXEC, 0));
    asio::steady_timer limit(ex, kExitWait);
    auto first =
        co_await (watch.async_wait(stream_descriptor::wait_read, nothrow) ||
                  limit.async_wait(nothrow));
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

asio::awaitable<void> SandboxProcess::empty_slot() {
  if (cgroups_ == nullptr) {
    kill_leftovers();  // by uid, without cgroups: no waiting there
    co_return;
  }
  asio::steady_timer pause(co_await asio::this_coro::executor);
  for (int pass = 0; pass < 200; ++pass) {
    if (cgroups_->kill_remaining(slot_, keeper_)) co_return;
    pause.expires_after(std::chrono::milliseconds(1));
    co_await pause.async_wait(nothrow);
  }
  log::warn("processes remain in a sandbox cgroup after SIGKILL",
            {{"slot", slot_}});
}

void SandboxProcess::kill() {
  if (pidfd_ >= 0 && !exited_)
    syscall(SYS_pidfd_send_signal, pidfd_, SIGKILL, nullptr, 0);
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
  if (pidfd_ >= 0 && !exited_)
    syscall(SYS_pidfd_send_signal, pidfd_, SIGTERM, nullptr, 0);
}

bool SandboxProcess::warm() {
  if (warm_) return true;
  char byte;
  if (ready_fd_ >= 0 && ::read(ready_fd_, &byte, 1) == 1) {
    warm_ = true;
    close_fd(ready_fd_);
  }
  return warm_;
}

bool SandboxProcess::exited() {
  if (!exited_ && pidfd_ >= 0) {
    pollfd p{pidfd_, POLLIN, 0};
    if (::poll(&p, 1, 0) == 1) exited_ = true;
  }
  return exited_;
}

// The keeper reaps its children; the pidfd says when the init is gone.
void SandboxProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exited_ || pidfd_ < 0) return;
  pollfd p{pidfd_, POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc > 0) exited_ = true;
}

asio::awaitable<Result<RunResult>> SandboxProcess::run(
    std::string code, std::string stdin_data, std::chrono::milliseconds wall,
    std::stop_token cancel) {
  auto ex = co_await asio::this_coro::executor;
  stream_descriptor code_w(ex, std::exchange(code_fd_, -1));
  stream_descriptor stdin_w(ex, std::exchange(stdin_fd_, -1));
  stream_descriptor out_r(ex, std::exchange(stdout_fd_, -1));
  stream_descriptor err_r(ex, std::exchange(stderr_fd_, -1));
  stream_descriptor status_r(ex, std::exchange(status_fd_, -1));
  stream_descriptor exit_watch(ex, fcntl(pidfd_, F_DUPFD_CLOEXEC, 0));

  RunResult result;
  std::string status_text;
  OutputBudget budget{config_->limits.output_bytes};
  bool timed_out = false;
  bool cancelled = false;
  bool io_done = false;
  asio::steady_timer deadline(ex, wall);
  asio::steady_timer drain(ex);
  // Fires when `cancel` is requested, even before anyone waits on it.
  asio::steady_timer cancelled_timer(ex, asio::steady_timer::time_point::max());
  std::stop_callback on_cancel(cancel, [&cancelled_timer] {
    cancelled_timer.expires_at(asio::steady_timer::time_point::min());
  });
  const auto started = std::chrono::steady_clock::now();
  auto ended = started;

  auto feed = [](stream_descriptor& d,
                 std::string_view data) -> asio::awaitable<void> {
    if (!data.empty())
      co_await asio::async_write(d, asio::buffer(data), nothrow);
    boost::system::error_code ignored;
    d.close(ignored);  // EOF tells Python the code (or stdin) is complete
  };
  auto collect = [&](stream_descriptor& d,
                     std::string& sink) -> asio::awaitable<void> {
    std::array<char, 16 * 1024> buf;
    for (;;) {
      auto [ec, n] = co_await d.async_read_some(asio::buffer(buf), nothrow);
      if (ec) break;
      const size_t take =
          std::min<size_t>(n, static_cast<size_t>(budget.remaining));
      sink.append(buf.data(), take);
      budget.remaining -= static_cast<int64_t>(take);
      if (take < n) {
        budget.exceeded = true;
        end_run();
        break;
      }
    }
  };
  auto read_status = [&]() -> asio::awaitable<void> {
    std::array<char, 512> buf;
    for (;;) {
      auto [ec, n] =
          co_await status_r.async_read_some(asio::buffer(buf), nothrow);
      if (ec) break;
      status_text.append(buf.data(), n);
      if (status_text.find("exit ") != std::string::npos && ended == started) {
        ended = std::chrono::steady_clock::now();
      }
    }
  };
  auto all_io = [&]() -> asio::awaitable<void> {
    co_await (feed(code_w, code) && feed(stdin_w, stdin_data) &&
              collect(out_r, result.stdout_bytes) &&
              collect(err_r, result.stderr_bytes) && read_status());
    io_done = true;
    drain.cancel();
  };
  auto supervise = [&]() -> asio::awaitable<void> {
    auto first = co_await (
        exit_watch.async_wait(stream_descriptor::wait_read, nothrow) ||
        deadline.async_wait(nothrow) || cancelled_timer.async_wait(nothrow));
    if (first.index() == 2) {
      // Nobody will read the result: no grace, end the whole sandbox now.
      cancelled = true;
      kill();
      co_await exit_watch.async_wait(stream_descriptor::wait_read, nothrow);
    } else if (first.index() == 1) {
      timed_out = true;
      if (ended == started) ended = std::chrono::steady_clock::now();
      end_run();
      asio::steady_timer grace(ex, kEndGrace);
      auto second = co_await (
          exit_watch.async_wait(stream_descriptor::wait_read, nothrow) ||
          grace.async_wait(nothrow));
      if (second.index() == 1) {
        kill();  // the init did not comply in time
        co_await exit_watch.async_wait(stream_descriptor::wait_read, nothrow);
      }
    }
    exited_ = true;  // the pidfd became readable: the init is gone
    if (!io_done) {
      // Only a process that escaped the init's end (no pid namespace) could
      // still hold a pipe; do not wait for it.
      drain.expires_after(kDrainGrace);
      co_await drain.async_wait(nothrow);
      if (!io_done) {
        boost::system::error_code ignored;
        for (auto* d : {&code_w, &stdin_w, &out_r, &err_r, &status_r})
          d->cancel(ignored);
      }
    }
  };
  co_await (all_io() && supervise());
  if (ended == started) ended = std::chrono::steady_clock::now();

  const bool oom =
      cgroups_ != nullptr && cgroups_->oom_kills(slot_) > oom_kills_before_;
  co_await empty_slot();
  if (cancelled) {
    co_return Error{"the run was cancelled", Errc::client_gone};
  }

  const InitReport report = parse_report(status_text);
  if (report.failure) co_return report.failure->error();
  if (!report.exited && !timed_out && !budget.exceeded) {
    co_return Error{"the sandbox ended without reporting how Python exited"};
  }

  result.time_ms =
      std::chrono::duration<double, std::milli>(ended - started).count();
  result.cpu_ms = static_cast<double>(report.cpu_us) / 1000.0;
  result.memory_kb = report.maxrss_kb;
  const int code_or_signal =
      !report.exited ? -SIGKILL
                     : (report.signal ? -report.signal : report.exit_code);
  result.exit_code = code_or_signal;
  if (budget.exceeded) {
    result.status = RunStatus::output_limit;
    result.truncated = true;
  } else if (timed_out) {
    result.status = RunStatus::timeout;
  } else if (report.signal == SIGXCPU) {
    result.status = RunStatus::timeout;
  } else if (oom || report.memory_exceeded_kb > 0) {
    // The kernel killed a process of the run at the memory limit: that is
    // what happened to the run, whichever process it was and however the
    // program went on. (What the program printed decides nothing: a
    // MemoryError it caught or printed is its own.)
    result.status = RunStatus::memory_limit;
  } else if (report.signal == SIGKILL &&
             result.cpu_ms >= config_->limits.cpu_ms) {
    result.status = RunStatus::timeout;  // RLIMIT_CPU's hard limit
  } else if (report.signal != 0) {
    result.status = RunStatus::killed;
  } else if (report.exit_code != 0) {
    result.status = RunStatus::error;
  } else {
    result.status = RunStatus::ok;
  }
  co_return result;
}

}  // namespace playground::sandbox
