// The frontend's pure parts: backend lists, round-robin and health rules,
// rate limiting, and the embedded UI files.
#include <gtest/gtest.h>
#include <zlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "common/task.h"
#include "frontend/backend_list.h"
#include "frontend/balancer.h"
#include "frontend/client_share.h"
#include "frontend/rate_limiter.h"
#include "frontend/ui_assets.h"
#include "http/message.h"

namespace playground::frontend {
namespace {

using namespace std::chrono_literals;

// A balancer's plan, comparable with a vector in a test's message.
std::vector<size_t> as_vector(const Balancer::Plan& plan) {
  return {plan.begin(), plan.end()};
}

// Runs what is ready on `io` (a waiter's start, or its wake-up) and leaves
// it ready to run again.
void run_ready(boost::asio::io_context& io) {
  io.run_for(10ms);
  io.restart();
}

// Starts a run of `client` on `io` that asks `share` for a place, waiting
// in line if it must; when acquire returns, `ran` says whether it got one
// (the run then ends at once, giving the place back).
void wait_in_line(boost::asio::io_context& io, ClientShare& share,
                  std::string client, std::optional<bool>& ran,
                  std::stop_token stop = {}) {
  boost::asio::co_spawn(
      io,
      [&share, &ran, client = std::move(client),
       stop = std::move(stop)]() -> Task<void> {
        auto permit = co_await share.acquire(client, stop);
        ran = permit.has_value();
      },
      boost::asio::detached);
  run_ready(io);
}

// One address's share: `in_flight` at once, `waiting` more in its own line
// (then refused), a finished one's place handed to its next; another
// address is not held up; a waiter whose client leaves gives up its place.
TEST(ClientShare, BoundsEachAddressAndHandsPlacesOver) {
  boost::asio::io_context io;
  ClientShare share(/*in_flight=*/1, /*waiting=*/1);
  std::vector<std::optional<ClientShare::Permit>> held;
  std::vector<std::string> log;
  auto ask = [&](std::string who, std::stop_token stop = {}) {
    boost::asio::co_spawn(
        io,
        [&, who, stop]() -> Task<void> {
          auto permit =
              co_await share.acquire(who.substr(0, who.find('#')), stop);
          log.push_back(who + (permit ? " runs" : " refused"));
          if (permit) held.push_back(std::move(permit));
        },
        boost::asio::detached);
    io.run_for(10ms);
    io.restart();
  };
  ask("a#1");
  ask("a#2");  // waits in a's line
  ask("a#3");  // a's line is full
  ask("b#1");  // another address runs at once
  EXPECT_EQ(log,
            (std::vector<std::string>{"a#1 runs", "a#3 refused", "b#1 runs"}));
  EXPECT_EQ(share.waiting(), 1);
  held[0].reset();  // a#1 ends: its place goes to a#2
  io.run_for(10ms);
  io.restart();
  EXPECT_EQ(log.back(), "a#2 runs");
  std::stop_source gone;
  ask("b#2", gone.get_token());  // waits behind b#1
  gone.request_stop();           // and leaves
  io.run_for(10ms);
  io.restart();
  EXPECT_EQ(log.back(), "b#2 refused");
  EXPECT_EQ(share.waiting(), 0);
  held.clear();  // every place given back: a and b are idle
  ask("a#4");
  EXPECT_EQ(log.back(), "a#4 runs");
}

// try_acquire takes a free place at once and never waits: with the places
// taken it gives none (a waiter in line keeps its turn), and a place given
// back is free to take again.
TEST(ClientShare, TryAcquireTakesOnlyAFreePlace) {
  boost::asio::io_context io;
  ClientShare share(/*in_flight=*/2, /*waiting=*/1);
  std::optional<ClientShare::Permit> first = share.try_acquire("a");
  std::optional<ClientShare::Permit> second = share.try_acquire("a");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_FALSE(share.try_acquire("a"));
  EXPECT_TRUE(share.try_acquire("b"));  // another address has its own
  bool waiter_ran = false;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        auto permit = co_await share.acquire("a");
        waiter_ran = permit.has_value();
      },
      boost::asio::detached);
  io.run_for(10ms);
  io.restart();
  EXPECT_EQ(share.waiting(), 1);
  first.reset();  // the freed place is the waiter's, not try_acquire's
  EXPECT_FALSE(share.try_acquire("a"));
  io.run_for(10ms);
  io.restart();
  EXPECT_TRUE(waiter_ran);
  second.reset();
  EXPECT_TRUE(share.try_acquire("a"));
}

