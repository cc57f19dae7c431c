// The frontend against real backends on loopback: round-robin, both input
// forms, failover when a backend is killed or full, rate and body limits, the
// shared token, https with a self-signed certificate, and the UI files.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "support/http_client.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string url_of(uint16_t port, const std::string& scheme = "http") {
  return scheme + "://127.0.0.1:" + std::to_string(port);
}

// How many times `needle` occurs in `text` (lines of a log, say).
size_t occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    count++;
  }
  return count;
}

// "a=http://127.0.0.1:p1,b=http://127.0.0.1:p2"
std::string backend_list(const BackendProcess& a, const BackendProcess& b) {
  return "a=" + url_of(a.port()) + ",b=" + url_of(b.port());
}

// A frontend in front of `backends`; rate limiting off unless `extra` sets it.
std::unique_ptr<FrontendProcess> start_frontend(
    const std::string& backends, std::vector<std::string> extra = {},
    std::map<std::string, std::string> env = {}) {
  std::vector<std::string> args = {"--backends", backends, "--rate-limit", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<FrontendProcess>(std::move(args), std::move(env));
}

HttpReply run_code(uint16_t port, const std::string& code,
                   const std::string& stdin_data = "") {
  HttpClient client(port);
  return client.post("/python", boost::json::serialize(boost::json::object{
                                    {"code", code}, {"stdin", stdin_data}}));
}

boost::json::object backend_state(uint16_t frontend, const std::string& name) {
  HttpClient client(frontend);
  boost::json::object all = client.get("/api/backends").json();
  if (!all.contains("backends")) return {};
  for (auto& b : all["backends"].as_array()) {
    if (b.as_object().at("name").as_string() == name) return b.as_object();
  }
  return {};
}

int run_command(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A stand-in server: Python's http.server on a free loopback port, with
// `handler`, the Python source of its request handler class `H` (http.server
// is imported as `h`, and json too). Started at once; ready() waits for its
// GET /readyz to answer 200; stopped when destroyed.
// The start of a PythonServer handler that keeps connections alive and
// answers every GET (its readiness, the frontend's health checks) 200.
constexpr std::string_view kKeepAliveHandlerReadyOnGet =
    "class H(h.BaseHTTPRequestHandler):\n"
    "  protocol_version = 'HTTP/1.1'\n"
    "  def do_GET(self):\n"
    "    self.send_response(200)\n"
    "    self.send_header('Content-Length', '0')\n"
    "    self.end_headers()\n";

class PythonServer {
 public:
  explicit PythonServer(const std::string& handler) : port_(free_port()) {
    const std::string program = "import http.server as h, json\n" + handler +
                                "h.ThreadingHTTPServer(('127.0.0.1', " +
                                std::to_string(port_) +
                                "), H).serve_forever()\n";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, STDERR_FILENO);
      ::execl("/usr/bin/python3", "python3", "-c", program.c_str(), nullptr);
      ::_exit(127);
    }
  }
  ~PythonServer() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  PythonServer(const PythonServer&) = delete;
  PythonServer& operator=(const PythonServer&) = delete;

  bool ready() const {
    return pid_ > 0 &&
           wait_until(
               [&] { return HttpClient(port_).get("/readyz").status == 200; },
               5s);
  }
  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  pid_t pid_;
};

TEST(FrontendRouting, TenRequestsAlternateExactlyBetweenTwoBackends) {
  BackendProcess a, b;
  ASSERT_TRUE(a.started() && b.started());
  auto front = start_frontend(backend_list(a, b));
  ASSERT_TRUE(front->started()) << front->log();

  std::vector<std::string> served;
  for (int i = 0; i < 10; ++i) {
    auto r = run_code(front->port(), "print(" + std::to_string(i) + " * 2)");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    EXPECT_EQ(r.json()["stdout"].as_string(), std::to_string(i * 2) + "\n");
    served.push_back(r.header("x-playground-backend"));
  }
  for (size_t i = 0; i < served.size(); ++i) {
    ASSERT_TRUE(served[i] == "a" || served[i] == "b") << served[i];
    if (i > 0) {
      EXPECT_NE(served[i], served[i - 1]) << "request " << i;
    }
  }
  EXPECT_EQ(std::count(served.begin(), served.end(), "a"), 5);
  // Each request's log line ends with the fields the handler added, in the
  // order it set them.
  auto lines_ending = [&](const std::string& tail) {
    return occurrences(front->log(), tail);
  };
  EXPECT_TRUE(wait_until(
      [&] {
        return lines_ending(R"(,"backend":"a","attempts":1})") == 5 &&
               lines_ending(R"(,"backend":"b","attempts":1})") == 5;
      },
      5s))
      << front->log();
}

// What each socket of `pid` is watched for, by its descriptor: the event
// masks of every epoll instance's "tfd:" lines in /proc/PID/fdinfo.
std::map<int, unsigned> watched_sockets(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::map<int, unsigned> masks;
  for (const auto& fd : std::filesystem::directory_iterator(proc + "/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(fd.path(), ec).string() !=
        "anon_inode:[eventpoll]") {
      continue;
    }
    std::ifstream info(proc + "/fdinfo/" + fd.path().filename().string());
    for (std::string line; std::getline(info, line);) {
      int target = -1;
      unsigned events = 0;
      if (std::sscanf(line.c_str(), "tfd: %d events: %x", &target, &events) !=
          2) {
        continue;
      }
      const auto link = std::filesystem::read_symlink(
          proc + "/fd/" + std::to_string(target), ec);
      if (link.string().starts_with("socket:")) masks[target] = events;
    }
  }
  return masks;
}

// A backend's connection is watched for reading only: registered for
// writability too (as waiting for its connect leaves it), edge-triggered,
// it woke the loop with an event nobody waited for, once per request.
// Every socket the frontend keeps is checked: its listener and its
// connections to the backends (the test's own connections are closed).
TEST(FrontendRouting, UpstreamConnectionsAreNotWatchedForWritability) {
  BackendProcess a, b;
  ASSERT_TRUE(a.started() && b.started());
  auto front = start_frontend(backend_list(a, b));
  ASSERT_TRUE(front->started()) << front->log();
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(run_code(front->port(), "print(1)").status, 200);
  }
  const std::map<int, unsigned> masks = watched_sockets(front->pid());
  // The listening socket, and at least one kept connection to each backend.
  ASSERT_GE(masks.size(), 3u);
  for (const auto& [fd, events] : masks) {
    EXPECT_EQ(events & EPOLLIN, unsigned{EPOLLIN}) << "descriptor " << fd;
    EXPECT_EQ(events & EPOLLOUT, 0u) << "descriptor " << fd;
  }
}

TEST(FrontendRouting, BackendsNamedByHostNameAreLookedUp) {
  BackendProcess a;
  ASSERT_TRUE(a.started());
  auto front =
      start_frontend("named=http://localhost:" + std::to_string(a.port()) +
                     ",nowhere=http://no-such-host.invalid:6000");
  ASSERT_TRUE(front->started()) << front->log();
  for (int i = 0; i < 4; ++i) {
    auto r = run_code(front->port(), "print('by name')");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-playground-backend"), "named");
  }
  auto nowhere = backend_state(front->port(), "nowhere");
  EXPECT_FALSE(nowhere["healthy"].as_bool());
  EXPECT_NE(std::string(nowhere["last_error"].as_string()).find("resolve"),
            std::string::npos)
      << boost::json::serialize(nowhere);
}

// A DNS server that never answers, and a hosts file of the test's own, seen
// by a program started through wrapper(): it runs in a mount namespace where
// both are bound over /etc/resolv.conf and /etc/hosts. A name that is not in
// the hosts file is then looked up for as long as the C library retries.
class UnansweredDns {
 public:
  static constexpr const char* kName = "backend-a.playground.test";

