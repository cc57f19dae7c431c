// Blocking HTTP client for tests (see http_client.h).
#include "support/http_client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace playground::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

boost::json::object HttpReply::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

std::string HttpReply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

struct HttpClient::Impl {
  uint16_t port;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;

  bool connect() {
    boost::system::error_code ec;
    socket = tcp::socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                   ec);
    buffer.clear();
    return !ec;
  }
};

HttpClient::HttpClient(uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->port = port;
  impl_->connect();
}

HttpClient::~HttpClient() = default;

uint16_t HttpClient::local_port() const {
  boost::system::error_code ec;
  auto ep = impl_->socket.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

HttpReply HttpClient::request(
    const std::string& method, const std::string& target,
    const std::string& body, const std::string& content_type,
    const std::map<std::string, std::string>& headers) {
  HttpReply reply;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->socket.is_open() && !impl_->connect()) return reply;
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method),
                                           target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!content_type.empty())
      req.set(bhttp::field::content_type, content_type);
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    boost::system::error_code ec;
    bhttp::write(impl_->socket, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    // An answer to HEAD announces the GET answer's length but has no body.
    parser.skip(method == "HEAD");
    if (!ec) bhttp::read(impl_->socket, impl_->buffer, parser, ec);
    if (ec) {
      // A kept-alive connection the server closed meanwhile: retry once.
      impl_->socket.close(ec);
      continue;
    }
    auto res = parser.release();
    reply.status = res.result_int();
    reply.body = res.body();
    reply.keep_alive = res.keep_alive();
    for (auto& field : res) {
      std::string name(field.name_string());
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
    }
    if (!reply.keep_alive) impl_->socket.close(ec);
    return reply;
  }
  return reply;
}

HttpReply eval(uint16_t port, const std::string& code,
               const std::string& stdin_data, int timeout_ms) {
  boost::json::object req{{"code", code}};
  if (!stdin_data.empty()) req["stdin"] = stdin_data;
  if (timeout_ms > 0) req["timeout_ms"] = timeout_ms;
  HttpClient client(port);
  return client.post("/py/eval", boost::json::serialize(req));
}

boost::json::object eval_json(uint16_t port, const std::string& code,
                              const std::string& stdin_data, int timeout_ms) {
  return eval(port, code, stdin_data, timeout_ms).json();
}

std::string raw_exchange(uint16_t port, const std::string& bytes, int wait_ms) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return "";
  asio::write(socket, asio::buffer(bytes), ec);
  std::string out;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{socket.native_handle(), POLLIN, 0};
    int left =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                             deadline - std::chrono::steady_clock::now())
                             .count());
    if (::poll(&p, 1, std::max(left, 1)) <= 0) break;
    ssize_t n = ::recv(socket.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

double metric(uint16_t port, const std::string& series) {
  const std::string text = HttpClient(port).get("/metrics").body;
  size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      return std::stod(text.substr(at + series.size() + 1));
    }
    at += series.size();
  }
  return -1;
}

}  // namespace playground::testing
