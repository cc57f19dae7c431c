// The log's JSON lines, read back from stderr.
#include "common/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <future>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/loop_log.h"

namespace playground {
namespace {

// Runs `body` with stderr going to a file; returns the lines it wrote.
template <class Body>
std::vector<std::string> lines_of(Body body) {
  std::FILE* file = std::tmpfile();
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  body();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::vector<std::string> lines;
  std::rewind(file);
  char buf[4096];
  std::string line;
  while (std::fgets(buf, sizeof buf, file) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  std::fclose(file);
  return lines;
}

// Seconds since the epoch of an RFC 3339 UTC time with milliseconds.
std::time_t seconds_of(const std::string& ts) {
  std::tm tm{};
  EXPECT_NE(strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%S", &tm), nullptr) << ts;
  return timegm(&tm);
}

TEST(Log, ALineIsJsonWithTheTimeLevelMessageAndFields) {
  const std::time_t before = std::time(nullptr);
  auto lines = lines_of([] {
    log::write_text(log::Level::warn, "disk \"full\"", R"("left":0)");
  });
  ASSERT_EQ(lines.size(), 1u);
  const auto line = boost::json::parse(lines[0]).as_object();
  const std::string ts(line.at("ts").as_string());
  EXPECT_TRUE(std::regex_match(
      ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << ts;
  EXPECT_GE(seconds_of(ts), before);
  EXPECT_LE(seconds_of(ts), std::time(nullptr));
  EXPECT_EQ(line.at("level"), "warn");
  EXPECT_EQ(line.at("msg"), "disk \"full\"");
  EXPECT_EQ(line.at("left"), 0);
}

// The time up to the second is kept from line to line: it must still move
// on with the clock.
TEST(Log, TheTimeFollowsTheClockFromLineToLine) {
  auto lines = lines_of([] {
    log::write_text(log::Level::warn, "first", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    log::write_text(log::Level::warn, "second", "");
  });
  ASSERT_EQ(lines.size(), 2u);
  const std::string first(
      boost::json::parse(lines[0]).as_object().at("ts").as_string());
  const std::string second(
      boost::json::parse(lines[1]).as_object().at("ts").as_string());
  EXPECT_GE(seconds_of(second) - seconds_of(first), 1)
      << first << " " << second;
}

// Stderr replaced by a pipe, or a stream socket (as journald gives), that
// the test reads when it chooses: a stalled log collector until then (a
// pipe holds 64 KB, a local socket about 200 KB).
class StderrPipe {
 public:
  enum class Kind { pipe, socket };
  explicit StderrPipe(Kind kind = Kind::pipe) {
    int fds[2];
    if (kind == Kind::pipe) {
      EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    } else {
      EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
      std::swap(fds[0], fds[1]);  // either end: fds[0] reads
    }
    reader_ = fds[0];
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[1]);
  }
  ~StderrPipe() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(reader_);
  }
  // Reads until `done` says so or `timeout` passes; returns all read so far.
  std::string read_until(const std::function<bool(const std::string&)>& done,
                         std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(text_) && std::chrono::steady_clock::now() < deadline) {
      pollfd p{.fd = reader_, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::read(reader_, buf, sizeof buf);
      if (n <= 0) break;
      text_.append(buf, static_cast<size_t>(n));
    }
    return text_;
  }

 private:
  int reader_ = -1;
  int saved_ = -1;
  std::string text_;
};

std::vector<boost::json::object> json_lines(const std::string& text) {
  std::vector<boost::json::object> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(
        boost::json::parse(text.substr(start, end - start)).as_object());
  }
  return lines;
}

bool has_message(const std::string& text, const std::string& msg) {
  return text.find("\"msg\":\"" + msg + "\"") != std::string::npos;
}

// An event loop on a thread of its own, its log batched (http/loop_log.h).
class LoopThread {
 public:
  // Returns once the loop's log is set up.
  LoopThread() : guard_(io_.get_executor()) {
    std::promise<void> batching;
    thread_ = std::thread([this, &batching] {
      http::LoopLog loop_log(io_);
      batching.set_value();
      io_.run();
    });
    batching.get_future().wait();
  }
  ~LoopThread() {
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  // Runs `job` on the loop; the future is ready once it has returned.
  std::future<void> run(std::function<void()> job) {
    auto done = std::make_shared<std::promise<void>>();
    auto ready = done->get_future();
    boost::asio::post(io_, [job = std::move(job), done] {
      job();
      done->set_value();
    });
    return ready;
  }

 private:
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type>
      guard_;
  std::thread thread_;
};

std::string padded(int i, size_t pad) {
  return "\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(pad, 'x') +
         "\"";
}

// A loop never waits for a stalled reader of stderr: its lines, and a
// thread's without a loop, wait in memory; once the reader is back, every
// line arrives, in order.
void expect_no_wait_and_no_loss(StderrPipe::Kind kind) {
  StderrPipe stderr_pipe(kind);
  std::string text;
  {
    LoopThread loop;
    // 2,000 lines of about 400 bytes: four times what a socket holds, and
    // within what may wait (a megabyte).
    auto written = loop.run([] {
      for (int i = 0; i < 2000; ++i) {
        log::write_text(log::Level::info, "batched", padded(i, 300));
      }
      log::write_text(log::Level::warn, "last from the loop", "");
    });
    const bool loop_in_time =
        written.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    auto elsewhere = std::async(std::launch::async, [] {
      log::write_text(log::Level::warn, "from a thread without a loop", "");
    });
    const bool thread_in_time = elsewhere.wait_for(std::chrono::seconds(10)) ==
                                std::future_status::ready;
    text = stderr_pipe.read_until(
        [](const std::string& t) {
          return has_message(t, "from a thread without a loop") &&
                 t.back() == '\n';
        },
        std::chrono::seconds(10));
    EXPECT_TRUE(loop_in_time) << "the loop waited for the log's reader";
    EXPECT_TRUE(thread_in_time) << "a thread waited for the log's reader";
  }
  // Stderr's open file description is shared with other processes: the
  // wait for room must not have made their writes non-blocking.
  EXPECT_EQ(::fcntl(STDERR_FILENO, F_GETFL) & O_NONBLOCK, 0);
  const auto lines = json_lines(text);
  ASSERT_EQ(lines.size(), 2002u);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(lines[i].at("i").as_int64(), i);
  }
  EXPECT_EQ(lines[2000].at("msg"), "last from the loop");
  EXPECT_EQ(lines[2001].at("msg"), "from a thread without a loop");
}

TEST(Log, AFullStderrPipeHoldsNoLoopUpAndLosesNoLine) {
  expect_no_wait_and_no_loss(StderrPipe::Kind::pipe);
}

TEST(Log, AFullStderrSocketHoldsNoLoopUpAndLosesNoLine) {
  expect_no_wait_and_no_loss(StderrPipe::Kind::socket);
}

// A thread without a loop that finds stderr full, with no loop waiting for
// it yet, hands the wait to a loop rather than wait itself.
TEST(Log, AThreadWithoutALoopHandsAFullStderrToALoop) {
  StderrPipe stderr_pipe;
  std::string text;
  {
    LoopThread loop;  // idle: it logs nothing itself
    auto written = std::async(std::launch::async, [] {
      for (int i = 0; i < 2000; ++i) {
        log::write_text(log::Level::warn, "from a thread", padded(i, 300));
      }
    });
    const bool in_time =
        written.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    text = stderr_pipe.read_until(
        [](const std::string& t) {
          return t.find("\"i\":1999,") != std::string::npos && t.back() == '\n';
        },
        std::chrono::seconds(10));
    EXPECT_TRUE(in_time) << "the thread waited for the log's reader";
  }
  const auto lines = json_lines(text);
  ASSERT_EQ(lines.size(), 2000u);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(lines[i].at("i").as_int64(), i);
  }
  EXPECT_EQ(::fcntl(STDERR_FILENO, F_GETFL) & O_NONBLOCK, 0);
}

// Beyond a megabyte waiting, lines are dropped, the newest first, and
// counted in a warning once the reader is back.
TEST(Log, LinesBeyondAMegabyteWaitingAreDroppedAndCounted) {
  StderrPipe stderr_pipe;
  std::string text;
  {
    LoopThread loop;
    auto written = loop.run([] {
      for (int i = 0; i < 1500; ++i) {
        log::write_text(log::Level::info, "batched", padded(i, 1000));
      }
    });
    ASSERT_EQ(written.wait_for(std::chrono::seconds(10)),
              std::future_status::ready);
    text = stderr_pipe.read_until(
        [](const std::string& t) {
          return t.find("\"dropped\":") != std::string::npos &&
                 t.back() == '\n';
        },
        std::chrono::seconds(10));
  }
  const auto lines = json_lines(text);
  ASSERT_GE(lines.size(), 2u);
  const auto& notice = lines.back();
  ASSERT_TRUE(notice.contains("dropped")) << text.substr(text.size() - 300);
  EXPECT_EQ(notice.at("level"), "warn");
  const int64_t dropped = notice.at("dropped").as_int64();
  const int64_t kept = static_cast<int64_t>(lines.size()) - 1;
  EXPECT_GT(dropped, 0);
  EXPECT_EQ(kept + dropped, 1500);
  for (int64_t i = 0; i < kept; ++i) {
    ASSERT_EQ(lines[i].at("i").as_int64(), i);
  }
}

}  // namespace
}  // namespace playground