  UnansweredDns() {
    dir_ = std::filesystem::temp_directory_path() /
           ("playground-dns-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "resolv.conf")
        << "nameserver 127.0.0.53\noptions timeout:3 attempts:2\n";
    set_hosts(false);
    socket_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(53);
    addr.sin_addr.s_addr = htonl(0x7f000035);  // 127.0.0.53
    bound_ = socket_ >= 0 && ::bind(socket_, reinterpret_cast<sockaddr*>(&addr),
                                    sizeof addr) == 0;
  }
  ~UnansweredDns() {
    if (socket_ >= 0) ::close(socket_);
    std::filesystem::remove_all(dir_);
  }
  bool ready() const { return bound_; }

  // Whether kName is in the hosts file (rewritten in place: the bind mount
  // holds this file, not its name).
  void set_hosts(bool with_name) {
    std::ofstream hosts(dir_ / "hosts", std::ios::trunc);
    hosts << "127.0.0.1 localhost\n";
    if (with_name) hosts << "127.0.0.1 " << kName << "\n";
  }

  std::vector<std::string> wrapper() const {
    return {"/usr/bin/unshare",
            "--mount",
            "--propagation",
            "private",
            "/bin/sh",
            "-c",
            "mount --bind \"$0\" /etc/resolv.conf && "
            "mount --bind \"$1\" /etc/hosts && shift && exec \"$@\"",
            (dir_ / "resolv.conf").string(),
            (dir_ / "hosts").string()};
  }

 private:
  std::filesystem::path dir_;
  int socket_ = -1;
  bool bound_ = false;
};

// Asio cannot cancel a lookup, and a DNS server that does not answer held
// requests for as long as the C library retried (12 s here). Now a request
// waits for a lookup no longer than --connect-timeout, then goes on to the
// next backend.
TEST(FrontendDns, AnUnansweredLookupHoldsNoRequest) {
  UnansweredDns dns;
  ASSERT_TRUE(dns.ready()) << "cannot bind 127.0.0.53:53";
  BackendProcess a, b;
  FrontendProcess front(
      {"--backends",
       "a=http://" + std::string(UnansweredDns::kName) + ":" +
           std::to_string(a.port()) + ",b=" + url_of(b.port()),
       "--rate-limit", "0", "--connect-timeout", "500ms"},
      {}, dns.wrapper());
  ASSERT_TRUE(front.started()) << front.log();
  for (int i = 0; i < 3; ++i) {
    const auto start = Clock::now();
    auto r = run_code(front.port(), "print(" + std::to_string(i) + ")");
    const auto took = Clock::now() - start;
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-playground-backend"), "b");
    // The bound is the lookup's 12 s, not a speed goal.
    EXPECT_LT(took, 3s) << "request " << i;
  }
  boost::json::object state;
  EXPECT_TRUE(wait_until(
      [&] {
        state = backend_state(front.port(), "a");
        return state.contains("last_error") &&
               std::string(state["last_error"].as_string())
                       .find("took too long") != std::string::npos;
      },
      3s))
      << boost::json::serialize(state);
  EXPECT_FALSE(state["healthy"].as_bool());
  // Nor does a lookup still running hold the exit.
  const auto stopping = Clock::now();
  EXPECT_EQ(front.stop(), 0);
  EXPECT_LT(Clock::now() - stopping, 3s);
}

// The last addresses a name had are used while new lookups go unanswered:
// a backend restarted during a DNS outage is back in rotation as usual. With
// two event loops, also on a loop that never looked the name up itself.
TEST(FrontendDns, LastAddressesServeWhileLookupsGoUnanswered) {
  UnansweredDns dns;
  ASSERT_TRUE(dns.ready()) << "cannot bind 127.0.0.53:53";
  dns.set_hosts(true);
  auto a = std::make_unique<BackendProcess>();
  BackendProcess b;
  const uint16_t a_port = a->port();
  FrontendProcess front({"--backends",
                         "a=http://" + std::string(UnansweredDns::kName) + ":" +
                             std::to_string(a_port) + ",b=" + url_of(b.port()),
                         "--rate-limit", "0", "--threads", "2"},
                        {}, dns.wrapper());
  ASSERT_TRUE(front.started()) << front.log();
  std::map<std::string, int> answered;
  for (int i = 0; i < 4; ++i) {
    answered[run_code(front.port(), "print(1)")
                 .header("x-playground-backend")]++;
  }
  EXPECT_EQ(answered["a"], 2);
  EXPECT_EQ(answered["b"], 2);

  // From here every lookup of the name goes unanswered.
  dns.set_hosts(false);
  EXPECT_EQ(a->stop(SIGKILL), 128 + SIGKILL);
  ASSERT_TRUE(wait_until(
      [&] { return !backend_state(front.port(), "a")["healthy"].as_bool(); },
      3s));
  a = std::make_unique<BackendProcess>(
      std::vector<std::string>{"--port", std::to_string(a_port)});
  ASSERT_TRUE(a->started()) << a->log();
  EXPECT_TRUE(wait_until(
      [&] { return backend_state(front.port(), "a")["healthy"].as_bool(); },
      5s))
      << front.log();
  answered.clear();
  for (int i = 0; i < 4; ++i) {
    answered[run_code(front.port(), "print(1)")
                 .header("x-playground-backend")]++;
  }
  EXPECT_EQ(answered["a"], 2);
}

TEST(FrontendRouting, JsonAndFormBodiesReachTheProgram) {
  BackendProcess a, b;
  auto front = start_frontend(backend_list(a, b));
  ASSERT_TRUE(front->started()) << front->log();
  const std::string code = "import sys\nprint(sys.stdin.read().upper())";
  HttpClient client(front->port());

  auto json = client.post("/python", boost::json::serialize(boost::json::object{
                                         {"code", code}, {"stdin", "json"}}));
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.json()["stdout"].as_string(), "JSON\n");

  auto urlencoded = client.post(
      "/python",
      "code=import+sys%0Aprint(sys.stdin.read().upper())&stdin=form%20data",
      "application/x-www-form-urlencoded");
  ASSERT_EQ(urlencoded.status, 200) << urlencoded.body;
  EXPECT_EQ(urlencoded.json()["stdout"].as_string(), "FORM DATA\n");

