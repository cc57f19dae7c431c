// playground-bench: load generator for the benchmarks in bench/.
//
//   playground-bench spawn --concurrency 4 --seconds 5 [--script DIR]
//       the physical reference: start and finish bare
//       /usr/bin/python3 -I -S -c CODE as fast as possible, stdout via a pipe;
//       with --script, `/usr/bin/python3 main.py` in DIR (where CODE is
//       written to main.py), what the sandbox runs
//   playground-bench http --port 6000 --concurrency 4 --seconds 5
//       closed loop: N keep-alive connections, each sends when answered
//   playground-bench http --port 6000 --rate 50 --seconds 5
//       open loop: requests scheduled at a fixed rate whatever the answers
//       (up to 64 in flight); latency counts from the scheduled time, so a
//       server that falls behind is not flattered (no coordinated omission)
//
// Other flags: --path (default /py/eval), --code, --expect (stdout every
// answer must have) or --expect-size (its length), --warmup. Every answer is
// checked. Prints one JSON object: mode, concurrency, offered_per_s, requests,
// errors, rate_per_s, p50_ms, p90_ms, p99_ms.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

struct Settings {
  std::string mode;
  int concurrency = 1;
  double rate = 0;  // open loop when > 0
  double seconds = 5;
  double warmup = 1;
  int port = 6000;
  std::string path = "/py/eval";
  std::string code = "print(\"hello\")";
  std::string expect = "hello\n";
  long expect_size =
      -1;  // when >= 0: check stdout's length instead of its text
  std::string python = "/usr/bin/python3";
  std::string script_dir;  // spawn `python3 main.py` there instead of -I -S -c
};

struct Sample {
  std::vector<double> latencies_ms;
  long errors = 0;
  std::string first_error;
};

// One bare interpreter run, its stdout read through a pipe like the sandbox's.
bool spawn_once(const Settings& s, std::string& error) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  const char* command[] = {"python3", "-I",           "-S",
                           "-c",      s.code.c_str(), nullptr};
  const char* script[] = {s.python.c_str(), "main.py", nullptr};
  if (!s.script_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, s.script_dir.c_str());
  }
  const char* envp[] = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/tmp",
                        nullptr};
  pid_t pid;
  int rc =
      posix_spawn(&pid, s.python.c_str(), &actions, nullptr,
                  const_cast<char**>(s.script_dir.empty() ? command : script),
                  const_cast<char**>(envp));
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    error = "posix_spawn failed";
    return false;
  }
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  const bool as_expected = s.expect_size >= 0
                               ? static_cast<long>(out.size()) == s.expect_size
                               : out == s.expect;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !as_expected) {
    error = "unexpected output from bare python (" +
            std::to_string(out.size()) + " bytes)";
    return false;
  }
  return true;
}

class HttpEval {
 public:
  explicit HttpEval(const Settings& s) : s_(s) {
    body_ = boost::json::serialize(boost::json::object{{"code", s.code}});
  }
  bool once(std::string& error) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      boost::system::error_code ec;
      if (!socket_.is_open()) {
        socket_.connect({asio::ip::make_address("127.0.0.1"),
                         static_cast<uint16_t>(s_.port)},
                        ec);
        if (ec) {
          error = "connect: " + ec.message();
          return false;
        }
        socket_.set_option(asio::ip::tcp::no_delay(true));
      }
      bhttp::request<bhttp::string_body> req{bhttp::verb::post, s_.path, 11};
      req.set(bhttp::field::host, "127.0.0.1");
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body_;
      req.prepare_payload();
      bhttp::write(socket_, req, ec);
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(64 << 20);
      if (!ec) bhttp::read(socket_, buffer_, parser, ec);
      if (ec) {
        socket_.close(ec);
        error = "io: " + ec.message();
        continue;
      }
      auto& res = parser.get();
      if (!res.keep_alive()) socket_.close(ec);
      if (res.result_int() != 200) {
        error = "status " + std::to_string(res.result_int()) + ": " +
                res.body().substr(0, 200);
        return false;
      }
      auto v = boost::json::parse(res.body(), ec);
      const boost::json::value* out =
          ec || !v.is_object() ? nullptr : v.as_object().if_contains("stdout");
      const bool as_expected =
          out != nullptr && out->is_string() &&
          (s_.expect_size >= 0
               ? static_cast<long>(out->as_string().size()) == s_.expect_size
               : out->as_string() == s_.expect);
      if (!as_expected) {
        error = "unexpected answer: " + res.body().substr(0, 200);
        return false;
      }
      return true;
    }
    return false;
  }

 private:
  const Settings& s_;
  std::string body_;
  asio::io_context io_;
  asio::ip::tcp::socket socket_{io_};
  boost::beast::flat_buffer buffer_;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