// A client's line stays while it has a run or a waiter, however many other
// addresses come and go (their idle lines are swept): the run's place
// still goes to the waiter, and a waiter that leaves still leaves the line.
TEST(ClientShare, ALineInUseOutlivesTheSweepsOfIdleOnes) {
  for (const bool waiter_leaves : {false, true}) {
    SCOPED_TRACE(waiter_leaves ? "the waiter leaves" : "the waiter stays");
    boost::asio::io_context io;
    ClientShare share(/*in_flight=*/1, /*waiting=*/1);
    std::optional<ClientShare::Permit> running = share.try_acquire("a");
    ASSERT_TRUE(running);
    std::stop_source gone;
    std::optional<bool> waiter_ran;
    wait_in_line(io, share, "a", waiter_ran, gone.get_token());
    ASSERT_EQ(share.waiting(), 1);
    for (int i = 0; i < 1000; ++i) {  // 1,000 addresses, a run each
      EXPECT_TRUE(share.try_acquire("client " + std::to_string(i)));
    }
    if (waiter_leaves) {
      gone.request_stop();  // and it is out of the line before a's run ends
      run_ready(io);
      EXPECT_EQ(share.waiting(), 0);
    }
    running.reset();
    run_ready(io);
    ASSERT_TRUE(waiter_ran.has_value());
    EXPECT_EQ(*waiter_ran, !waiter_leaves);
    EXPECT_EQ(share.waiting(), 0);
    // a's place is free again (after its waiter's run, if it ran).
    EXPECT_TRUE(share.try_acquire("a"));
  }
}

// Waiters whose client has left are passed over when a place frees, even
// before they resume from their stop: the place goes to the next waiter
// that is still there, those that left get none, and the line's count of
// runs stays right.
TEST(ClientShare, WaitersThatLeftArePassedOverForTheNext) {
  boost::asio::io_context io;
  ClientShare share(/*in_flight=*/1, /*waiting=*/3);
  std::optional<ClientShare::Permit> running = share.try_acquire("a");
  ASSERT_TRUE(running);
  std::stop_source gone;
  std::optional<bool> first_left_ran, second_left_ran, next_ran;
  wait_in_line(io, share, "a", first_left_ran, gone.get_token());
  wait_in_line(io, share, "a", second_left_ran, gone.get_token());
  wait_in_line(io, share, "a", next_ran);
  ASSERT_EQ(share.waiting(), 3);
  gone.request_stop();  // neither waiter has resumed since
  running.reset();      // when the place frees
  run_ready(io);
  ASSERT_TRUE(first_left_ran.has_value());
  ASSERT_TRUE(second_left_ran.has_value());
  ASSERT_TRUE(next_ran.has_value());
  EXPECT_FALSE(*first_left_ran);
  EXPECT_FALSE(*second_left_ran);
  EXPECT_TRUE(*next_ran);
  EXPECT_EQ(share.waiting(), 0);
  // The run that went ahead has ended: one place, and only one, is free.
  std::optional<ClientShare::Permit> again = share.try_acquire("a");
  EXPECT_TRUE(again);
  EXPECT_FALSE(share.try_acquire("a"));
}

// A waiter passed over is out of its line at once, so the line can go idle
// and be swept before the waiter's loop runs: the waiter must not touch it
// then (ASan reports a use after free if it does).
TEST(ClientShare, AWaiterPassedOverOutlivesItsLinesSweep) {
  boost::asio::io_context io;
  ClientShare share(/*in_flight=*/1, /*waiting=*/1);
  std::optional<ClientShare::Permit> running = share.try_acquire("a");
  ASSERT_TRUE(running);
  std::stop_source gone;
  std::optional<bool> ran;
  wait_in_line(io, share, "a", ran, gone.get_token());
  ASSERT_EQ(share.waiting(), 1);
  gone.request_stop();
  running.reset();  // passes the waiter over: "a" is idle
  EXPECT_EQ(share.waiting(), 0);
  for (int i = 0; i < 1000; ++i) {  // idle lines come and go: swept
    EXPECT_TRUE(share.try_acquire("client " + std::to_string(i)));
  }
  run_ready(io);
  ASSERT_TRUE(ran.has_value());
  EXPECT_FALSE(*ran);
  EXPECT_TRUE(share.try_acquire("a"));
}