  const std::string multipart =
      "--XyZ\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\n" + code +
      "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"stdin\"\r\n\r\n"
      "multi\r\n--XyZ--\r\n";
  auto form =
      client.post("/python", multipart, "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_EQ(form.json()["stdout"].as_string(), "MULTI\n");

  // The backend's own statuses come back unchanged: an exception is a 200
  // with status "error" and the traceback.
  auto failing = client.post("/python", R"({"code": "1/0"})");
  ASSERT_EQ(failing.status, 200);
  EXPECT_EQ(failing.json()["status"].as_string(), "error");
  EXPECT_NE(std::string(failing.json()["stderr"].as_string())
                .find("ZeroDivisionError"),
            std::string::npos);

  // Bad requests are answered by the frontend itself, never forwarded.
  auto missing = client.post("/python", R"({"stdin": "x"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(std::string(missing.json()["error"].as_string()).find("code"),
            std::string::npos);
  EXPECT_EQ(missing.header("x-playground-backend"), "");
  auto text = client.post("/python", "print(1)", "text/plain");
  EXPECT_EQ(text.status, 415);
  EXPECT_TRUE(text.json().contains("error"));
}

// kill -9 of one backend while two clients send a steady stream: every
// request still gets the right answer, and the restarted backend is back in
// rotation within 3 s.
TEST(FrontendFailover, KillNineOfABackendUnderLoadLosesNoRequest) {
  auto a = std::make_unique<BackendProcess>();
  BackendProcess b;
  ASSERT_TRUE(a->started() && b.started());
  const uint16_t a_port = a->port();
  auto front = start_frontend(backend_list(*a, b));
  ASSERT_TRUE(front->started()) << front->log();

  std::atomic<bool> stop{false};
  std::atomic<int> sent{0}, correct{0};
  std::mutex mu;
  std::vector<std::string> wrong;
  std::map<std::string, int> after_restart;  // backend -> answers
  std::atomic<bool> restarted{false};
  auto client_loop = [&](int id) {
    HttpClient client(front->port());
    for (int i = 0; !stop; ++i) {
      const std::string expect = std::to_string(id * 100000 + i);
      // A short sleep keeps a request running on each backend most of the
      // time, so the kill catches some in flight.
      auto r = client.post(
          "/python", R"({"code": "import time\ntime.sleep(0.02)\nprint()" +
                         expect + ")\"}");
      sent++;
      if (r.status == 200 && r.json()["stdout"].as_string() == expect + "\n") {
        correct++;
        if (restarted) {
          std::lock_guard lock(mu);
          after_restart[r.header("x-playground-backend")]++;
        }
      } else {
        std::lock_guard lock(mu);
        wrong.push_back(std::to_string(r.status) + " " + r.body);
      }
    }
  };
  std::thread c1(client_loop, 1), c2(client_loop, 2);

  std::this_thread::sleep_for(1s);
  // The kill lands while a request runs on a: otherwise a health check
  // could find a gone and eject it before any request tried it, and no
  // request would show the failure counted below.
  EXPECT_TRUE(wait_until(
      [&] {
        return metric(
                   front->port(),
                   R"(playground_frontend_backend_in_flight{backend="a"})") >=
               1;
      },
      2s));
  EXPECT_EQ(a->stop(SIGKILL), 128 + SIGKILL);
  std::this_thread::sleep_for(1500ms);
  const int sent_while_down = sent;

  const auto restart = Clock::now();
  a = std::make_unique<BackendProcess>(
      std::vector<std::string>{"--port", std::to_string(a_port)});
  ASSERT_TRUE(a->started()) << a->log();
  const bool back = wait_until(
      [&] {
        auto s = backend_state(front->port(), "a");
        return s.contains("healthy") && s["healthy"].as_bool();
      },
      5s);
  const auto back_after = Clock::now() - restart;
  restarted = true;
  std::this_thread::sleep_for(1s);
  stop = true;
  c1.join();
  c2.join();

  std::cout << "sent " << sent << " requests, " << sent_while_down
            << " by the time a restarted; a back in rotation after "
            << std::chrono::duration<double>(back_after).count() << " s\n";
  EXPECT_TRUE(back) << front->log();
  EXPECT_LT(back_after, 3s)
      << "back in rotation after "
      << std::chrono::duration<double>(back_after).count() << " s";
  EXPECT_GT(sent_while_down, 20);
  EXPECT_EQ(correct.load(), sent.load());
  EXPECT_TRUE(wrong.empty())
      << wrong.size()
      << " wrong, first: " << (wrong.empty() ? "" : wrong.front());
  EXPECT_GT(after_restart["a"], 0) << "the restarted backend got no request";
  EXPECT_GT(after_restart["b"], 0);
  // Requests did hit the dead backend and were moved on: each one saw the
  // connection close or be refused, or, when the health checks ejected the
  // backend first, gave it up as ejected. Which comes first is a race.
  // Every outcome's series exists from the start, at 0: count them.
  const std::string failed_a =
      R"(playground_frontend_upstream_requests_total{backend="a",outcome=")";
  double failures = 0;
  for (const char* outcome : {"connect", "closed", "ejected"}) {
    failures += metric(front->port(), failed_a + outcome + "\"}");
  }
  EXPECT_GT(failures, 0) << HttpClient(front->port()).get("/metrics").body;
  // The frontend saw the failure and ejected the backend meanwhile.
  EXPECT_NE(front->log().find("backend ejected from rotation"),
            std::string::npos);
  EXPECT_NE(front->log().find("backend back in rotation"), std::string::npos);
}

// A full backend answers 503; the frontend moves the request on. When every
// backend is full the client gets the 503, as JSON with Retry-After.
TEST(FrontendFailover, BusyBackendIsSkippedAndAllBusyIs503) {
  const std::vector<std::string> one_slot = {
      "--concurrency", "1", "--queue", "0", "--pool", "0"};
  BackendProcess a(one_slot), b(one_slot);
  ASSERT_TRUE(a.started() && b.started());
  // Health checks must not eject the full backend: this is about the 503.
  auto front =
      start_frontend(backend_list(a, b), {"--unhealthy-after", "1000"});
  ASSERT_TRUE(front->started()) << front->log();

  const std::string sleeper =
      R"j({"code": "import time\ntime.sleep(3)\nprint('slept')"})j";
  auto occupy = [&](uint16_t port) {
    return std::async(std::launch::async, [port, sleeper] {
      HttpClient client(port);
      return client.post("/py/eval", sleeper);
    });
  };
  auto running = [](uint16_t port) {
    HttpClient client(port);
    return client.get("/readyz").json()["running"].as_int64() == 1;
  };

  auto a_busy = occupy(a.port());
  ASSERT_TRUE(wait_until([&] { return running(a.port()); }, 5s));
  for (int i = 0; i < 4; ++i) {
    auto r = run_code(front->port(), "print('fine')");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-playground-backend"), "b");
  }
  auto state = backend_state(front->port(), "a");
  EXPECT_GE(state["busy"].as_int64(), 1) << boost::json::serialize(state);
  EXPECT_TRUE(state["healthy"].as_bool());

  auto b_busy = occupy(b.port());
  ASSERT_TRUE(wait_until([&] { return running(b.port()); }, 5s));
  auto refused = run_code(front->port(), "print('no room')");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.header("content-type"), "application/json");
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_TRUE(refused.json().contains("error"));
  EXPECT_EQ(a_busy.get().status, 200);
  EXPECT_EQ(b_busy.get().status, 200);
}

// A load balancer in front of a backend that cannot reach it answers 502 or
// 504; the frontend moves the request on. The stand-in for that load
// balancer is a few lines of Python's http.server.
TEST(FrontendFailover, GatewayErrorsFromAProxyInFrontAreSkipped) {
  BackendProcess b;
  ASSERT_TRUE(b.started());
  PythonServer proxy(
      "class H(h.BaseHTTPRequestHandler):\n"
      "  def answer(self):\n"
      "    code = 200 if self.path == '/readyz' else "
      "(502 if self.path == '/py/eval' else 504)\n"
      "    n = int(self.headers.get('Content-Length') or 0)\n"
      "    self.rfile.read(n)\n"
      "    self.send_response(code)\n"
      "    self.send_header('Content-Length', '0')\n"
      "    self.end_headers()\n"
      "  do_GET = do_POST = answer\n");
  ASSERT_TRUE(proxy.ready());
  const uint16_t proxy_port = proxy.port();

  auto front =
      start_frontend("lb=" + url_of(proxy_port) + ",b=" + url_of(b.port()),
                     {"--unhealthy-after", "1000"});
  ASSERT_TRUE(front->started()) << front->log();
  for (int i = 0; i < 4; ++i) {
    auto r = run_code(front->port(), "print('past the proxy')");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-playground-backend"), "b");
  }
  EXPECT_EQ(
      metric(
          front->port(),
          R"(playground_frontend_upstream_requests_total{backend="lb",outcome="gateway_error"})"),
      2);
}

