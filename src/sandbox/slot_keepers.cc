// Starting keepers and talking to them over SOCK_SEQPACKET (see
// slot_keepers.h).
#include "sandbox/slot_keepers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstring>
#include <optional>
#include <sstream>

#include "common/log.h"
#include "common/task.h"
#include "sandbox/shared/fd_passing.h"
#include "sandbox/shared/step.h"
#include "sandbox/subordinate_ids.h"

namespace playground::sandbox {

namespace asio = boost::asio;
namespace {

using namespace asio::experimental::awaitable_operators;
// How long a starting keeper may take to build its root and say "ready".
constexpr int kReadyTimeoutMs = 10'000;

// Whether a message (or the end of the connection) waits on `socket`: a
// readiness wait may wake before it is there.
bool answer_waiting(int socket) {
  char byte;
  const ssize_t n = recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return !(n < 0 &&
           (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
}

Error not_ready_in_time() {
  return Error{"the sandbox keeper did not say it was ready within " +
                   std::to_string(kReadyTimeoutMs / 1000) + " s",
               Step::keeper};
}

}  // namespace

struct SlotKeepers::Keeper {
  pid_t pid = -1;
  int socket = -1;
  // The socket (a duplicate) as the service's loop waits on it for answers:
  // registered with the loop at the first spawn and kept while the keeper
  // lives, not registered and removed again for every spawn.
  std::optional<asio::posix::stream_descriptor> answers;
  ~Keeper() {
    answers.reset();
    if (socket >= 0) ::close(socket);  // EOF: the keeper exits
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

SlotKeepers::SlotKeepers(std::string init_path, CgroupSlots* cgroups, int count,
                         KeeperOptions options, int64_t uid_base)
    : init_path_(std::move(init_path)),
      cgroups_(cgroups),
      options_(options),
      uid_base_(uid_base) {
  keepers_.resize(static_cast<size_t>(count));
  requests_.resize(static_cast<size_t>(count));
}

SlotKeepers::~SlotKeepers() = default;

pid_t SlotKeepers::keeper_pid(int slot) const {
  const auto& k = keepers_[static_cast<size_t>(slot)];
  return k ? k->pid : -1;
}

Result<void> SlotKeepers::start_all() {
  for (int i = 0; i < count(); ++i) {
    if (!keepers_[static_cast<size_t>(i)]) {
      if (auto r = start(i); !r) return r;
    }
  }
  return Ok();
}

Result<std::unique_ptr<SlotKeepers::Keeper>> SlotKeepers::launch(int slot) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return Error{std::string("socketpair: ") + std::strerror(errno),
                 Step::keeper};
  }
  auto keeper = std::make_unique<Keeper>();
  keeper->socket = pair[0];
  const UniqueFd theirs(pair[1]);
  InitSpec spec;
  spec.user_namespace = options_.user_namespace;
  spec.filesystem = options_.filesystem;
  spec.hidden_dirs = options_.hidden_dirs;
  spec.parent = ::getpid();
  spec.uid = uid_base_ > 0 ? uid_base_ + slot : kSandboxUid;
  spec.mapped_uid = maps_ids();
  const std::vector<std::string> args = keeper_argv(spec);
  std::vector<char*> argv;
  for (const std::string& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  char* envp[] = {nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, theirs.get(), kKeeperSocketFd);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int rc = posix_spawn(&keeper->pid, init_path_.c_str(), &actions, &attr,
                             argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    keeper->pid = -1;
    return Error{"cannot start " + init_path_ + ": " + std::strerror(rc),
                 Step::keeper};
  }
  return keeper;
}

Result<void> SlotKeepers::read_ready(int socket) {
  char answer[128] = {};
  const ssize_t n = recv(socket, answer, sizeof answer - 1, MSG_DONTWAIT);
  if (n > 0 && std::strncmp(answer, "ready", 5) == 0) return Ok();
  const StepFailure failure =
      n > 0 ? parse_failure_line({answer, static_cast<size_t>(n)})
            : StepFailure{.step = Step::keeper, .err = n == 0 ? EPIPE : errno};
  return Error{"the sandbox keeper failed at " +
                   std::string(name(failure.step)) + ": " +
                   std::strerror(failure.err),
               failure.step};
}

bool SlotKeepers::maps_ids() const {
  return options_.user_namespace && options_.mapped_uid_base > 0;
}

Result<bool> SlotKeepers::map_if_asked(int slot, const Keeper& keeper) const {
  char text[8] = {};
  const ssize_t n =
      recv(keeper.socket, text, sizeof text - 1, MSG_PEEK | MSG_DONTWAIT);
  if (n != 3 || std::strcmp(text, "map") != 0) return false;
  [[maybe_unused]] ssize_t consumed =
      recv(keeper.socket, text, sizeof text, MSG_DONTWAIT);
  if (!maps_ids()) return Error{"unexpected map request", Step::userns_map};
  auto mapped = map_keeper_ids(keeper.pid, options_.mapped_uid_base + slot,
                               options_.mapped_gid_base + slot);
  if (!mapped) {
    return Error{"mapping the sandboxes' uid: " + mapped.error().message,
                 Step::userns_map};
  }
  send_with_fds(keeper.socket, "mapped");  // a dead keeper fails "ready"
  return true;
}

Result<void> SlotKeepers::start(int slot) {
  auto keeper = launch(slot);
  if (!keeper) return keeper.error();
  if (cgroups_ != nullptr) {
    // The one cgroup migration per slot; every sandbox is then born inside.
    if (auto placed = cgroups_->place(slot, (*keeper)->pid); !placed) {
      return Error{"cgroup: " + placed.error().message, Step::cgroup};
    }
  }
  // The keeper answers "ready" once its namespaces and root are in place,
  // having first asked for its maps ("map") where the service writes them.
  auto answered = [socket = (*keeper)->socket] {
    pollfd p{socket, POLLIN, 0};
    return ::poll(&p, 1, kReadyTimeoutMs) == 1;
  };
  if (!answered()) return not_ready_in_time();
  auto asked = map_if_asked(slot, **keeper);
  if (!asked) return asked.error();
  if (*asked && !answered()) return not_ready_in_time();
  if (auto ready = read_ready((*keeper)->socket); !ready) return ready;
  keepers_[static_cast<size_t>(slot)] = std::move(*keeper);
  return Ok();
}

Task<Result<void>> SlotKeepers::place_async(int slot, pid_t pid) {
  auto placed = co_await asio::co_spawn(
      blocking_,
      // On the worker thread's pool: an awaitable of its own executor.
      [this, slot, pid]() -> asio::awaitable<std::string> {
        auto r = cgroups_->place(slot, pid);
        co_return r ? std::string() : r.error().message;
      },
      use_task);
  if (!placed.empty()) co_return Error{"cgroup: " + placed, Step::cgroup};
  co_return Ok();
}

Task<Result<void>> SlotKeepers::await_answer(int socket) {
  auto ex = co_await asio::this_coro::executor;
  // Close-on-exec: a keeper started meanwhile must not inherit it.
  asio::posix::stream_descriptor answer(ex,
                                        ::fcntl(socket, F_DUPFD_CLOEXEC, 0));
  Timer limit(ex, std::chrono::milliseconds(kReadyTimeoutMs));
  for (;;) {
    auto first =
        co_await (answer.async_wait(asio::posix::stream_descriptor::wait_read,
                                    use_task_nothrow) ||
                  limit.async_wait(use_task_nothrow));
    if (first.index() != 0) co_return not_ready_in_time();
    if (auto [ec] = std::get<0>(first); ec) {
      co_return Error{"waiting for the sandbox keeper: " + ec.message(),
                      Step::keeper};
    }
    if (answer_waiting(socket)) break;  // else woken early: wait on
  }
  co_return Ok();
}

Task<Result<void>> SlotKeepers::start_async(int slot) {
  auto keeper = launch(slot);
  if (!keeper) co_return keeper.error();
  if (cgroups_ != nullptr) {
    if (auto placed = co_await place_async(slot, (*keeper)->pid); !placed)
      co_return placed;
  }
  if (auto answered = co_await await_answer((*keeper)->socket); !answered)
    co_return answered;
  if (maps_ids()) {
    // newuidmap and newgidmap run on the worker thread; then "ready".
    const Keeper& k = **keeper;
    auto asked = co_await asio::co_spawn(
        blocking_,
        [this, slot, &k]() -> asio::awaitable<std::optional<Result<bool>>> {
          co_return map_if_asked(slot, k);
        },
        use_task);
    if (!*asked) co_return asked->error();
    if (**asked) {
      if (auto answered = co_await await_answer((*keeper)->socket); !answered)
        co_return answered;
    }
  }
  if (auto ready = read_ready((*keeper)->socket); !ready) co_return ready;
  keepers_[static_cast<size_t>(slot)] = std::move(*keeper);
  co_return Ok();
}

Task<Result<SlotKeepers::Spawned>> SlotKeepers::ask(
    Keeper& keeper, const std::string& request, const int (&fds)[kSpawnFdCount],
    bool& gone) {
  gone = true;
  const int socket = keeper.socket;
  if (!keeper.answers) {
    // Close-on-exec: a keeper started later must not inherit it.
    const int copy = ::fcntl(socket, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
      co_return Error{std::string("dup: ") + std::strerror(errno),
                      Step::descriptors};
    }
    keeper.answers.emplace(co_await asio::this_coro::executor, copy);
  }
  if (!send_with_fds(socket, request, fds)) co_return Error{"keeper gone"};
  // Wait for the answer without blocking other requests. The wait is queued
  // before the loop runs again, so an answer (or the keeper's end) cannot
  // come between the request and the wait unseen.
  for (;;) {
    auto [ec] = co_await keeper.answers->async_wait(
        asio::posix::stream_descriptor::wait_read, use_task_nothrow);
    if (ec || answer_waiting(socket)) break;  // else woken early
  }
  ReceivedMessage reply;
  if (receive_with_fds(socket, 256, 1, MSG_DONTWAIT, reply) <= 0)
    co_return Error{"keeper gone"};
  gone = false;
  const std::string_view text = reply.data;
  if (text.starts_with("ok ") && !reply.truncated && reply.fds.size() == 1) {
    pid_t pid = -1;
    std::istringstream(std::string(text.substr(3))) >> pid;
    co_return Spawned{pid, std::move(reply.fds[0])};
  }
  co_return parse_failure_line(text).error();
}

Task<Result<SlotKeepers::Spawned>> SlotKeepers::spawn(
    int slot, const InitSpec& spec, const int (&fds)[kSpawnFdCount]) {
  auto& keeper = keepers_[static_cast<size_t>(slot)];
  const std::string& request =
      requests_[static_cast<size_t>(slot)].encode(spec);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!keeper) {
      if (attempt > 0)
        log::warn("restarting a sandbox keeper", {{"slot", slot}});
      if (auto started = co_await start_async(slot); !started)
        co_return started.error();
    }
    bool gone = false;
    auto spawned = co_await ask(*keeper, request, fds, gone);
    if (!gone) co_return spawned;
    keeper.reset();  // dead keeper: start a new one and retry
  }
  co_return Error{
      "the sandbox keeper of slot " + std::to_string(slot) + " keeps failing",
      Step::keeper};
}

}  // namespace playground::sandbox
