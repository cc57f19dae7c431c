#include "http/loop_log.h"

#include <fcntl.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "common/log.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;

// This loop's watch of stderr, made the first time it is full.
struct SinkWatch {
  explicit SinkWatch(asio::io_context& loop) : io(loop), retry(loop) {}
  asio::io_context& io;
  // A descriptor of our own for stderr, so that epoll can watch it. Only
  // waited on: Asio sets O_NONBLOCK for reads and writes, never for a wait,
  // and the description may be shared with other processes.
  std::unique_ptr<asio::posix::stream_descriptor> sink;
  // When epoll cannot watch it, the loop looks again after a while.
  asio::steady_timer retry;
};

void look_again_later(const std::shared_ptr<SinkWatch>& watch) {
  watch->retry.expires_after(std::chrono::milliseconds(100));
  watch->retry.async_wait(
      [watch](boost::system::error_code) { log::sink_has_room(); });
}

void wait_for_room(const std::shared_ptr<SinkWatch>& watch, int fd) {
  if (!watch->sink) {
    const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) return look_again_later(watch);
    boost::system::error_code ec;
    watch->sink = std::make_unique<asio::posix::stream_descriptor>(watch->io);
    watch->sink->assign(own, ec);
    if (ec) {
      ::close(own);
      watch->sink.reset();
      return look_again_later(watch);
    }
  }
  watch->sink->async_wait(asio::posix::stream_descriptor::wait_write,
                          [watch](boost::system::error_code ec) {
                            if (ec) return look_again_later(watch);
                            log::sink_has_room();
                          });
}

}  // namespace

void batch_log_on(asio::io_context& io) {
  auto watch = std::make_shared<SinkWatch>(io);
  log::batch_on_this_thread(
      {.soon = [&io] { asio::post(io, [] { log::write_ready(); }); },
       .when_sink_has_room = [watch](int fd) { wait_for_room(watch, fd); }});
}

}  // namespace playground::http