// A backend that stops answering altogether while requests wait on it (a
// cloud cut off: no refusal, no reset; the real clusters' outage test found
// requests waiting 27 s for the link to return). The health checks eject it
// within a few seconds, and the requests waiting on it move to the next
// backend then, not after the upstream timeout (60 s here).
TEST(FrontendFailover, RequestsWaitingOnAnEjectedBackendMoveOn) {
  BackendProcess a, b;
  ASSERT_TRUE(a.started() && b.started());
  auto front =
      start_frontend(backend_list(a, b), {"--upstream-timeout", "60s"});
  ASSERT_TRUE(front->started()) << front->log();
  // Two at once: strict round-robin sends one to each backend. Each runs
  // long enough to be waiting when `a` stops.
  auto request = [&] {
    return run_code(front->port(), "import time\ntime.sleep(1)\nprint('done')");
  };
  auto first = std::async(std::launch::async, request);
  auto second = std::async(std::launch::async, request);
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(::kill(a.pid(), SIGSTOP), 0);
  const auto stopped = Clock::now();
  const HttpReply replies[] = {first.get(), second.get()};
  const auto waited = Clock::now() - stopped;
  ::kill(a.pid(), SIGCONT);
  for (const HttpReply& r : replies) {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-playground-backend"), "b") << r.body;
    if (r.status == 200) {
      EXPECT_EQ(r.json()["stdout"].as_string(), "done\n");
    }
  }
  // Ejection takes 3 failed checks (0.5 s apart, 1 s each), then 1 s of run
  // on b: seconds, far from the 60 s an unabandoned request would wait.
  EXPECT_LT(waited, 20s);
  EXPECT_EQ(
      metric(
          front->port(),
          R"(playground_frontend_upstream_requests_total{backend="a",outcome="ejected"})"),
      1);
  // Back in rotation once its checks pass again, `a` answers requests: the
  // ejection stopped the requests waiting then, not the ones after.
  EXPECT_TRUE(wait_until(
      [&] {
        return run_code(front->port(), "print(1)")
                   .header("x-playground-backend") == "a";
      },
      15s))
      << front->log();
  EXPECT_EQ(
      metric(
          front->port(),
          R"(playground_frontend_upstream_requests_total{backend="a",outcome="ejected"})"),
      1);
}

// Interim 1xx answers before the real one (a proxy in front of a backend may
// send them) must not leave the real answer on the pooled connection, where
// the next user's request would take it.
TEST(FrontendRouting, InterimAnswersNeverShiftResultsToAnotherRequest) {
  PythonServer backend(
      std::string(kKeepAliveHandlerReadyOnGet) +
      "  def do_POST(self):\n"
      "    n = int(self.headers.get('Content-Length') or 0)\n"
      "    code = json.loads(self.rfile.read(n))['code']\n"
      "    body = json.dumps({'stdout': code}).encode()\n"
      "    self.wfile.write(b'HTTP/1.1 100 Continue\\r\\n\\r\\n'\n"
      "      + b'HTTP/1.1 103 Early Hints\\r\\nLink: </x>\\r\\n\\r\\n'\n"
      "      + b'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n'\n"
      "      + b'Content-Length: %d\\r\\n\\r\\n' % len(body) + body)\n");
  ASSERT_TRUE(backend.ready());
  const uint16_t port = backend.port();
  auto front = start_frontend("hints=" + url_of(port));
  ASSERT_TRUE(front->started()) << front->log();
  HttpClient client(front->port());
  for (int i = 0; i < 5; ++i) {
    const std::string mine = "user " + std::to_string(i);
    auto r = client.post(
        "/python", boost::json::serialize(boost::json::object{{"code", mine}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["stdout"].as_string(), mine);
  }
}

// What goes to a backend is exactly the request line, Host, the type, the
// length, the token and the client's address, then the body as the
// frontend wrote it; what comes back to the client is the backend's status,
// body (chunked or not), Content-Type and Retry-After (the first of each
// with a value), and no other field of its (a cookie, hop-by-hop or its own
// headers).
TEST(FrontendRouting, RequestsAndAnswersCarryExactlyTheirFields) {
  PythonServer backend(
      std::string(kKeepAliveHandlerReadyOnGet) +
      "  def do_POST(self):\n"
      "    body = self.rfile.read(int(self.headers['Content-Length']))\n"
      "    if json.loads(body)['code'] == 'limit':\n"
      "      self.wfile.write(b'HTTP/1.1 429 Slow Down\\r\\n'\n"
      "        + b'content-type: application/json\\r\\n'\n"
      "        + b'Retry-After:\\r\\nretry-after: 7\\r\\n'\n"
      "        + b'Retry-After: 9\\r\\n'\n"
      "        + b'Content-Length: 2\\r\\n\\r\\n{}')\n"
      "      return\n"
      "    seen = json.dumps({'line': self.requestline, 'body': "
      "body.decode(),\n"
      "      'headers': [[k.lower(), v] for k, v in self.headers.items()]})\n"
      "    out = (b'HTTP/1.1 200 OK\\r\\nSet-Cookie: a=b\\r\\n'\n"
      "      + b'Content-Type: application/json; charset=utf-8\\r\\n'\n"
      "      + b'X-Upstream-Only: 1\\r\\nTransfer-Encoding: "
      "chunked\\r\\n\\r\\n')\n"
      "    for i in range(0, len(seen), 7):\n"
      "      chunk = seen[i:i + 7].encode()\n"
      "      out += b'%x\\r\\n' % len(chunk) + chunk + b'\\r\\n'\n"
      "    self.wfile.write(out + b'0\\r\\n\\r\\n')\n");
  ASSERT_TRUE(backend.ready());
  const uint16_t port = backend.port();
  auto front = start_frontend("echo=" + url_of(port), {},
                              {{"PLAYGROUND_TOKEN", "t0k3n"}});
  ASSERT_TRUE(front->started()) << front->log();
  HttpClient client(front->port());
  for (int i = 0; i < 2; ++i) {  // a fresh upstream connection, then reused
    const std::string code = "print('caf\u00e9 " + std::to_string(i) + "')";
    // Spaces, an escape and a field no service reads: JSON goes on byte
    // for byte, not encoded again.
    const std::string sent =
        "{ \"code\" : " + boost::json::serialize(boost::json::value(code)) +
        ",\n  \"note\": \"\\u0041\" }";
    auto r = client.post("/python", sent);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("x-playground-backend"), "echo");
    EXPECT_EQ(r.header("content-length"), std::to_string(r.body.size()));
    EXPECT_EQ(r.header("set-cookie"), "");
    EXPECT_EQ(r.header("x-upstream-only"), "");
    EXPECT_EQ(r.header("transfer-encoding"), "");

    const boost::json::object seen = r.json();
    ASSERT_TRUE(seen.contains("line")) << r.body;
    EXPECT_EQ(seen.at("line").as_string(), "POST /py/eval HTTP/1.1");
    const std::string body(seen.at("body").as_string());
    EXPECT_EQ(body, sent);
    EXPECT_EQ(boost::json::parse(body).at("code").as_string(), code);
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& h : seen.at("headers").as_array()) {
      headers.emplace_back(h.as_array()[0].as_string(),
                           h.as_array()[1].as_string());
    }
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"host", "127.0.0.1:" + std::to_string(port)},
        {"content-type", "application/json"},
        {"authorization", "Bearer t0k3n"},
        {"x-playground-client", "127.0.0.1"},
        {"content-length", std::to_string(body.size())}};
    EXPECT_EQ(headers, expected);
  }
  // Of a kept field, the first value that is not empty goes on, under its
  // usual name.
  const std::string body = R"({"code":"limit"})";
  const std::string limited = raw_exchange(
      front->port(),
      "POST /python HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Connection: close\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(limited.rfind("HTTP/1.1 429 ", 0), 0u) << limited;
  EXPECT_NE(limited.find("\r\nContent-Type: application/json\r\n"),
            std::string::npos)
      << limited;
  EXPECT_NE(limited.find("\r\nRetry-After: 7\r\n"), std::string::npos)
      << limited;
  EXPECT_EQ(limited.find("Retry-After: 9"), std::string::npos) << limited;
  EXPECT_EQ(limited.find("retry-after"), std::string::npos) << limited;
  EXPECT_EQ(limited.find("content-type"), std::string::npos) << limited;
  ASSERT_GE(limited.size(), 6u);
  EXPECT_EQ(limited.substr(limited.size() - 6), "\r\n\r\n{}") << limited;
}

TEST(FrontendFailover, NoReachableBackendIs502AndNotReady) {
  const uint16_t nobody = free_port();
  auto front =
      start_frontend("gone=" + url_of(nobody), {"--health-interval", "100ms"});
  ASSERT_TRUE(front->started()) << front->log();
  auto r = run_code(front->port(), "print(1)");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_NE(std::string(r.json()["error"].as_string()).find("gone"),
            std::string::npos)
      << r.body;
  EXPECT_TRUE(wait_until(
      [&] { return HttpClient(front->port()).get("/readyz").status == 503; },
      3s));
  EXPECT_EQ(HttpClient(front->port()).get("/healthz").status, 200);
}

