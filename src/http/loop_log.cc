#include "http/loop_log.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <memory>

#include "common/log.h"
#include "common/task.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;

// This loop's watch of stderr, made the first time it is full.
//
// Stderr is not handed to Asio: its waits set O_NONBLOCK on the descriptor,
// and stderr's open file description is shared with other processes (the
// shell, the container runtime, our sandbox keepers), whose writes would
// then fail with EAGAIN. An epoll instance of our own watches stderr
// (level-triggered, for EPOLLOUT) and Asio waits on that instance, which
// is readable exactly while stderr has room.
struct SinkWatch {
  explicit SinkWatch(asio::io_context& loop) : io(loop), retry(loop) {}
  asio::io_context& io;
  std::unique_ptr<asio::posix::stream_descriptor> room;
  // When epoll cannot watch stderr, the loop looks again after a while.
  Timer retry;
};

void look_again_later(const std::shared_ptr<SinkWatch>& watch) {
  watch->retry.expires_after(std::chrono::milliseconds(100));
  watch->retry.async_wait(
      [watch](boost::system::error_code) { log::sink_has_room(); });
}

// An epoll instance that is readable while `fd` takes bytes; -1 if none.
int watch_for_room(int fd) {
  const int instance = ::epoll_create1(EPOLL_CLOEXEC);
  if (instance < 0) return -1;
  epoll_event event{};
  event.events = EPOLLOUT;
  event.data.fd = fd;
  if (::epoll_ctl(instance, EPOLL_CTL_ADD, fd, &event) != 0) {
    ::close(instance);
    return -1;
  }
  return instance;
}

void wait_for_room(const std::shared_ptr<SinkWatch>& watch, int fd) {
  if (!watch->room) {
    const int instance = watch_for_room(fd);
    if (instance < 0) return look_again_later(watch);
    watch->room = std::make_unique<asio::posix::stream_descriptor>(watch->io);
    boost::system::error_code ec;
    watch->room->assign(instance, ec);
    if (ec) {
      ::close(instance);
      watch->room.reset();
      return look_again_later(watch);
    }
  }
  watch->room->async_wait(asio::posix::stream_descriptor::wait_read,
                          [watch](boost::system::error_code ec) {
                            if (ec) return look_again_later(watch);
                            log::sink_has_room();
                          });
}

}  // namespace

LoopLog::LoopLog(asio::io_context& io) {
  auto watch = std::make_shared<SinkWatch>(io);
  log::batch_on_this_thread(
      {.soon = [&io] { asio::post(io, [] { log::write_ready(); }); },
       .when_sink_has_room = [watch](int fd) { wait_for_room(watch, fd); }});
}

// The hooks, and the watch with them, go before the loop they use.
LoopLog::~LoopLog() { log::end_batching_on_this_thread(); }

}  // namespace playground::http