// The frontend's loops share one ClientShare: a place freed on one loop's
// thread goes to the waiter of another loop, which resumes on its own
// thread.
TEST(ClientShare, APlaceFreedOnOneLoopWakesAWaiterOnAnother) {
  boost::asio::io_context first, second;
  auto busy = boost::asio::make_work_guard(second);
  std::thread second_thread([&] { second.run(); });
  ClientShare share(/*in_flight=*/1, /*waiting=*/1);
  std::optional<ClientShare::Permit> held;
  boost::asio::co_spawn(
      first,
      [&]() -> Task<void> {
        auto permit = co_await share.acquire("a");
        if (permit) held.emplace(std::move(*permit));
      },
      boost::asio::detached);
  first.run();
  ASSERT_TRUE(held.has_value());
  std::promise<std::thread::id> woken_on;
  boost::asio::co_spawn(
      second,
      [&]() -> Task<void> {
        auto permit = co_await share.acquire("a");
        woken_on.set_value(permit ? std::this_thread::get_id()
                                  : std::thread::id());
      },
      boost::asio::detached);
  for (int i = 0; i < 200 && share.waiting() == 0; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(share.waiting(), 1);
  held.reset();  // freed here, on this (the first loop's) thread
  auto woken = woken_on.get_future();
  ASSERT_EQ(woken.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(woken.get(), second_thread.get_id());
  busy.reset();
  second_thread.join();
}

TEST(BackendList, ParsesNamesSchemesPortsAndPrefixes) {
  auto list = parse_backend_list(
      " gke=http://10.0.0.5:6000 , aks=https://203.0.113.7,"
      "v6=http://[::1]:7000/base/,dns=https://eval.example.com");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 4u);
  const auto& gke = (*list)[0];
  EXPECT_EQ(gke.name, "gke");
  EXPECT_EQ(gke.url, "http://10.0.0.5:6000");
  EXPECT_FALSE(gke.origin.tls);
  EXPECT_EQ(gke.origin.host, "10.0.0.5");
  EXPECT_EQ(gke.origin.port, 6000);
  EXPECT_EQ(gke.origin.base_path, "");
  EXPECT_TRUE((*list)[1].origin.tls);
  EXPECT_EQ((*list)[1].origin.port, 443);
  EXPECT_EQ((*list)[2].origin.host, "::1");
  EXPECT_EQ((*list)[2].origin.base_path, "/base");
  EXPECT_EQ((*list)[3].origin.host, "eval.example.com");
}

TEST(BackendList, RefusesWhatWouldBeIgnoredOrAmbiguous) {
  for (const char* bad :
       {"", " , ", "gke", "=http://h", "gke=", "gke=ftp://h", "gke=http://",
        "gke=http://h:0", "gke=http://h:70000", "gke=http://u:p@h",
        "gke=http://h/?x=1", "gke=http://h/#f", "a b=http://h",
        "a=http://h,a=http://k", "gke=h:6000",
        // Found by fuzzing: Boost.URL 1.81 reads these as a host and a path
        // that does not start with '/'.
        "gke=http://h:6000-x/", "gke=http://[::1]:6000-prefix/",
        "gke=http://[::1]x",
        // A name's %-escapes would be decoded into the Host header.
        "gke=http://ex%0d%0aX:%20y", "gke=http://ex%17m:80",
        "gke=http://[v1.x]/"}) {
    auto list = parse_backend_list(bad);
    EXPECT_FALSE(list) << "accepted: " << bad;
  }
  auto dup = parse_backend_list("a=http://h,a=http://k");
  EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
}

TEST(Balancer, StrictRoundRobinOverHealthyBackends) {
  Balancer b(3, {.unhealthy_after = 2, .healthy_after = 2});
  std::vector<size_t> first;
  for (int i = 0; i < 6; ++i) first.push_back(b.plan(1).at(0));
  EXPECT_EQ(first, (std::vector<size_t>{0, 1, 2, 0, 1, 2}));
  // A plan lists the next backends to fail over to, in order.
  EXPECT_EQ(as_vector(b.plan(3)), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(as_vector(b.plan(2)), (std::vector<size_t>{1, 2}));
}

TEST(Balancer, EjectsAfterFailuresAndReadmitsAfterPassedChecks) {
  Balancer b(2, {.unhealthy_after = 2, .healthy_after = 2});
  EXPECT_FALSE(b.on_failure(1, false, "timed out"));
  EXPECT_TRUE(b.state(1).healthy);
  EXPECT_TRUE(b.on_failure(1, false, "timed out"));  // second in a row
  EXPECT_FALSE(b.state(1).healthy);
  EXPECT_EQ(b.state(1).last_error, "timed out");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(as_vector(b.plan(2)), (std::vector<size_t>{0}));

  EXPECT_FALSE(b.on_check(1, true, ""));
  EXPECT_FALSE(b.state(1).healthy);
  EXPECT_TRUE(b.on_check(1, true, ""));
  EXPECT_TRUE(b.state(1).healthy);
  EXPECT_EQ(b.healthy_count(), 2u);

  // A success in between resets the count of failures.
  b.on_check(0, false, "x");
  b.on_check(0, true, "");
  EXPECT_FALSE(b.on_check(0, false, "x"));
  EXPECT_TRUE(b.state(0).healthy);
}

TEST(Balancer, PassingChecksDoNotHideFailingRequests) {
  Balancer b(2, {.unhealthy_after = 3, .healthy_after = 2});
  for (int i = 0; i < 2; ++i) {
    EXPECT_FALSE(b.on_failure(1, false, "refused the token"));
    b.on_check(1, true, "");
  }
  EXPECT_TRUE(b.on_failure(1, false, "refused the token"));
  EXPECT_FALSE(b.state(1).healthy);
  // An answer clears the count.
  Balancer c(1, {.unhealthy_after = 2, .healthy_after = 1});
  c.on_failure(0, false, "x");
  c.on_answer(0, 1.0);
  EXPECT_FALSE(c.on_failure(0, false, "x"));
  EXPECT_TRUE(c.state(0).healthy);
}

TEST(Balancer, RefusedConnectionEjectsAtOnceAndBusyIsNotAFailure) {
  Balancer b(2, {.unhealthy_after = 3, .healthy_after = 1});
  for (int i = 0; i < 5; ++i) b.on_busy(0);
  EXPECT_TRUE(b.state(0).healthy);
  EXPECT_EQ(b.state(0).busy, 5u);
  EXPECT_TRUE(b.on_failure(0, true, "connection refused"));
  EXPECT_FALSE(b.state(0).healthy);
}

TEST(Balancer, WithNoHealthyBackendEveryBackendIsTried) {
  Balancer b(3, {.unhealthy_after = 1, .healthy_after = 1});
  for (size_t i = 0; i < 3; ++i) b.on_failure(i, true, "down");
  EXPECT_EQ(b.healthy_count(), 0u);
  EXPECT_EQ(b.plan(5).size(), 3u);
  EXPECT_EQ(b.plan(1).size(), 1u);
}

TEST(Balancer, LatencyIsAMovingAverageAndInFlightIsCounted) {
  Balancer b(1, {});
  b.on_answer(0, 10);
  EXPECT_DOUBLE_EQ(b.state(0).latency_ms, 10);
  b.on_answer(0, 20);
  EXPECT_DOUBLE_EQ(b.state(0).latency_ms, 12);
  b.begin(0);
  b.begin(0);
  b.end(0);
  EXPECT_EQ(b.state(0).in_flight, 1);
}

TEST(RateLimiter, BurstThenSteadyRatePerClient) {
  RateLimiter limiter({.per_second = 2, .burst = 3});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take("1.2.3.4", t0));
  auto wait = limiter.take("1.2.3.4", t0);
  ASSERT_TRUE(wait);
  EXPECT_NEAR(*wait, 0.5, 1e-9);
  // Another client has its own bucket.
  EXPECT_FALSE(limiter.take("5.6.7.8", t0));
  // Half a second later, one more token.
  EXPECT_FALSE(limiter.take("1.2.3.4", t0 + 500ms));
  EXPECT_TRUE(limiter.take("1.2.3.4", t0 + 500ms));
  // Long idle: refilled to the burst, no more.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take("1.2.3.4", t0 + 1h));
  EXPECT_TRUE(limiter.take("1.2.3.4", t0 + 1h));
}

TEST(RateLimiter, OffWhenTheRateIsZero) {
  RateLimiter limiter({.per_second = 0, .burst = 1});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.take("c", t0));
  EXPECT_EQ(limiter.clients(), 0u);
}