// files and args reach the backend through the frontend, and a bad one is
// refused by the frontend itself with the backend's words.
TEST(FrontendRouting, FilesAndArgsAreForwarded) {
  BackendProcess a, b;
  ASSERT_TRUE(a.started() && b.started());
  auto front = start_frontend(backend_list(a, b));
  ASSERT_TRUE(front->started()) << front->log();
  const std::string body = boost::json::serialize(boost::json::object{
      {"code", "import sys, helper\nprint(helper.N, sys.argv[1:])\n"},
      {"files", boost::json::array{boost::json::object{
                    {"name", "helper.py"}, {"content", "N = 7\n"}}}},
      {"args", boost::json::array{"x", "y z"}}});
  for (int i = 0; i < 2; ++i) {  // both backends
    auto r = HttpClient(front->port()).post("/python", body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["stdout"].as_string(), "7 ['x', 'y z']\n") << r.body;
  }
  auto r = HttpClient(front->port())
               .post("/python",
                     R"({"code":"1","files":[{"name":"../x","content":""}]})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(r.header("x-playground-backend").empty()) << "forwarded anyway";
}

TEST(FrontendLimits, RateLimitGives429WithRetryAfter) {
  BackendProcess a, b;
  auto front = start_frontend(backend_list(a, b),
                              {"--rate-limit", "1", "--rate-burst", "2"});
  ASSERT_TRUE(front->started()) << front->log();
  std::vector<int> statuses;
  HttpReply limited;
  for (int i = 0; i < 4; ++i) {
    auto r = run_code(front->port(), "print(1)");
    statuses.push_back(r.status);
    if (r.status == 429) limited = r;
  }
  EXPECT_EQ(statuses[0], 200);
  EXPECT_EQ(statuses[1], 200);
  EXPECT_EQ(statuses[3], 429);
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(limited.header("content-type"), "application/json");
  EXPECT_TRUE(limited.json().contains("error"));
  // The UI and status endpoints are not rate limited.
  EXPECT_EQ(HttpClient(front->port()).get("/").status, 200);
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(run_code(front->port(), "print(1)").status, 200);
}

TEST(FrontendLimits, OversizedBodyGets413BeforeForwarding) {
  BackendProcess a, b;
  auto front = start_frontend(backend_list(a, b), {"--max-body", "1K"});
  ASSERT_TRUE(front->started()) << front->log();
  auto r = run_code(front->port(), "print('" + std::string(4096, 'x') + "')");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_NE(std::string(r.json()["error"].as_string()).find("1024"),
            std::string::npos);
  EXPECT_EQ(r.header("x-playground-backend"), "");
}

// A form carries a control byte as one byte; JSON escapes it as six. What
// the frontend forwards must fit the same limit, so that backends with that
// limit never refuse a request the frontend accepted.
TEST(FrontendLimits, ForwardedJsonFitsTheLimitOrIs413) {
  BackendProcess a({"--max-body", "1K"}), b({"--max-body", "1K"});
  auto front = start_frontend(backend_list(a, b), {"--max-body", "1K"});
  ASSERT_TRUE(front->started()) << front->log();
  auto multipart = [](const std::string& stdin_data) {
    return "--XyZ\r\nContent-Disposition: form-data; name=\"code\"\r\n\r\n"
           "import sys\nprint(len(sys.stdin.read()))"
           "\r\n--XyZ\r\nContent-Disposition: form-data; "
           "name=\"stdin\"\r\n\r\n" +
           stdin_data + "\r\n--XyZ--\r\n";
  };
  HttpClient client(front->port());
  // 120 control bytes: 720 as JSON, within the limit end to end.
  auto fits = client.post("/python", multipart(std::string(120, '\x01')),
                          "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(fits.status, 200) << fits.body;
  EXPECT_EQ(fits.json()["stdout"].as_string(), "120\n");

  // 400 control bytes: a 560-byte body, 2,400 bytes as JSON.
  const std::string body = multipart(std::string(400, '\x01'));
  ASSERT_LT(body.size(), 1024u);
  auto grown =
      client.post("/python", body, "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(grown.status, 413) << grown.body;
  EXPECT_NE(std::string(grown.json()["error"].as_string()).find("as JSON"),
            std::string::npos)
      << grown.body;
  EXPECT_EQ(grown.header("x-playground-backend"), "");
  EXPECT_EQ(backend_state(front->port(), "a")["answered"].as_int64() +
                backend_state(front->port(), "b")["answered"].as_int64(),
            1);
}

// POST /python from another loopback address (127.0.0.2): another client.
HttpReply post_python_from(const std::string& source, uint16_t port,
                           const std::string& code) {
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.open(asio::ip::tcp::v4(), ec);
  socket.bind({asio::ip::make_address(source), 0}, ec);
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  HttpReply reply;
  if (ec) return reply;
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/python", 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::content_type, "application/json");
  req.body() = boost::json::serialize(boost::json::object{{"code", code}});
  req.prepare_payload();
  bhttp::write(socket, req, ec);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(socket, buffer, res, ec);
  if (ec) return reply;
  reply.status = static_cast<int>(res.result_int());
  reply.body = res.body();
  return reply;
}

// One client sends many long runs at once; another client's short run must
// not wait behind all of them. The frontend forwards at most --runs-per-
// client of one address at once (the rest wait in that address's own line)
// and tells the backend, with the token, who each client is; the backend
// gives a freed sandbox to the client holding the fewest. So the other
// client's run starts at the next free sandbox: within about one of the
// hog's runs (2 s here), where first-come-first-served took all six (6 s).
TEST(FrontendFairness, OneClientsManyRunsDoNotDelayAnothersBeyondOneRun) {
  const std::map<std::string, std::string> token = {
      {"PLAYGROUND_TOKEN", "fair-share-token"}};
  BackendProcess backend({"--concurrency", "2"}, token);
  ASSERT_TRUE(backend.started()) << backend.log();
  FrontendProcess front(
      {"--rate-limit", "0", "--backends",
       "a=http://127.0.0.1:" + std::to_string(backend.port())},
      token);
  ASSERT_TRUE(front.started()) << front.log();
  ASSERT_TRUE(wait_until(
      [&] { return HttpClient(front.port()).get("/readyz").status == 200; },
      std::chrono::seconds(10)));
  constexpr int kHogRuns = 6;
  std::vector<std::future<HttpReply>> hog;
  for (int i = 0; i < kHogRuns; ++i) {
    hog.push_back(std::async(std::launch::async, [&] {
      return HttpClient(front.port())
          .post("/python",
                R"J({"code":"import time\ntime.sleep(2)\nprint('hog')"})J");
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto t0 = std::chrono::steady_clock::now();
  HttpReply other = post_python_from("127.0.0.2", front.port(), "print('hi')");
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  std::cout << "another client's print('hi') behind " << kHogRuns
            << " runs of 2 s on 2 sandboxes: " << waited << " s\n";
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(other.json()["stdout"], "hi\n");
  EXPECT_LT(waited, 3.5);  // one run (2 s) and the rest of the hog's first
  for (auto& run : hog) {
    HttpReply r = run.get();
    EXPECT_EQ(r.status, 200) << r.body;  // the hog's own runs all complete
    EXPECT_EQ(r.json()["stdout"], "hog\n");
  }
}

// A client's share is bounded: beyond its runs in flight and its line, 429.
TEST(FrontendFairness, AClientsLineIsBounded) {
  BackendProcess backend({"--concurrency", "1"});
  ASSERT_TRUE(backend.started()) << backend.log();
  FrontendProcess front(
      {"--rate-limit", "0", "--runs-per-client", "1", "--waiting-per-client",
       "1", "--backends",
       "a=http://127.0.0.1:" + std::to_string(backend.port())});
  ASSERT_TRUE(front.started()) << front.log();
  std::vector<std::future<HttpReply>> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(std::async(std::launch::async, [&] {
      return HttpClient(front.port())
          .post("/python", R"J({"code":"import time\ntime.sleep(1)"})J");
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::vector<int> statuses;
  for (auto& run : runs) statuses.push_back(run.get().status);
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 429}));
  HttpReply r =
      HttpClient(front.port()).post("/python", R"J({"code":"print(1)"})J");
  EXPECT_EQ(r.status, 200) << r.body;  // the share is given back
}

TEST(FrontendToken, RequiredByBackendsAndSentByTheFrontend) {
  const std::map<std::string, std::string> token = {
      {"PLAYGROUND_TOKEN", "s3cret-token"}};
  BackendProcess a({}, token), b({}, token);
  ASSERT_TRUE(a.started() && b.started());

  // Straight to a backend without the token: refused.
  EXPECT_EQ(eval(a.port(), "print(1)").status, 401);

  auto with = start_frontend(backend_list(a, b), {}, token);
  ASSERT_TRUE(with->started()) << with->log();
  for (int i = 0; i < 2; ++i) {
    auto r = run_code(with->port(), "print('authorised')");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["stdout"].as_string(), "authorised\n");
  }

  // A frontend without it: a configuration error, never a 401 for the user.
  auto without = start_frontend(backend_list(a, b));
  ASSERT_TRUE(without->started());
  auto r = run_code(without->port(), "print(1)");
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(std::string(r.json()["error"].as_string()).find("token"),
            std::string::npos);
  // The log line is read from the frontend's stderr as it comes.
  EXPECT_TRUE(wait_until(
      [&] {
        return without->log().find("refused the frontend's token") !=
               std::string::npos;
      },
      2000ms))
      << without->log();
}

// With a shared token, the operations endpoints (every backend's address,
// the metrics, a backend's isolation details) answer only requests that
// carry it; probes still get a backend's readiness, without the details.
// --ops-access public opens them again.
TEST(FrontendToken, OperationsEndpointsNeedTheToken) {
  const std::map<std::string, std::string> token = {
      {"PLAYGROUND_TOKEN", "ops-token"}};
  BackendProcess a({}, token), b({}, token);
  ASSERT_TRUE(a.started() && b.started());
  auto front = start_frontend(backend_list(a, b), {}, token);
  ASSERT_TRUE(front->started()) << front->log();
  const std::map<std::string, std::string> bearer = {
      {"Authorization", "Bearer ops-token"}};
  for (const char* path : {"/api/backends", "/metrics"}) {
    HttpReply open = HttpClient(front->port()).get(path);
    EXPECT_EQ(open.status, 401) << path << ": " << open.body;
    EXPECT_EQ(open.body.find("127.0.0.1:"), std::string::npos) << path;
    EXPECT_EQ(
        HttpClient(front->port()).request("GET", path, "", "", bearer).status,
        200)
        << path;
  }
  EXPECT_EQ(HttpClient(a.port()).get("/metrics").status, 401);
  EXPECT_EQ(
      HttpClient(a.port()).request("GET", "/metrics", "", "", bearer).status,
      200);
  HttpReply probe = HttpClient(a.port()).get("/readyz");
  EXPECT_EQ(probe.status, 200);
  EXPECT_EQ(probe.json(), (boost::json::object{{"ready", true}}));
  HttpReply detail =
      HttpClient(a.port()).request("GET", "/readyz", "", "", bearer);
  EXPECT_TRUE(detail.json().contains("isolation")) << detail.body;
  auto opened =
      start_frontend(backend_list(a, b), {"--ops-access", "public"}, token);
  ASSERT_TRUE(opened->started()) << opened->log();
  EXPECT_EQ(HttpClient(opened->port()).get("/api/backends").status, 200);
}

// An https backend: a real backend behind a TLS terminator (socat) whose
// certificate comes from a CA made here with openssl.
TEST(FrontendTls, SelfSignedBackendAcceptedWithCaFileRefusedWithout) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("pg-tls-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string d = dir.string();
  ASSERT_EQ(run_command(
                "cd " + d +
                " && openssl req -x509 -newkey rsa:2048 -nodes -days 2 "
                "-subj /CN=playground-test-ca -keyout ca.key -out ca.pem "
                "2>/dev/null"
                " && openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 "
                "-keyout server.key -out server.csr 2>/dev/null"
                " && printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext"
                " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key "
                "-CAcreateserial -days 2 -extfile san.ext -out server.pem "
                "2>/dev/null"),
            0);

  BackendProcess backend;
  ASSERT_TRUE(backend.started());
  const uint16_t tls_port = free_port();
  const pid_t socat = ::fork();
  if (socat == 0) {
    // Its complaints about the untrusting client below are expected.
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDERR_FILENO);
    const std::string listen = "OPENSSL-LISTEN:" + std::to_string(tls_port) +
                               ",bind=127.0.0.1,reuseaddr,fork,cert=" + d +
                               "/server.pem,key=" + d + "/server.key,verify=0";
    const std::string target =
        "TCP:127.0.0.1:" + std::to_string(backend.port());
    ::execl("/usr/bin/socat", "socat", listen.c_str(), target.c_str(), nullptr);
    ::_exit(127);
  }
  ASSERT_GT(socat, 0);
  const std::string backends = "secure=" + url_of(tls_port, "https");
  auto stop_socat = [&] {
    ::kill(socat, SIGTERM);
    ::waitpid(socat, nullptr, 0);
    fs::remove_all(dir);
  };

  auto trusted = start_frontend(backends, {"--ca-file", d + "/ca.pem"});
  ASSERT_TRUE(trusted->started()) << trusted->log();
  HttpReply ok;
  wait_until(
      [&] {
        ok = run_code(trusted->port(), "print('over tls')");
        return ok.status == 200;
      },
      5s);
  EXPECT_EQ(ok.status, 200) << ok.body << trusted->log();
  EXPECT_EQ(ok.json()["stdout"].as_string(), "over tls\n");
  EXPECT_EQ(ok.header("x-playground-backend"), "secure");

  auto untrusted = start_frontend(backends);
  ASSERT_TRUE(untrusted->started());
  auto refused = run_code(untrusted->port(), "print('over tls')");
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_NE(std::string(refused.json()["error"].as_string())
                .find("certificate verify failed"),
            std::string::npos)
      << refused.body;
  stop_socat();
}

TEST(FrontendUi, ServesEmbeddedFilesWithTypesAndRevalidation) {
  auto front = start_frontend("a=" + url_of(free_port()));
  ASSERT_TRUE(front->started()) << front->log();
  HttpClient client(front->port());
  auto page = client.get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<script src=\"/app.js\""), std::string::npos);
  EXPECT_NE(page.header("content-security-policy").find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(page.header("x-content-type-options"), "nosniff");
  // Nothing on the page comes from another origin.
  EXPECT_EQ(page.body.find("http://"), std::string::npos);
  EXPECT_EQ(page.body.find("https://"), std::string::npos);

  auto script = client.get("/app.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_NE(script.body.find("/python"), std::string::npos);
  EXPECT_EQ(client.get("/style.css").header("content-type"),
            "text/css; charset=utf-8");

  const std::string etag = page.header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = client.request("GET", "/", "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  // A cache may hold several versions, and a proxy may have weakened the tag.
  auto listed = client.request("GET", "/", "", "",
                               {{"If-None-Match", "\"old\", W/" + etag}});
  EXPECT_EQ(listed.status, 304);
  EXPECT_EQ(
      client.request("GET", "/", "", "", {{"If-None-Match", "\"old\""}}).status,
      200);

  // Browsers that take gzip get the compressed copy, a third of the size,
  // with its own validator.
  auto gz = client.request("GET", "/app.js", "", "",
                           {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.header("vary"), "Accept-Encoding");
  ASSERT_GE(gz.body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz.body[1]), 0x8b);
  EXPECT_LT(gz.body.size(), script.body.size() / 2);
  EXPECT_EQ(script.header("content-encoding"), "");
  EXPECT_NE(gz.header("etag"), script.header("etag"));
  auto gz_again = client.request(
      "GET", "/app.js", "", "",
      {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.header("etag")}});
  EXPECT_EQ(gz_again.status, 304);

  auto missing = client.get("/nope.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type"), "application/json");
}

// HEAD gets GET's header without the body; pipelined, the next answer follows
// the header at once (a body sent by mistake would be read as that answer).
TEST(FrontendUi, HeadAnswersLikeGetWithoutABody) {
  auto front = start_frontend("a=" + url_of(free_port()));
  ASSERT_TRUE(front->started()) << front->log();
  const size_t page_bytes = HttpClient(front->port()).get("/").body.size();
  ASSERT_GT(page_bytes, 0u);

  const std::string reply = raw_exchange(
      front->port(),
      "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 200 OK\r\n")) << reply;
  const size_t header_end = reply.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos) << reply;
  const std::string head = reply.substr(0, header_end);
  EXPECT_NE(head.find("Content-Length: " + std::to_string(page_bytes)),
            std::string::npos)
      << head;
  EXPECT_NE(head.find("ETag: "), std::string::npos) << head;
  const std::string rest = reply.substr(header_end + 4);
  EXPECT_TRUE(rest.starts_with("HTTP/1.1 200 OK\r\n")) << rest;
  EXPECT_NE(rest.find(R"({"status":"ok"})"), std::string::npos) << rest;

  // HEAD is allowed wherever GET is, and listed so.
  HttpClient client(front->port());
  auto put = client.request("PUT", "/");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(put.header("allow"), "GET, HEAD");
  const std::string post_only = raw_exchange(
      front->port(),
      "HEAD /python HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(post_only.starts_with("HTTP/1.1 405 ")) << post_only;
  EXPECT_NE(post_only.find("Allow: POST\r\n"), std::string::npos) << post_only;
  EXPECT_TRUE(post_only.ends_with("\r\n\r\n")) << post_only;
}

TEST(FrontendLifecycle, SigtermFinishesForwardedRequestsAndExitsZero) {
  BackendProcess a, b;
  auto front = start_frontend(backend_list(a, b));
  ASSERT_TRUE(front->started()) << front->log();
  auto slow = std::async(std::launch::async, [&] {
    return run_code(front->port(), "import time\ntime.sleep(1)\nprint('done')");
  });
  ASSERT_TRUE(wait_until(
      [&] {
        auto s = backend_state(front->port(), "a")["in_flight"].as_int64() +
                 backend_state(front->port(), "b")["in_flight"].as_int64();
        return s == 1;
      },
      3s));
  EXPECT_EQ(front->stop(SIGTERM), 0);
  auto r = slow.get();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["stdout"].as_string(), "done\n");
}

// Signals sent back to back while the frontend drains and stops, with
// several loop threads: none may end it by default action (exit 128+n, no
// "stopped" line); every thread holds them, and the main loop reads them.
TEST(FrontendLifecycle, SignalsDuringShutdownCannotCutItShort) {
  auto front =
      start_frontend("gone=" + url_of(free_port()), {"--threads", "3"});
  ASSERT_TRUE(front->started()) << front->log();
  ::kill(front->pid(), SIGTERM);
  ASSERT_TRUE(front->wait_for_log("shutting down", 5s)) << front->log();
  EXPECT_TRUE(front->signal_until_exited(10s)) << front->log();
  EXPECT_EQ(front->stop(SIGTERM), 0) << front->log();
  EXPECT_NE(front->log().find("\"msg\":\"stopped\""), std::string::npos)
      << front->log();
}

// The request log is written by batch (not a write(2) per line): after a
// burst every line has arrived, and so have those of a burst answered just
// before a SIGTERM, then "stopped".
TEST(FrontendLog, EveryRequestLineArrivesAfterABurstAndAfterSigterm) {
  auto front = start_frontend("gone=" + url_of(free_port()));
  ASSERT_TRUE(front->started()) << front->log();
  auto lines_for = [&](const std::string& path) {
    return occurrences(front->log(), "\"path\":\"" + path + "\"");
  };
  // Unknown paths: answered 404 and logged at info, with no backend.
  auto burst = [&](const std::string& path, int per_client) {
    std::vector<std::thread> clients;
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&] {
        HttpClient client(front->port());
        for (int i = 0; i < per_client; ++i) {
          EXPECT_EQ(client.get(path).status, 404);
        }
      });
    }
    for (auto& t : clients) t.join();
  };
  burst("/log-burst", 250);
  EXPECT_TRUE(wait_until([&] { return lines_for("/log-burst") == 2000; }, 5s))
      << lines_for("/log-burst");
  burst("/log-before-sigterm", 100);
  EXPECT_EQ(front->stop(SIGTERM), 0);
  EXPECT_EQ(lines_for("/log-before-sigterm"), 800u);
  EXPECT_EQ(lines_for("/log-burst"), 2000u);
  EXPECT_NE(front->log().find("\"msg\":\"stopped\""), std::string::npos);
}

