// UniqueFd: a file descriptor with one owner, closed when the owner goes.
//
//   UniqueFd read, write;
//   if (!make_pipe(read, write)) return errno;   // nothing to close by hand
//   use(write.get());
//   int raw = read.release();                    // now someone else's
//
// Header-only and free of the service's libraries: the static init uses it
// too.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <utility>

namespace playground::sandbox {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  // Gives up ownership: the caller closes the descriptor.
  [[nodiscard]] int release() { return std::exchange(fd_, -1); }
  // Closes the descriptor held, if any, and holds `fd` instead.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// A close-on-exec pipe; false (with errno) when none could be made.
inline bool make_pipe(UniqueFd& read, UniqueFd& write) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read.reset(fds[0]);
  write.reset(fds[1]);
  return true;
}

}  // namespace playground::sandbox
