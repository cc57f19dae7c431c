// The HTTP server in-process (http::Server on loopback, driven through raw
// sockets), for what an idle keep-alive connection goes through: the sweep
// parks it (its read buffer given back) once it has idled a whole sweep
// interval, and a parked connection must still answer its next request
// (whole, split across writes, pipelined, with 100-continue), still close
// at its idle or header timeout, and still close at a drain. Connections
// busy with requests back to back are never parked.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/metrics.h"
#include "common/task.h"
#include "http/server.h"
#include "support/http_client.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
namespace bhttp = boost::beast::http;

constexpr milliseconds kSweep = 50ms;
constexpr milliseconds kHeaderTimeout = 1000ms;
constexpr milliseconds kIdleTimeout = 1500ms;
constexpr milliseconds kWatchDelay = 50ms;

struct Answer {
  int status = 0;
  std::string body;
  bool keep_alive = false;
  std::vector<std::string> servers;  // the values of its Server fields
};

// A client connection: what it sends, and the answers it reads back in
// order (bytes past one answer are kept for the next).
class Client {
 public:
  explicit Client(uint16_t port) : fd_(connect_to(port)) {}
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(std::string_view bytes) { return send_all(fd_, bytes); }
  // Says goodbye (a FIN) and still reads what comes.
  void shut_down_writing() { ::shutdown(fd_, SHUT_WR); }

  // The next answer, or none when the connection closed or nothing came
  // within `timeout`.
  std::optional<Answer> answer(milliseconds timeout = 5s) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(64 << 20);  // GET /big's 16 MB
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (!pending_.empty()) {
        boost::system::error_code ec;
        const size_t used = parser.put(
            boost::asio::buffer(pending_.data(), pending_.size()), ec);
        pending_.erase(0, used);
        if (ec && ec != bhttp::error::need_more) return std::nullopt;
        if (parser.is_done()) {
          Answer a{static_cast<int>(parser.get().result_int()),
                   parser.get().body(), parser.get().keep_alive()};
          for (const auto& f : parser.get()) {
            if (f.name() == bhttp::field::server)
              a.servers.emplace_back(f.value());
          }
          return a;
        }
      }
      if (!receive(deadline)) return std::nullopt;
    }
  }

  // Waits for the server to close: true when it did within `timeout`
  // (anything it sent first is kept in `unread`).
  bool closed_within(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (receive(deadline)) {
    }
    return closed_;
  }

  std::string unread() const { return pending_; }

 private:
  // Appends what arrives before `deadline`; false on close or timeout.
  bool receive(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= 0ms) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    pending_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::string pending_;
  bool closed_ = false;
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