// The event loops never wait for the log's reader: with the frontend's
// stderr not read (a stalled collector: the pipe fills after 64 KB),
// requests are still answered; once read again, every line arrives.
TEST(FrontendLog, AStalledLogSinkHoldsNoRequestUp) {
  auto front = start_frontend("gone=" + url_of(free_port()));
  ASSERT_TRUE(front->started()) << front->log();
  front->pause_log();
  // 1,000 lines of about 400 bytes: six times what the pipe holds, well
  // within what the log keeps waiting (a megabyte).
  const std::string path = "/stalled-" + std::string(200, 'x');
  auto answered = std::async(std::launch::async, [&] {
    HttpClient client(front->port());
    int n = 0;
    for (int i = 0; i < 1000; ++i) n += client.get(path).status == 404;
    return n;
  });
  const bool in_time = answered.wait_for(20s) == std::future_status::ready;
  front->resume_log();
  ASSERT_TRUE(in_time) << "requests waited for the log";
  EXPECT_EQ(answered.get(), 1000);
  auto lines = [&] { return occurrences(front->log(), path); };
  EXPECT_TRUE(wait_until([&] { return lines() == 1000; }, 10s)) << lines();
  // Its stderr's open file description, shared with whoever started it,
  // was not made non-blocking by the wait for room.
  std::ifstream info("/proc/" + std::to_string(front->pid()) + "/fdinfo/2");
  std::string key;
  std::string flags;
  while (info >> key >> flags && key != "flags:") {
  }
  ASSERT_EQ(key, "flags:");
  EXPECT_EQ(std::stoul(flags, nullptr, 8) & O_NONBLOCK, 0u) << flags;
}

