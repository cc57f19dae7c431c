// Hostile clients against the real backend and frontend: slowloris, bodies
// that never end, thousands of idle connections, pipelining, oversized
// headers, request smuggling, and clients that leave mid-evaluation. Each
// attack must get a clear status or a closed connection within a bounded
// time while a well-behaved client keeps getting correct answers, and a
// client that leaves must not leave its sandbox running.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/leftovers.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace bhttp = boost::beast::http;

// Short client timeouts, so the slow attacks end quickly.
const std::vector<std::string> kTimeouts = {"--header-timeout", "1s",
                                            "--body-timeout", "1s"};

// A connection with the headers of a chunked JSON POST sent, body to follow.
int open_chunked_post(uint16_t port, const std::string& path) {
  int fd = connect_to(port);
  if (fd >= 0) {
    send_all(fd, "POST " + path +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                     "application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  }
  return fd;
}

struct Received {
  std::string bytes;
  bool closed = false;  // the server closed (or reset) the connection
  std::chrono::milliseconds took{0};
};

// Reads until the server closes the connection or `timeout` passes; with
// `each`, calls it every 50 ms of silence (to dribble bytes) until it
// returns false.
Received read_until_closed(int fd, std::chrono::milliseconds timeout,
                           const std::function<bool()>& each = nullptr) {
  Received r;
  const auto start = Clock::now();
  char buf[65536];
  bool dribbling = static_cast<bool>(each);
  while (Clock::now() - start < timeout) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) == 0) {
      if (dribbling) dribbling = each();
      continue;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      r.closed = true;
      break;
    }
    r.bytes.append(buf, static_cast<size_t>(n));
  }
  r.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                                 start);
  return r;
}

struct Parsed {
  int status = 0;
  std::string body;
};

// Every complete response in `bytes`, in order.
std::vector<Parsed> parse_responses(const std::string& bytes) {
  std::vector<Parsed> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(64 << 20);
    boost::system::error_code ec;
    while (!parser.is_done() && pos < bytes.size()) {
      size_t n = parser.put(
          boost::asio::buffer(bytes.data() + pos, bytes.size() - pos), ec);
      pos += n;
      if (ec || n == 0) break;
    }
    if (!parser.is_done()) break;
    out.push_back(
        {static_cast<int>(parser.get().result_int()), parser.get().body()});
  }
  return out;
}

// A slow client's clear answer: `status`, or the connection closed without
// a word (a timeout closes the socket before anything can be written).
void expect_status_or_closed(const Received& r, int status,
                             const std::string& what) {
  EXPECT_TRUE(r.closed) << what;
  EXPECT_LT(r.took, 3s) << what;
  if (r.bytes.empty()) return;
  auto responses = parse_responses(r.bytes);
  ASSERT_EQ(responses.size(), 1u) << what << ": " << r.bytes;
  EXPECT_EQ(responses[0].status, status) << what;
}

std::string eval_body(const std::string& code, int timeout_ms = 0) {
  boost::json::object o{{"code", code}};
  if (timeout_ms > 0) o["timeout_ms"] = timeout_ms;
  return boost::json::serialize(o);
}

std::string post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + path +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

// A client that keeps evaluating, through the backend and the frontend in
// turn, and checks every answer.
class WellBehaved {
 public:
  WellBehaved(uint16_t backend, uint16_t frontend)
      : thread_([this, backend, frontend] { loop(backend, frontend); }) {}
  ~WellBehaved() { finish(); }