std::string post(const std::string& target, const std::string& body,
                 const std::string& extra = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: test\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

// 16 MB, more than a loopback socket takes at once, with a byte that
// changes every 4 KB so that a lost or repeated piece shows.
const std::string& big_body() {
  static const std::string body = [] {
    std::string b(16 << 20, 'x');
    for (size_t i = 0; i < b.size(); i += 4096) {
      b[i] = static_cast<char>('a' + (i / 4096) % 26);
    }
    return b;
  }();
  return body;
}

// An http::Server with short timeouts and a fast sweep, on an io_context of
// its own thread. GET /hello answers {"hello":"world"}; POST /echo answers
// its body; GET /throws throws; GET /big answers big_body(); POST /wait
// waits for its client to leave (a route with cancel_on_disconnect).
class IdleConnections : public ::testing::Test {
 protected:
  void SetUp() override {
    log::set_level(log::Level::warn);  // no line per request
    http::ServerOptions options;
    options.header_timeout = kHeaderTimeout;
    options.idle_timeout = kIdleTimeout;
    options.sweep_interval = kSweep;
    options.disconnect_watch_delay = kWatchDelay;
    std::vector<http::Route> routes;
    routes.push_back(
        {.path = "/hello",
         .methods = {http::Verb::get},
         .handler = [](http::Request&,
                       http::RequestContext&) -> Task<http::Response> {
           co_return http::json_response(
               http::Status::ok, boost::json::object{{"hello", "world"}});
         }});
    routes.push_back({.path = "/echo",
                      .methods = {http::Verb::post},
                      .body_limit = 1 << 20,
                      .handler = [](http::Request& req, http::RequestContext&)
                          -> Task<http::Response> {
                        co_return http::text_response(http::Status::ok,
                                                      req.body(), "text/plain");
                      }});
    routes.push_back({.path = "/throws",
                      .methods = {http::Verb::get},
                      .handler = [](http::Request&, http::RequestContext&)
                          -> Task<http::Response> {
                        throw std::runtime_error("a handler's bug");
                        co_return http::Response{};
                      }});
    routes.push_back({.path = "/big",
                      .methods = {http::Verb::get},
                      .handler = [](http::Request&, http::RequestContext&)
                          -> Task<http::Response> {
                        co_return http::text_response(http::Status::ok,
                                                      big_body(), "text/plain");
                      }});
    // Waits for the client to leave, for as many milliseconds as its body
    // says at most; answers "gone" or "stayed" and counts the leaves seen.
    routes.push_back(
        {.path = "/wait",
         .methods = {http::Verb::post},
         .body_limit = 64,
         .cancel_on_disconnect = true,
         .handler = [this](http::Request& req,
                           http::RequestContext& ctx) -> Task<http::Response> {
           const auto until =
               Clock::now() + milliseconds(std::stoi(req.body()));
           boost::asio::steady_timer tick(
               co_await boost::asio::this_coro::executor);
           while (!ctx.client_gone.stop_requested() && Clock::now() < until) {
             tick.expires_after(5ms);
             co_await tick.async_wait(use_task);
           }
           const bool gone = ctx.client_gone.stop_requested();
           if (gone) ++leaves_seen_;
           co_return http::text_response(
               http::Status::ok, gone ? "gone" : "stayed", "text/plain");
         }});
    server_ = std::make_unique<http::Server>(io_, options, std::move(routes),
                                             registry_);
    ASSERT_TRUE(server_->listen());
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (!thread_.joinable()) return;  // SetUp failed
    shut_down();
    // A drain that did not finish (a test failed half way) ends here.
    if (!wait_until([this] { return io_.stopped(); }, 5s)) io_.stop();
    thread_.join();
    server_.reset();
    log::set_level(log::Level::info);
  }

  // The server's drain, from its own thread; `drained` is set at its end.
  void shut_down() {
    if (shut_down_) return;
    shut_down_ = true;
    boost::asio::post(io_, [this] {
      server_->shutdown([this] {
        drained_ = true;
        io_.stop();
      });
    });
  }

  uint16_t port() const { return server_->port(); }

  // Parked connections at the last sweep, from the server's metric.
  double parked() const {
    const std::string text = registry_.render();
    const std::string series = "playground_http_connections_parked ";
    const size_t at = text.find("\n" + series);
    return at == std::string::npos
               ? -1
               : std::stod(text.substr(at + 1 + series.size()));
  }

  bool parked_within(double n, milliseconds timeout = 2s) {
    return wait_until([&] { return parked() == n; }, timeout);
  }

  // A connection that got one answer and is now parked.
  std::unique_ptr<Client> parked_client() {
    auto c = std::make_unique<Client>(port());
    EXPECT_TRUE(c->connected());
    c->send(get("/hello"));
    auto a = c->answer();
    EXPECT_TRUE(a && a->status == 200);
    EXPECT_TRUE(parked_within(1)) << "parked: " << parked();
    return c;
  }

  boost::asio::io_context io_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  bool shut_down_ = false;
  std::atomic<bool> drained_{false};
  std::atomic<int> leaves_seen_{0};  // by POST /wait
};

TEST_F(IdleConnections, AParkedConnectionAnswersItsNextRequest) {
  auto c = parked_client();
  // Its first bytes wake it; the rest comes a while later.
  const std::string request = get("/hello");
  ASSERT_TRUE(c->send(request.substr(0, 5)));
  std::this_thread::sleep_for(3 * kSweep);
  ASSERT_TRUE(c->send(request.substr(5)));
  auto a = c->answer();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, R"({"hello":"world"})");
  EXPECT_TRUE(a->keep_alive);
  // Parked again, and again answered: a body this time, larger than the
  // read buffer an idle connection gets.
  EXPECT_TRUE(parked_within(1));
  const std::string big(10'000, 'x');
  ASSERT_TRUE(c->send(post("/echo", big)));
  a = c->answer();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, big);
  EXPECT_TRUE(parked_within(1));
  ASSERT_TRUE(c->send(get("/hello")));
  a = c->answer();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
}

TEST_F(IdleConnections,
       PipelinedRequestsOnAParkedConnectionAreAnsweredInOrder) {
  auto c = parked_client();
  ASSERT_TRUE(c->send(get("/hello") + post("/echo", "second") +
                      get("/nothing-here") + post("/echo", "fourth") +
                      get("/hello", "Connection: close\r\n")));
  std::vector<std::pair<int, std::string>> want = {
      {200, R"({"hello":"world"})"},
      {200, "second"},
      {404, ""},
      {200, "fourth"},
      {200, R"({"hello":"world"})"}};
  for (const auto& [status, body] : want) {
    auto a = c->answer();
    ASSERT_TRUE(a) << "no answer for " << status << " " << body;
    EXPECT_EQ(a->status, status);
    if (!body.empty()) {
      EXPECT_EQ(a->body, body);
    }
  }
  EXPECT_TRUE(c->closed_within(2s));
}