// Connections accepted by each event loop, from /metrics.
std::vector<double> accepted_by_loop(uint16_t port, int loops) {
  const std::string metrics = HttpClient(port).get("/metrics").body;
  std::vector<double> accepted;
  for (int i = 0; i < loops; ++i) {
    const std::string name =
        "playground_http_accepted_total{loop=\"" + std::to_string(i) + "\"} ";
    const size_t at = metrics.find(name);
    accepted.push_back(at == std::string::npos
                           ? 0
                           : std::stod(metrics.substr(at + name.size())));
  }
  return accepted;
}

size_t threads_of(pid_t pid) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator(
           "/proc/" + std::to_string(pid) + "/task")) {
    n++;
  }
  return n;
}

// --threads 3: three event loops on one port (SO_REUSEPORT), each serving
// its share of connections, every answer the right one.
TEST(FrontendThreads, ConnectionsAreSpreadOverEveryLoop) {
  BackendProcess a, b;
  // All from one address: its share must let every one through.
  auto front =
      start_frontend(backend_list(a, b), {"--threads", "3", "--runs-per-client",
                                          "32", "--waiting-per-client", "32"});
  ASSERT_TRUE(front->started()) << front->log();
  EXPECT_GE(threads_of(front->pid()), 3u);
  constexpr int kClients = 32;  // all on two loops: 3 * (2/3)^32 < 1e-5
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < kClients; ++i) {
    replies.push_back(std::async(std::launch::async, [&, i] {
      return run_code(front->port(), "print(" + std::to_string(i) + ")");
    }));
  }
  for (int i = 0; i < kClients; ++i) {
    HttpReply r = replies[i].get();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["stdout"].as_string(), std::to_string(i) + "\n");
  }
  const std::vector<double> accepted = accepted_by_loop(front->port(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_GT(accepted[i], 0) << "loop " << i << " accepted nothing";
  }
  EXPECT_GE(accepted[0] + accepted[1] + accepted[2], kClients);
  EXPECT_NE(front->log().find("\"threads\":3"), std::string::npos);
}