  // Stops once a few answers came (10 s at most); "" when at least a few
  // came and every one was right.
  std::string finish() {
    const auto deadline = Clock::now() + 10s;
    while (answered_ < 3 && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (answered_ < 3) {
      return "only " + std::to_string(answered_) + " answers; " + problems_;
    }
    return problems_;
  }

 private:
  void loop(uint16_t backend, uint16_t frontend) {
    HttpClient to_backend(backend), to_frontend(frontend);
    for (int i = 0; !stop_; ++i) {
      const std::string expect = std::to_string(700000 + i);
      const bool via_frontend = i % 2 == 1;
      HttpReply r =
          via_frontend
              ? to_frontend.post("/python", eval_body("print(" + expect + ")"))
              : to_backend.post("/py/eval", eval_body("print(" + expect + ")"));
      auto j = r.json();
      if (r.status == 200 && j.contains("stdout") && j["stdout"].is_string() &&
          j["stdout"].as_string() == expect + "\n") {
        ++answered_;
      } else if (problems_.size() < 500) {
        problems_ += std::string(via_frontend ? "frontend" : "backend") +
                     " answered " + std::to_string(r.status) + " " + r.body +
                     "; ";
      }
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::string problems_;
  std::thread thread_;
};

class HostileClients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<std::string> b = kTimeouts;
    b.insert(b.end(), {"--max-wall", "30s"});
    backend_ = new BackendProcess(b);
    std::vector<std::string> f = kTimeouts;
    f.insert(f.end(),
             {"--rate-limit", "0", "--upstream-timeout", "40s", "--backends",
              "a=http://127.0.0.1:" + std::to_string(backend_->port())});
    frontend_ = new FrontendProcess(f);
  }
  static void TearDownTestSuite() {
    delete frontend_;
    delete backend_;
    frontend_ = nullptr;
    backend_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(backend_->started()) << backend_->log();
    ASSERT_TRUE(frontend_->started()) << frontend_->log();
  }

  struct Target {
    const char* name;
    uint16_t port;
    const char* eval_path;
  };
  static std::vector<Target> targets() {
    return {{"backend", backend_->port(), "/py/eval"},
            {"frontend", frontend_->port(), "/python"}};
  }

  static BackendProcess* backend_;
  static FrontendProcess* frontend_;
};
BackendProcess* HostileClients::backend_ = nullptr;
FrontendProcess* HostileClients::frontend_ = nullptr;

TEST_F(HostileClients, SlowlorisIsClosedAtTheHeaderTimeout) {
  WellBehaved good(backend_->port(), frontend_->port());
  for (const Target& t : targets()) {
    int fd = connect_to(t.port);
    ASSERT_GE(fd, 0);
    std::string headers =
        std::string("POST ") + t.eval_path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 200; ++i)
      headers += "X-Slow-" + std::to_string(i) + ": a\r\n";
    size_t next = 0;
    // One byte every 50 ms: the 1 s header timeout ends it.
    Received r = read_until_closed(fd, 5s, [&] {
      return next < headers.size() && send_all(fd, headers.substr(next++, 1));
    });
    ::close(fd);
    expect_status_or_closed(r, 408, t.name);
    EXPECT_GT(next, 10u) << "the server closed before the header timeout";
  }
  EXPECT_EQ(good.finish(), "");
}

TEST_F(HostileClients, BodyThatNeverEndsIsClosedOrRefused) {
  WellBehaved good(backend_->port(), frontend_->port());
  for (const Target& t : targets()) {
    // Announced long, sent short.
    int fd = connect_to(t.port);
    ASSERT_GE(fd, 0);
    send_all(fd, std::string("POST ") + t.eval_path +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                     "application/json\r\nContent-Length: 100000\r\n\r\n"
                     "{\"code\": \"");
    Received r = read_until_closed(fd, 5s);
    ::close(fd);
    expect_status_or_closed(r, 408, std::string(t.name) + ", short body");

    // Chunks that keep coming, slowly, forever.
    fd = open_chunked_post(t.port, t.eval_path);
    ASSERT_GE(fd, 0);
    r = read_until_closed(fd, 5s, [&] { return send_all(fd, "1\r\n \r\n"); });
    ::close(fd);
    expect_status_or_closed(r, 408, std::string(t.name) + ", slow chunks");

    // Chunks that keep coming fast: the body limit (2 MiB) ends it.
    fd = open_chunked_post(t.port, t.eval_path);
    ASSERT_GE(fd, 0);
    const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    int sent = 0;
    r = read_until_closed(fd, 5s, [&] {
      for (int i = 0; i < 16; ++i) {
        if (!send_all(fd, chunk)) return false;
        ++sent;
      }
      return sent < 40;  // 2.5 MiB, over the 2 MiB limit
    });
    ::close(fd);
    EXPECT_TRUE(r.closed) << t.name;
    auto responses = parse_responses(r.bytes);
    ASSERT_EQ(responses.size(), 1u) << t.name << ": " << r.bytes;
    EXPECT_EQ(responses[0].status, 413) << t.name;
  }
  EXPECT_EQ(good.finish(), "");
}

