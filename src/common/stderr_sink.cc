#include "common/stderr_sink.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace playground::log {

StderrSink::~StderrSink() {
  if (stage_read_ >= 0) ::close(stage_read_);
  if (stage_write_ >= 0) ::close(stage_write_);
}

void StderrSink::look_at_stderr() {
  if (staged_ > 0) return;
  kind_ = Kind::plain;
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return;
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    // A datagram socket would refuse a long batch: written as is.
    if (::getsockopt(STDERR_FILENO, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
        type == SOCK_STREAM) {
      kind_ = Kind::socket;
    }
  } else if (S_ISFIFO(st.st_mode)) {
    if (stage_read_ < 0) {
      int fds[2];
      if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return;
      stage_read_ = fds[0];
      stage_write_ = fds[1];
    }
    kind_ = Kind::pipe;
  }
}

StderrSink::Put StderrSink::put(std::string_view text) {
  switch (kind_) {
    case Kind::pipe:
      return put_through_stage(text);
    case Kind::socket:
      return put_to_socket(text);
    case Kind::plain:
      break;
  }
  return put_plain(text);
}

StderrSink::Put StderrSink::put_plain(std::string_view text) {
  Put put;
  while (put.taken < text.size()) {
    ssize_t n = ::write(STDERR_FILENO, text.data() + put.taken,
                        text.size() - put.taken);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {put.taken, State::failed};
    put.taken += static_cast<size_t>(n);
  }
  return put;
}

StderrSink::Put StderrSink::put_to_socket(std::string_view text) {
  Put put;
  while (put.taken < text.size()) {
    ssize_t n = ::send(STDERR_FILENO, text.data() + put.taken,
                       text.size() - put.taken, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return {put.taken, State::full};
    }
    if (n <= 0) return {put.taken, State::failed};
    put.taken += static_cast<size_t>(n);
  }
  return put;
}

StderrSink::Put StderrSink::put_through_stage(std::string_view text) {
  Put put;
  for (;;) {
    if (put.taken < text.size()) {
      ssize_t n = ::write(stage_write_, text.data() + put.taken,
                          text.size() - put.taken);
      if (n > 0) {
        put.taken += static_cast<size_t>(n);
        staged_ += static_cast<size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        return {put.taken, State::failed};
      }
    }
    if (staged_ == 0) return put;  // everything is in stderr
    ssize_t moved = ::splice(stage_read_, nullptr, STDERR_FILENO, nullptr,
                             staged_, SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
    if (moved > 0) {
      staged_ -= static_cast<size_t>(moved);
      continue;
    }
    if (moved < 0 && errno == EINTR) continue;
    // The stage is not empty, so EAGAIN means stderr is full.
    if (moved < 0 && errno == EAGAIN) return {put.taken, State::full};
    // The reader is gone (EPIPE), or stderr takes no splice: the rest
    // goes as is, or nowhere.
    unstage();
    const Put rest = put_plain(text.substr(put.taken));
    return {put.taken + rest.taken, rest.state};
  }
}

void StderrSink::unstage() {
  char buf[4096];
  while (staged_ > 0) {
    ssize_t n = ::read(stage_read_, buf, sizeof buf);
    if (n <= 0) break;
    staged_ -= static_cast<size_t>(n);
    put_plain({buf, static_cast<size_t>(n)});
  }
  staged_ = 0;
  kind_ = Kind::plain;
}

}  // namespace playground::log