// The rate limit and a client's share are the process's, not a loop's:
// requests of one address on connections spread over both loops still get
// exactly the burst, and exactly the runs in flight plus the line.
TEST(FrontendThreads, OneClientsLimitsHoldAcrossLoops) {
  BackendProcess a({"--concurrency", "4"}), b({"--concurrency", "4"});
  auto front = start_frontend(
      backend_list(a, b),
      {"--threads", "2", "--rate-limit", "1", "--rate-burst", "4",
       "--runs-per-client", "1", "--waiting-per-client", "2"});
  ASSERT_TRUE(front->started()) << front->log();
  // Eight runs at once, each on its own connection: one runs, two wait,
  // and the other five are over the share or the rate.
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < 8; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      return run_code(front->port(), "import time\ntime.sleep(0.5)");
    }));
  }
  std::map<int, int> by_status;
  for (auto& r : replies) by_status[r.get().status]++;
  // A loop of its own each would let up to 2 x (1 + 2) run.
  EXPECT_EQ(by_status[200], 3) << by_status[429];
  EXPECT_EQ(by_status[429], 5);
  // The rate: 4 tokens, and 3 taken; about 2 s have refilled 2 more.
  // Twelve more requests at once on their own connections.
  std::this_thread::sleep_for(1500ms);
  replies.clear();
  for (int i = 0; i < 12; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      return run_code(front->port(), "print(1)");
    }));
  }
  by_status.clear();
  for (auto& r : replies) by_status[r.get().status]++;
  // Per loop, a bucket of 4 each: up to 8 would pass the rate.
  EXPECT_LE(by_status[200], 4) << by_status[429];
  EXPECT_GE(by_status[429], 8);
  const std::vector<double> accepted = accepted_by_loop(front->port(), 2);
  EXPECT_GT(accepted[0], 0);
  EXPECT_GT(accepted[1], 0);
}

// A backend stopped dead (SIGSTOP) is ejected by the health checks, which
// run on the first loop; the requests waiting on it on every loop give it
// up at once and are answered by the other.
TEST(FrontendThreads, AnEjectionReachesRequestsWaitingOnEveryLoop) {
  BackendProcess a({"--concurrency", "8"}), b({"--concurrency", "8"});
  ASSERT_TRUE(a.started() && b.started());
  auto front = start_frontend(backend_list(a, b),
                              {"--threads", "2", "--upstream-timeout", "60s",
                               "--runs-per-client", "16"});
  ASSERT_TRUE(front->started()) << front->log();
  constexpr int kRuns = 8;  // four wait on `a`: all on one loop 1 in 16
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < kRuns; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      return run_code(front->port(),
                      "import time\ntime.sleep(1)\nprint('done')");
    }));
  }
  ASSERT_TRUE(wait_until(
      [&] {
        return backend_state(front->port(), "a")["in_flight"].as_int64() ==
               kRuns / 2;
      },
      5s));
  ASSERT_EQ(::kill(a.pid(), SIGSTOP), 0);
  const auto stopped = Clock::now();
  std::vector<HttpReply> answered;
  for (auto& r : replies) answered.push_back(r.get());
  const auto waited = Clock::now() - stopped;
  ::kill(a.pid(), SIGCONT);
  for (const HttpReply& r : answered) {
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status == 200) {
      EXPECT_EQ(r.json()["stdout"].as_string(), "done\n");
    }
  }
  EXPECT_LT(waited, 20s);  // not the 60 s upstream timeout
  EXPECT_EQ(
      metric(
          front->port(),
          R"(playground_frontend_upstream_requests_total{backend="a",outcome="ejected"})"),
      4);
}

// A Judge0 submission made on one connection is found from any other,
// whichever loop serves it.
TEST(FrontendThreads, ASubmissionIsFoundFromEveryLoop) {
  BackendProcess a, b;
  auto front = start_frontend(backend_list(a, b), {"--threads", "2"});
  ASSERT_TRUE(front->started()) << front->log();
  ASSERT_TRUE(wait_until(
      [&] { return HttpClient(front->port()).get("/languages").status == 200; },
      10s));
  HttpReply created =
      HttpClient(front->port())
          .post("/submissions",
                R"J({"source_code":"print(6*7)","language_id":71})J");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token(created.json()["token"].as_string());
  for (int i = 0; i < 16; ++i) {
    HttpReply r = HttpClient(front->port()).get("/submissions/" + token);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  ASSERT_TRUE(wait_until(
      [&] {
        HttpReply r = HttpClient(front->port()).get("/submissions/" + token);
        return r.status == 200 && r.json()["stdout"] == "42\n";
      },
      10s));
  const std::vector<double> accepted = accepted_by_loop(front->port(), 2);
  EXPECT_GT(accepted[0], 0);
  EXPECT_GT(accepted[1], 0);
}

// Several loops share the port with SO_REUSEPORT; a port another socket of
// this user already listens on with SO_REUSEPORT must still be refused,
// not shared.
TEST(FrontendThreads, APortAlreadyTakenIsRefusedNotShared) {
  const int taken = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(taken, 0);
  const int on = 1;
  ::setsockopt(taken, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(taken, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(taken, 16), 0);
  socklen_t len = sizeof addr;
  ::getsockname(taken, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string port = std::to_string(ntohs(addr.sin_port));
  FrontendProcess p(
      {"--backends", "a=http://127.0.0.1:1", "--threads", "2", "--port", port});
  EXPECT_FALSE(p.started());
  EXPECT_NE(p.stop(), 0);
  EXPECT_NE(p.log().find("cannot listen on 127.0.0.1:" + port),
            std::string::npos)
      << p.log();
  ::close(taken);
}

TEST(FrontendCli, HelpAndBadBackendLists) {
  auto help = FrontendProcess({"--help"});
  EXPECT_FALSE(help.started());
  EXPECT_EQ(help.stop(), 0);
  for (const char* bad : {"gke", "gke=ftp://x", "a=http://h:1,a=http://h:2",
                          "bad name=http://h", "a=http://h/?q=1"}) {
    FrontendProcess p({"--backends", bad});
    EXPECT_FALSE(p.started()) << bad;
    EXPECT_EQ(p.stop(), 2) << bad;
    EXPECT_NE(p.log().find("backend"), std::string::npos) << p.log();
  }
}

// The exit status of `program args...` (no shell), waited for.
int run_to_exit(const std::string& program, std::vector<std::string> args) {
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// What the containers' HEALTHCHECK runs: 0 while the service answers
// /healthz, 1 when nothing listens.
TEST(ServiceCli, HealthCheckModeAsksTheRunningService) {
  BackendProcess backend;
  ASSERT_TRUE(backend.started());
  FrontendProcess frontend(
      {"--backends", "gke=http://127.0.0.1:" + std::to_string(backend.port())});
  ASSERT_TRUE(frontend.started());
  EXPECT_EQ(
      run_to_exit(bin_dir() + "/playground-backend",
                  {"--health-check", "--port", std::to_string(backend.port())}),
      0);
  EXPECT_EQ(run_to_exit(
                bin_dir() + "/playground-frontend",
                {"--port", std::to_string(frontend.port()), "--health-check"}),
            0);
  const std::string nobody = std::to_string(free_port());
  EXPECT_EQ(run_to_exit(bin_dir() + "/playground-backend",
                        {"--health-check", "--port", nobody}),
            1);
  EXPECT_EQ(run_to_exit(bin_dir() + "/playground-frontend",
                        {"--health-check", "--port", nobody}),
            1);
}

}  // namespace
}  // namespace playground::testing