int run(const Settings& s) {
  const bool open_loop = s.rate > 0;
  const int workers_count = open_loop ? 64 : s.concurrency;
  std::vector<Sample> samples(static_cast<size_t>(workers_count));
  std::atomic<bool> measuring{false}, stop{false};
  std::atomic<long> next_slot{0};
  const auto schedule_start = Clock::now();
  std::vector<std::thread> workers;
  for (int i = 0; i < workers_count; ++i) {
    workers.emplace_back([&, i] {
      Sample& mine = samples[static_cast<size_t>(i)];
      std::unique_ptr<HttpEval> http;
      if (s.mode == "http") http = std::make_unique<HttpEval>(s);
      while (!stop.load()) {
        auto t0 = Clock::now();
        if (open_loop) {
          // Take the next slot of the schedule and wait for its time.
          const long k = next_slot.fetch_add(1);
          t0 = schedule_start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(k / s.rate));
          std::this_thread::sleep_until(t0);
          if (stop.load()) break;
        }
        std::string error;
        bool ok = http ? http->once(error) : spawn_once(s, error);
        const double ms =
            std::chrono::duration<double, std::milli>(Clock::now() - t0)
                .count();
        if (!measuring.load() || stop.load()) continue;
        if (ok) {
          mine.latencies_ms.push_back(ms);
        } else if (mine.errors++ == 0) {
          mine.first_error = error;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(s.warmup));
  measuring = true;
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  stop = true;
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& t : workers) t.join();

  std::vector<double> all;
  long errors = 0;
  std::string first_error;
  for (auto& m : samples) {
    all.insert(all.end(), m.latencies_ms.begin(), m.latencies_ms.end());
    errors += m.errors;
    if (first_error.empty()) first_error = m.first_error;
  }
  boost::json::object out{
      {"mode", s.mode},
      {"concurrency", open_loop ? 0 : s.concurrency},
      {"offered_per_s", s.rate},
      {"requests", all.size()},
      {"errors", errors},
      {"rate_per_s", static_cast<double>(all.size()) / elapsed},
      {"p50_ms", percentile(all, 0.50)},
      {"p90_ms", percentile(all, 0.90)},
      {"p99_ms", percentile(all, 0.99)},
  };
  if (!first_error.empty()) out["first_error"] = first_error;
  std::cout << boost::json::serialize(out) << "\n";
  return errors > 0 && all.empty() ? 1 : 0;
}

void usage() {
  std::cerr
      << "usage: playground-bench spawn|http [--concurrency N | --rate "
         "R] [--seconds S]\n"
         "       [--warmup S] [--port P] [--path P] [--code CODE]\n"
         "       [--expect STDOUT | --expect-size BYTES] [--script DIR]\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage();
    return 2;
  }
  Settings s;
  s.mode = argv[1];
  if (s.mode != "spawn" && s.mode != "http") {
    usage();
    return 2;
  }
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--concurrency") {
      s.concurrency = std::max(1, std::stoi(value));
    } else if (flag == "--rate") {
      s.rate = std::stod(value);
    } else if (flag == "--seconds") {
      s.seconds = std::stod(value);
    } else if (flag == "--warmup") {
      s.warmup = std::stod(value);
    } else if (flag == "--port") {
      s.port = std::stoi(value);
    } else if (flag == "--path") {
      s.path = value;
    } else if (flag == "--code") {
      s.code = value;
    } else if (flag == "--expect") {
      s.expect = value;
    } else if (flag == "--expect-size") {
      s.expect_size = std::stol(value);
    } else if (flag == "--script") {
      s.script_dir = value;
    } else {
      usage();
      return 2;
    }
  }
  if (!s.script_dir.empty()) {
    std::ofstream main_py(s.script_dir + "/main.py", std::ios::trunc);
    main_py << s.code;
    if (!main_py.flush()) {
      std::cerr << "cannot write " << s.script_dir << "/main.py\n";
      return 2;
    }
  }
  return run(s);
}
