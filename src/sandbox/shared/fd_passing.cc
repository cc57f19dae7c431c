// SCM_RIGHTS send and receive (see fd_passing.h).
#include "sandbox/shared/fd_passing.h"

#include <errno.h>
#include <sys/socket.h>

#include <cstring>

namespace playground::sandbox {

bool send_with_fds(int socket, std::string_view data,
                   std::span<const int> fds) {
  iovec iov{const_cast<char*>(data.data()), data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    const size_t bytes = sizeof(int) * fds.size();
    // Zeroed, and aligned for cmsghdr as new[] aligns for any fundamental type.
    control.assign(CMSG_SPACE(bytes), 0);
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(bytes);
    std::memcpy(CMSG_DATA(c), fds.data(), bytes);
  }
  ssize_t n;
  do {
    n = sendmsg(socket, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n >= 0;
}

ssize_t receive_with_fds(int socket, size_t max_bytes, size_t max_fds,
                         int flags, ReceivedMessage& out) {
  out = ReceivedMessage{};
  out.data.resize(max_bytes);
  std::vector<char> control(CMSG_SPACE(sizeof(int) * max_fds), 0);
  iovec iov{out.data.data(), out.data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  ssize_t n;
  do {
    n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC | flags);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    out.data.clear();
    return n;
  }
  out.data.resize(static_cast<size_t>(n));
  // Owned first, whatever their number: extra ones close with `out`.
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr;
       c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      out.fds.emplace_back(fd);
    }
  }
  out.truncated = (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
                  out.fds.size() > max_fds;
  return n;
}

}  // namespace playground::sandbox