// Resident memory of a process, in KiB.
long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// 400 connections each announce a 1.9 MB body and send all of it but the
// last byte, then wait: what the service holds for them is bounded by its
// body budget (64 MiB in all, 16 MiB per client address at the frontend),
// whatever their number; the rest are answered 503 at once. A well-behaved
// client keeps its answers meanwhile, and the memory is given back after.
TEST(HostileBodies, HalfSentBodiesCannotGrowMemory) {
  constexpr int kConnections = 400;
  constexpr size_t kBody = 1'900'000;
  const std::string filler(kBody - 1, ' ');
  // The default body timeout (30 s): the bodies stay held while measured.
  BackendProcess backend;
  ASSERT_TRUE(backend.started()) << backend.log();
  FrontendProcess frontend(
      {"--rate-limit", "0", "--backends",
       "a=http://127.0.0.1:" + std::to_string(backend.port())});
  ASSERT_TRUE(frontend.started()) << frontend.log();
  struct Target {
    const char* name;
    ServiceProcess* service;
    const char* eval_path;
  };
  for (const Target& t : {Target{"backend", &backend, "/py/eval"},
                          Target{"frontend", &frontend, "/python"}}) {
    const pid_t pid = t.service->pid();
    WellBehaved good(backend.port(), frontend.port());
    const long before = rss_kib(pid);
    std::vector<int> fds;
    for (int i = 0; i < kConnections; ++i) {
      const int fd = connect_to(t.service->port());
      ASSERT_GE(fd, 0);
      fds.push_back(fd);
      // Refused ones fail part way (the service answered 503 and closed).
      send_all(fd, std::string("POST ") + t.eval_path +
                       " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                       "application/json\r\nContent-Length: " +
                       std::to_string(kBody) + "\r\n\r\n") &&
          send_all(fd, filler);
    }
    std::this_thread::sleep_for(300ms);
    // Held: nothing to read yet, the service waits for the last byte.
    std::vector<int> held;
    int refused = 0;
    for (int fd : fds) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 0) == 1) {
        ++refused;
        ::close(fd);
      } else {
        held.push_back(fd);
      }
    }
    const long during = rss_kib(pid);
    std::cout << t.name << ": RSS " << before / 1024 << " MiB before, "
              << during / 1024 << " MiB holding " << held.size()
              << " half-sent 1.9 MB bodies (" << refused << " refused)";
    EXPECT_GT(refused, kConnections / 2) << t.name;
    // The budget (64 MiB) and the service's own memory; without the bound
    // 400 bodies held 760 MB.
    EXPECT_LT(during - before, 96 * 1024) << t.name;
    for (int fd : held) ::close(fd);
    EXPECT_EQ(good.finish(), "") << t.name;
    // Given back: big bodies are their own mappings, unmapped when freed.
    ASSERT_TRUE(
        wait_until([&] { return rss_kib(pid) - before < 16 * 1024; }, 5s))
        << t.name << ": " << rss_kib(pid) / 1024 << " MiB after closing";
    std::cout << ", " << rss_kib(pid) / 1024 << " MiB after\n";
  }
}

