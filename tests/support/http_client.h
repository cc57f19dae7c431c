// HttpClient: a small blocking HTTP/1.1 client for tests, over a real socket.
//
//   HttpClient client(port);                       // one keep-alive connection
//   HttpReply r = client.post("/py/eval", R"({"code":"print(1)"})");
//   EXPECT_EQ(r.status, 200);
//   EXPECT_EQ(r.json().at("stdout"), "1\n");
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace playground::testing {

struct HttpReply {
  int status = 0;  // 0: no response (connection failed)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  bool keep_alive = false;

  boost::json::object json() const;  // the body as a JSON object (or {})
  std::string header(const std::string& name) const;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port);
  ~HttpClient();

  HttpReply request(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    const std::string& content_type = "",
                    const std::map<std::string, std::string>& headers = {});
  HttpReply get(const std::string& target) { return request("GET", target); }
  HttpReply post(const std::string& target, const std::string& body,
                 const std::string& content_type = "application/json") {
    return request("POST", target, body, content_type);
  }
  // The local port of the current connection (changes when it reconnects).
  uint16_t local_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot helpers on a fresh connection.
HttpReply eval(uint16_t port, const std::string& code,
               const std::string& stdin_data = "", int timeout_ms = 0);
boost::json::object eval_json(uint16_t port, const std::string& code,
                              const std::string& stdin_data = "",
                              int timeout_ms = 0);

// A loopback port nothing listens on now (for a program told to use it, or
// a backend that must be unreachable).
uint16_t free_port();

// A blocking loopback connection to `port` (TCP_NODELAY), for tests that
// write requests byte by byte; -1 when refused. The caller closes it.
int connect_to(uint16_t port);
// Writes all of `bytes`; false when the connection broke.
bool send_all(int fd, std::string_view bytes);

// The value of one series (a name and its labels, as in Prometheus text) of
// the service's GET /metrics, or -1 when absent.
double metric(uint16_t port, const std::string& series);

// Sends raw bytes on a new connection and returns everything read until the
// server closes it or `wait_ms` passes.
std::string raw_exchange(uint16_t port, const std::string& bytes,
                         int wait_ms = 3000);

}  // namespace playground::testing
