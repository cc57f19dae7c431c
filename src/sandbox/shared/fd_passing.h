// Messages with descriptors attached (SCM_RIGHTS), over the SOCK_SEQPACKET
// socket between the service and a keeper (init_protocol.h): spawn requests
// carry a sandbox's six pipe ends, replies its init's pidfd.
//
//   send_with_fds(sock, encode_spawn_request(spec), {fds, kSpawnFdCount});
//   ReceivedMessage m;
//   if (receive_with_fds(sock, 4096, kSpawnFdCount, 0, m) <= 0) ...;
//   if (m.truncated || m.fds.size() != kSpawnFdCount) ...;   // refuse it
//
// Every descriptor received is owned (UniqueFd) from the moment it arrives,
// so none leaks on a path that refuses the message.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/shared/unique_fd.h"

namespace playground::sandbox {

// Sends `data` as one message with copies of `fds` attached (the caller keeps
// its own). MSG_NOSIGNAL: a closed peer is an error (EPIPE), not a signal.
// False, with errno, on failure.
bool send_with_fds(int socket, std::string_view data,
                   std::span<const int> fds = {});

struct ReceivedMessage {
  std::string data;
  std::vector<UniqueFd> fds;  // close-on-exec
  // The message or its descriptors did not fit (MSG_TRUNC, MSG_CTRUNC, more
  // than max_fds attached): what did arrive is here, to be refused.
  bool truncated = false;
};

// Receives one message of at most `max_bytes` with at most `max_fds`
// descriptors; `flags` are added to recvmsg's (e.g. MSG_DONTWAIT). Returns
// the byte count, 0 when the peer has closed, -1 with errno on failure
// (EINTR is retried).
ssize_t receive_with_fds(int socket, size_t max_bytes, size_t max_fds,
                         int flags, ReceivedMessage& out);

}  // namespace playground::sandbox