TEST_F(IdleConnections, AParkedConnectionGetsOneHundredContinue) {
  auto c = parked_client();
  const std::string body = R"({"after":"continue"})";
  ASSERT_TRUE(c->send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " +
                      std::to_string(body.size()) +
                      "\r\nExpect: 100-continue\r\n\r\n"));
  auto go = c->answer();
  ASSERT_TRUE(go);
  EXPECT_EQ(go->status, 100);
  ASSERT_TRUE(c->send(body));
  auto a = c->answer();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, body);
}

TEST_F(IdleConnections, AParkedConnectionIsClosedAtItsIdleTimeout) {
  Client c(port());
  ASSERT_TRUE(c.send(get("/hello")));
  ASSERT_TRUE(c.answer());
  const auto answered = Clock::now();
  ASSERT_TRUE(parked_within(1));
  EXPECT_TRUE(c.closed_within(kIdleTimeout + 2s));
  const auto idled = Clock::now() - answered;
  EXPECT_GE(idled, kIdleTimeout - 50ms);
  // The sweep keeps the timeout to within its interval (and a loaded test
  // machine to a little more).
  EXPECT_LT(idled, kIdleTimeout + 10 * kSweep);
  EXPECT_EQ(c.unread(), "");
  EXPECT_TRUE(parked_within(0));
}

TEST_F(IdleConnections, ANewConnectionIsClosedAtItsHeaderTimeout) {
  Client c(port());
  ASSERT_TRUE(c.connected());
  const auto opened = Clock::now();
  // Silent: parked too, then closed without a word.
  EXPECT_TRUE(parked_within(1));
  EXPECT_TRUE(c.closed_within(kHeaderTimeout + 2s));
  const auto idled = Clock::now() - opened;
  EXPECT_GE(idled, kHeaderTimeout - 50ms);
  EXPECT_LT(idled, kHeaderTimeout + 10 * kSweep);
  EXPECT_EQ(c.unread(), "");
}

TEST_F(IdleConnections, ADrainClosesParkedConnections) {
  auto served = parked_client();
  auto fresh = std::make_unique<Client>(port());
  ASSERT_TRUE(fresh->connected());
  ASSERT_TRUE(parked_within(2));
  shut_down();
  EXPECT_TRUE(served->closed_within(2s));
  EXPECT_TRUE(fresh->closed_within(2s));
  // Closed on their side too, as a client does: the server's lingering
  // close ends, and the drain with it.
  served.reset();
  fresh.reset();
  EXPECT_TRUE(wait_until([this] { return drained_.load(); }, 1s));
}

TEST_F(IdleConnections, ConnectionsBusyBackToBackAreNotParked) {
  Client c(port());
  const auto until = Clock::now() + 20 * kSweep;
  int answered = 0;
  while (Clock::now() < until) {
    ASSERT_TRUE(c.send(get("/hello")));
    auto a = c.answer();
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, 200);
    ++answered;
    EXPECT_EQ(parked(), 0) << "after " << answered << " answers";
    std::this_thread::sleep_for(kSweep / 5);
  }
  EXPECT_GT(answered, 20);
}

// The same server, for how answers are written and connections kept.
class HttpServer : public IdleConnections {};

// An answer larger than the socket takes at once (its rest written as the
// client reads) arrives whole, and the connection then serves the next
// request.
TEST_F(HttpServer, AnAnswerLargerThanTheSocketArrivesWholeToASlowReader) {
  Client c(port());
  ASSERT_TRUE(c.send(get("/big") + get("/hello")));
  std::this_thread::sleep_for(300ms);  // the server's writes fill up first
  auto big = c.answer(20s);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 200);
  EXPECT_TRUE(big->body == big_body())
      << "got " << big->body.size() << " bytes of " << big_body().size();
  auto next = c.answer();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, R"({"hello":"world"})");
}

// A handler that throws gets the server's 500; the connection stays open.
TEST_F(HttpServer, AHandlerThatThrowsGetsA500AndTheConnectionLives) {
  Client c(port());
  ASSERT_TRUE(c.send(get("/throws")));
  auto a = c.answer();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 500);
  EXPECT_NE(a->body.find("failed to handle"), std::string::npos) << a->body;
  EXPECT_TRUE(a->keep_alive);
  ASSERT_TRUE(c.send(get("/hello")));
  auto next = c.answer();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