TEST(RateLimiter, TableStaysBoundedUnderAFloodOfAddresses) {
  RateLimiter limiter({.per_second = 1, .burst = 1, .max_clients = 100});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 100; ++i)
    limiter.take(std::string("a") + std::to_string(i), t0);
  EXPECT_EQ(limiter.clients(), 100u);
  // Every bucket is in use: newcomers share the overflow bucket.
  EXPECT_FALSE(limiter.take("new1", t0));
  EXPECT_TRUE(limiter.take("new2", t0));
  EXPECT_EQ(limiter.clients(), 100u);
  // Once the old buckets have refilled, they are dropped to make room.
  EXPECT_FALSE(limiter.take("later", t0 + 10s));
  EXPECT_EQ(limiter.clients(), 1u);
}

TEST(UiAssets, IndexIsServedAtRootWithContentTypes) {
  const UiAsset* root = find_ui_asset("/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root, find_ui_asset("/index.html"));
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("<html"), std::string_view::npos);
  EXPECT_EQ(root->etag.front(), '"');
  const UiAsset* js = find_ui_asset("/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(root->etag, js->etag);
  EXPECT_EQ(find_ui_asset("/missing"), nullptr);
  EXPECT_EQ(find_ui_asset("/../etc/passwd"), nullptr);
}

TEST(UiAssets, TheScriptHasAGzipCopyThatInflatesToIt) {
  const UiAsset* js = find_ui_asset("/app.js");
  ASSERT_NE(js, nullptr);
  ASSERT_FALSE(js->gzip.empty());
  EXPECT_LT(js->gzip.size(), js->body.size() / 2);
  std::string inflated(js->body.size() + 1, '\0');
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);  // 16: gzip framing
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(js->gzip.data()));
  z.avail_in = static_cast<uInt>(js->gzip.size());
  z.next_out = reinterpret_cast<Bytef*>(inflated.data());
  z.avail_out = static_cast<uInt>(inflated.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  inflated.resize(z.total_out);
  inflateEnd(&z);
  EXPECT_EQ(inflated, js->body);
}