TEST_F(HostileClients, ThousandsOfIdleConnectionsAreClosedAndOthersServed) {
  constexpr int kIdle = 2000;  // per service
  std::vector<int> idle;
  const auto opened = Clock::now();
  for (const Target& t : targets()) {
    for (int i = 0; i < kIdle; ++i) {
      int fd = connect_to(t.port);
      ASSERT_GE(fd, 0) << t.name << " refused connection " << i;
      idle.push_back(fd);
    }
  }
  // Meanwhile, evaluations go on.
  WellBehaved good(backend_->port(), frontend_->port());
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(good.finish(), "");
  // A connection owes its first request within the header timeout (1 s):
  // every idle one is closed by the server, none is answered.
  int closed = 0;
  std::string answered;
  for (int fd : idle) {
    const auto left =
        std::max<Clock::duration>(10ms, 5s - (Clock::now() - opened));
    Received r = read_until_closed(
        fd, std::chrono::duration_cast<std::chrono::milliseconds>(left));
    if (r.closed) ++closed;
    if (!r.bytes.empty() && answered.empty()) answered = r.bytes;
    ::close(fd);
  }
  EXPECT_EQ(closed, 2 * kIdle);
  EXPECT_EQ(answered, "");
  // (The frontend keeps a few connections to the backend.)
  for (uint16_t port : {backend_->port(), frontend_->port()}) {
    EXPECT_TRUE(wait_until(
        [port] { return metric(port, "playground_http_connections") < 10; },
        3s));
  }
}

TEST_F(HostileClients, PipelinedRequestsAreAnsweredInOrder) {
  WellBehaved good(backend_->port(), frontend_->port());
  for (const Target& t : targets()) {
    int fd = connect_to(t.port);
    ASSERT_GE(fd, 0);
    send_all(fd, post(t.eval_path, eval_body("print('first')")) +
                     "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
                     post(t.eval_path, eval_body("print('third')")) +
                     "GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Connection: close\r\n\r\n");
    Received r = read_until_closed(fd, 10s);
    ::close(fd);
    EXPECT_TRUE(r.closed) << t.name;
    auto responses = parse_responses(r.bytes);
    ASSERT_EQ(responses.size(), 4u) << t.name << ": " << r.bytes;
    EXPECT_EQ(responses[0].status, 200);
    EXPECT_NE(responses[0].body.find(R"("stdout":"first\n")"),
              std::string::npos)
        << responses[0].body;
    EXPECT_EQ(responses[1].status, 200);
    EXPECT_NE(responses[1].body.find(R"("status":"ok")"), std::string::npos);
    EXPECT_EQ(responses[2].status, 200);
    EXPECT_NE(responses[2].body.find(R"("stdout":"third\n")"),
              std::string::npos)
        << responses[2].body;
    EXPECT_EQ(responses[3].status, 404);
  }
  EXPECT_EQ(good.finish(), "");
}

TEST_F(HostileClients, OversizedHeadersGet431AndAreClosed) {
  WellBehaved good(backend_->port(), frontend_->port());
  for (const Target& t : targets()) {
    // One huge header, then many small ones.
    for (const std::string& headers :
         {"X-Big: " + std::string(64 * 1024, 'a') + "\r\n", [] {
            std::string h;
            for (int i = 0; i < 3000; ++i)
              h += "X-N" + std::to_string(i) + ": v\r\n";
            return h;
          }()}) {
      int fd = connect_to(t.port);
      ASSERT_GE(fd, 0);
      send_all(fd, std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n") +
                       headers + "\r\n");
      Received r = read_until_closed(fd, 5s);
      ::close(fd);
      EXPECT_TRUE(r.closed) << t.name;
      EXPECT_LT(r.took, 3s);
      auto responses = parse_responses(r.bytes);
      ASSERT_EQ(responses.size(), 1u) << t.name << ": " << r.bytes;
      EXPECT_EQ(responses[0].status, 431) << t.name;
    }
  }
  EXPECT_EQ(good.finish(), "");
}