// Every answer, a handler's, a failed handler's or the router's, names the
// server once, and is counted by route and code (the counters are found once
// per loop, so the second of a kind must still count).
TEST_F(HttpServer, EveryAnswerNamesTheServerOnceAndIsCounted) {
  Client c(port());
  for (const char* path : {"/hello", "/hello", "/throws", "/nowhere"}) {
    ASSERT_TRUE(c.send(get(path)));
    auto a = c.answer();
    ASSERT_TRUE(a) << path;
    EXPECT_EQ(a->servers, std::vector<std::string>{"playground"}) << path;
  }
  // Counted once written: just after the client has the answer.
  for (const char* series :
       {R"(playground_http_requests_total{route="/hello",code="200"} 2)",
        R"(playground_http_requests_total{route="/throws",code="500"} 1)",
        R"(playground_http_requests_total{route="unmatched",code="404"} 1)"}) {
    EXPECT_TRUE(wait_until(
        [&] { return registry_.render().find(series) != std::string::npos; },
        2s))
        << series << "\n"
        << registry_.render();
  }
}

// HTTP/1.1 answers keep the connection unless the client asked to close:
// then the answer says "Connection: close" and the server closes.
TEST_F(HttpServer, ConnectionCloseIsAnsweredAndHonoured) {
  Client kept(port());
  ASSERT_TRUE(kept.send(get("/hello")));
  auto a = kept.answer();
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->keep_alive);
  EXPECT_FALSE(kept.closed_within(300ms));

  Client closing(port());
  ASSERT_TRUE(closing.send(get("/hello", "Connection: close\r\n")));
  auto b = closing.answer();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, 200);
  EXPECT_FALSE(b->keep_alive);
  EXPECT_TRUE(closing.closed_within(2s));

  // HTTP/1.0 without keep-alive closes too.
  Client old(port());
  ASSERT_TRUE(old.send("GET /hello HTTP/1.0\r\nHost: test\r\n\r\n"));
  auto c = old.answer();
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->keep_alive);
  EXPECT_TRUE(old.closed_within(2s));
}

// A client that leaves while its handler runs is noticed: its connection
// is watched once the call has run past the watch's delay (between one and
// two delays), then at once.
TEST_F(HttpServer, AClientThatLeavesMidCallIsNoticed) {
  {
    Client c(port());
    ASSERT_TRUE(c.send(post("/wait", "5000")));
    std::this_thread::sleep_for(4 * kWatchDelay);  // the watch has started
  }
  const auto left = Clock::now();
  EXPECT_TRUE(wait_until([&] { return leaves_seen_ == 1; }, 2s));
  EXPECT_LT(Clock::now() - left, 1s);  // not the handler's own 5 s
}

// One that leaves before the watch starts (its end of stream already there
// when the watch's read begins) is noticed too.
TEST_F(HttpServer, AClientThatLeavesBeforeTheWatchStartsIsNoticed) {
  Client c(port());
  ASSERT_TRUE(c.send(post("/wait", "5000")));
  const auto left = Clock::now();
  c.shut_down_writing();  // at once: long before kWatchDelay
  // Nobody to answer: the server closes without.
  EXPECT_TRUE(c.closed_within(3s));
  EXPECT_EQ(c.unread(), "");
  EXPECT_EQ(leaves_seen_, 1);
  EXPECT_LT(Clock::now() - left, 1s);
}

// A kept-alive connection's calls share one stop source (made at its first
// watched call): a call whose watch started and ended does not stop the
// next one's, and a leave during a later call is still noticed.
TEST_F(HttpServer, WatchedCallsOnOneConnectionEachSeeTheirOwnClient) {
  {
    Client c(port());
    for (int i = 0; i < 3; ++i) {
      // Past the watch's delay: each call's watch starts, then is ended.
      ASSERT_TRUE(c.send(post("/wait", "150")));
      auto answer = c.answer();
      ASSERT_TRUE(answer) << i;
      EXPECT_EQ(answer->body, "stayed") << i;
    }
    EXPECT_EQ(leaves_seen_, 0);
    ASSERT_TRUE(c.send(post("/wait", "5000")));
    std::this_thread::sleep_for(4 * kWatchDelay);  // the watch has started
  }
  const auto left = Clock::now();
  EXPECT_TRUE(wait_until([&] { return leaves_seen_ == 1; }, 2s));
  EXPECT_LT(Clock::now() - left, 1s);  // not the handler's own 5 s
}

// Bytes of a next request that arrive while the handler runs are not a
// leave, and the watch leaves them for that request.
TEST_F(HttpServer, APipelinedRequestIsNotALeaveAndIsServed) {
  Client c(port());
  ASSERT_TRUE(c.send(post("/wait", "600")));
  std::this_thread::sleep_for(4 * kWatchDelay);  // the watch has started
  ASSERT_TRUE(c.send(post("/echo", "next")));
  auto first = c.answer();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "stayed");
  auto second = c.answer();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "next");
  EXPECT_EQ(leaves_seen_, 0);
}

}  // namespace
}  // namespace playground::testing
