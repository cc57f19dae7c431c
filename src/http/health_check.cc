// Health check mode (see health_check.h).
#include "http/health_check.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <iostream>

#include "common/task.h"
#include "http/client.h"

namespace playground::http {
namespace {

namespace asio = boost::asio;
constexpr std::chrono::milliseconds kTimeout{2'000};

std::string loopback_for(const std::string& bind) {
  if (bind.empty() || bind == "0.0.0.0") return "127.0.0.1";
  if (bind == "::" || bind == "[::]") return "::1";
  return bind;
}

// "" when the service answered 200, else why not.
Task<std::string> ask(Client& client) {
  auto answer = co_await client.send({.target = "/healthz"}, kTimeout);
  if (!answer) co_return answer.error().message;
  if (answer->result() != Status::ok) {
    co_return "answered " + std::to_string(answer->result_int());
  }
  co_return "";
}

}  // namespace

int run_health_check(const ListenerConfig& listener,
                     const std::string& program) {
  asio::io_context io(1);
  Origin origin{.host = loopback_for(listener.bind),
                .port = static_cast<uint16_t>(listener.port)};
  Client client(io.get_executor(), origin, nullptr,
                ClientOptions{.connect_timeout = kTimeout});
  std::string problem = "no answer";
  asio::co_spawn(io, ask(client), [&](std::exception_ptr e, std::string p) {
    problem = e ? "the check failed with an exception" : std::move(p);
  });
  io.run();
  if (problem.empty()) return 0;
  std::cerr << program << ": health check of " << origin.host << ":"
            << origin.port << "/healthz failed: " << problem << "\n";
  return 1;
}

}  // namespace playground::http