// Framing a front proxy and a server could disagree on. Each must get 400
// (408 when no line ever ends) and a closed connection, and the request
// hidden behind it must never be answered.
TEST_F(HostileClients, SmugglingAttemptsAreRefusedAndNothingIsSmuggled) {
  const std::string smuggled =
      "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  struct Attack {
    const char* name;
    std::string head;  // request line and headers, without the final CRLF
    std::string body;
    int status;  // 400; 0: 400 or 408
  };
  WellBehaved good(backend_->port(), frontend_->port());
  for (const Target& t : targets()) {
    const std::string line = std::string("POST ") + t.eval_path +
                             " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\n";
    const std::string json = R"j({"code":"print(1)"})j";
    const std::string chunked_json =
        "13\r\n" + json + "\r\n0\r\n\r\n";  // 0x13 = 19 bytes
    const std::vector<Attack> attacks = {
        {"content-length then transfer-encoding",
         line + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
         chunked_json + smuggled, 400},
        {"transfer-encoding then content-length",
         line + "Transfer-Encoding: chunked\r\nContent-Length: 200\r\n",
         chunked_json + smuggled, 400},
        {"two different content-lengths",
         line + "Content-Length: 19\r\nContent-Length: 60\r\n", json + smuggled,
         400},
        {"chunked not last", line + "Transfer-Encoding: chunked, identity\r\n",
         chunked_json + smuggled, 400},
        {"unknown transfer coding", line + "Transfer-Encoding: xchunked\r\n",
         chunked_json + smuggled, 400},
        {"transfer-encoding in HTTP/1.0",
         std::string("POST ") + t.eval_path +
             " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: "
             "application/json\r\nTransfer-Encoding: chunked\r\n",
         chunked_json + smuggled, 400},
        {"space before the colon", line + "Content-Length : 19\r\n",
         json + smuggled, 400},
        {"content-length with a sign", line + "Content-Length: +19\r\n",
         json + smuggled, 400},
        {"folded content-length", line + "Content-Length: 1\r\n 9\r\n",
         json + smuggled, 400},
        {"chunk size overflow", line + "Transfer-Encoding: chunked\r\n",
         "ffffffffffffffffffff\r\n" + json + "\r\n0\r\n\r\n" + smuggled, 400},
        {"bare LF line ends",
         std::string("POST ") + t.eval_path +
             " HTTP/1.1\nHost: 127.0.0.1\nContent-Length: 19\n",
         json + smuggled, 0},
    };
    for (const Attack& a : attacks) {
      int fd = connect_to(t.port);
      ASSERT_GE(fd, 0);
      send_all(fd, a.head + (a.status == 0 ? "\n" : "\r\n") + a.body);
      Received r = read_until_closed(fd, 5s);
      ::close(fd);
      EXPECT_TRUE(r.closed) << t.name << ", " << a.name;
      EXPECT_LT(r.took, 3s) << t.name << ", " << a.name;
      auto responses = parse_responses(r.bytes);
      ASSERT_EQ(responses.size(), 1u)
          << t.name << ", " << a.name << ": " << r.bytes;
      if (a.status == 0) {
        EXPECT_TRUE(responses[0].status == 400 || responses[0].status == 408)
            << t.name << ", " << a.name << ": " << r.bytes;
      } else {
        EXPECT_EQ(responses[0].status, a.status)
            << t.name << ", " << a.name << ": " << r.bytes;
      }
    }
  }
  EXPECT_EQ(good.finish(), "");
  // Nobody ever saw the hidden request, nor did the frontend forward one.
  EXPECT_EQ(backend_->log().find("/smuggled"), std::string::npos);
  EXPECT_EQ(frontend_->log().find("/smuggled"), std::string::npos);
}