TEST(HttpLists, NextListItemTakesTrimmedItemsInOrder) {
  std::string_view list = " a ,b,, \tc\t,";
  std::vector<std::string_view> items;
  while (!list.empty()) items.push_back(http::next_list_item(list));
  EXPECT_EQ(items, (std::vector<std::string_view>{"a", "b", "", "c"}));
  std::string_view one = "only";
  EXPECT_EQ(http::next_list_item(one), "only");
  EXPECT_TRUE(one.empty());
}

TEST(UiAssets, IfNoneMatchComparesEntityTagsWeakly) {
  const std::string_view etag = "\"abc\"";
  EXPECT_TRUE(etag_matches("\"abc\"", etag));
  EXPECT_TRUE(etag_matches("W/\"abc\"", etag));
  EXPECT_TRUE(etag_matches("\"x\", W/\"abc\" ,\"y\"", etag));
  EXPECT_TRUE(etag_matches(" * ", etag));
  EXPECT_FALSE(etag_matches("", etag));
  EXPECT_FALSE(etag_matches("\"abcd\"", etag));
  EXPECT_FALSE(etag_matches("abc", etag));
  EXPECT_FALSE(etag_matches("\"x\", \"y\"", etag));
  EXPECT_FALSE(etag_matches("W/", etag));
  EXPECT_FALSE(etag_matches(",,,", etag));
}

TEST(UiAssets, AcceptEncodingIsReadAsRfc9110Says) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("br, GZIP ;Q=0.0"));
  EXPECT_TRUE(accepts_gzip("deflate;q=0, x-gzip;level=9"));
}

}  // namespace
}  // namespace playground::frontend