// A client that leaves mid-evaluation: its sandbox is killed at once (not at
// the 20 s deadline), counted and logged, directly and through the frontend.
TEST_F(HostileClients, ClientLeavingMidEvaluationKillsItsSandbox) {
  const uint16_t bport = backend_->port();
  const std::string cancelled = R"(playground_evals_total{status="cancelled"})";
  for (const Target& t : targets()) {
    const HostState before = HostState::capture(backend_->pid());
    const double cancelled_before = std::max(0.0, metric(bport, cancelled));
    WellBehaved good(backend_->port(), frontend_->port());
    int fd = connect_to(t.port);
    ASSERT_GE(fd, 0);
    send_all(fd, post(t.eval_path,
                      eval_body("import time\nprint('started', flush=True)\n"
                                "while True:\n    time.sleep(0.01)\n",
                                20000)));
    // It really runs: the sleeper's sandbox is up.
    EXPECT_TRUE(wait_until(
        [&] { return metric(bport, "playground_sandboxes_running") >= 1; },
        3s));
    std::this_thread::sleep_for(300ms);
    ::close(fd);
    const auto left = Clock::now();
    EXPECT_TRUE(wait_until(
        [&] { return metric(bport, cancelled) >= cancelled_before + 1; }, 2s))
        << t.name << ": " << backend_->log();
    const auto seen = Clock::now() - left;
    EXPECT_EQ(good.finish(), "") << t.name;
    EXPECT_LT(seen, 1500ms) << t.name;
    EXPECT_TRUE(wait_until(
        [&] { return metric(bport, "playground_sandboxes_running") == 0; }, 2s))
        << t.name;
    EXPECT_EQ(leftovers(backend_->pid(), before), "") << t.name;
  }
  // One line each, as 499 (client closed request).
  EXPECT_NE(backend_->log().find(R"("status":499)"), std::string::npos);
  EXPECT_NE(backend_->log().find(R"("eval_status":"cancelled")"),
            std::string::npos);
  EXPECT_NE(frontend_->log().find(R"("status":499)"), std::string::npos);
  EXPECT_GE(
      metric(
          frontend_->port(),
          R"(playground_frontend_upstream_requests_total{backend="a",outcome="cancelled"})"),
      1);
}

// A client that leaves while its request waits in the queue leaves the
// queue: the slot it would have taken goes to the next one.
TEST(HostileClientsQueue, ClientLeavingWhileQueuedLeavesTheQueue) {
  BackendProcess backend({"--concurrency", "1", "--max-wall", "30s"});
  ASSERT_TRUE(backend.started()) << backend.log();
  // Holds the only slot for 2 s.
  std::thread holder([&] {
    auto j = eval_json(backend.port(), "import time\ntime.sleep(2)\nprint(1)");
    EXPECT_EQ(j["stdout"], "1\n");
  });
  ASSERT_TRUE(wait_until(
      [&] {
        return metric(backend.port(), "playground_sandboxes_running") == 1;
      },
      3s));
  int fd = connect_to(backend.port());
  ASSERT_GE(fd, 0);
  send_all(fd, post("/py/eval", eval_body("print('never')")));
  EXPECT_TRUE(wait_until(
      [&] {
        return metric(backend.port(), "playground_eval_queue_depth") == 1;
      },
      2s));
  ::close(fd);
  EXPECT_TRUE(wait_until(
      [&] {
        return metric(backend.port(), "playground_eval_queue_depth") == 0;
      },
      1s));
  EXPECT_EQ(metric(backend.port(), "playground_sandboxes_running"), 1);
  holder.join();
  // The slot is free again: the next request runs at once.
  EXPECT_EQ(eval_json(backend.port(), "print(2)")["stdout"], "2\n");
  EXPECT_EQ(
      metric(backend.port(), R"(playground_evals_total{status="cancelled"})"),
      1);
}

}  // namespace
}  // namespace playground::testing
