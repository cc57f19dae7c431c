// Metrics exposition, admission control and the token check.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "backend/admission.h"
#include "backend/api.h"
#include "common/metrics.h"
#include "http/bearer_token.h"
#include "http/body_budget.h"
#include "sandbox/policy.h"

namespace playground {
namespace {

TEST(Metrics, RendersPrometheusText) {
  metrics::Registry r;
  auto& requests =
      r.counter_family("req_total", "Requests.", {"route", "code"});
  requests.with({"/py/eval", "200"}).inc();
  requests.with({"/py/eval", "200"}).inc();
  requests.with({"/x\"y", "404"}).inc();
  auto& h = r.histogram("dur_seconds", "Durations.", {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  r.gauge_callback("depth", "Depth.", [] { return 3.0; });
  const std::string text = r.render();
  EXPECT_NE(text.find("# TYPE req_total counter"), std::string::npos);
  EXPECT_NE(text.find("req_total{route=\"/py/eval\",code=\"200\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("req_total{route=\"/x\\\"y\",code=\"404\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("dur_seconds_bucket{le=\"0.1\"} 1"), std::string::npos);
  EXPECT_NE(text.find("dur_seconds_bucket{le=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("dur_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("dur_seconds_count 3"), std::string::npos);
  EXPECT_NE(text.find("depth 3"), std::string::npos);
}

TEST(Admission, BoundsRunningAndQueuedAndServesInOrder) {
  boost::asio::io_context io;
  backend::Admission gate(2, 1);
  std::vector<std::optional<int>> got(4);
  std::vector<int> order;
  for (int i = 0; i < 4; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> boost::asio::awaitable<void> {
          got[i] = co_await gate.acquire("one client");
          order.push_back(i);
        },
        boost::asio::detached);
  }
  io.run_for(std::chrono::milliseconds(50));
  io.restart();
  EXPECT_EQ(gate.running(), 2);
  EXPECT_EQ(gate.queued(), 1);
  EXPECT_TRUE(gate.queue_full());
  ASSERT_TRUE(got[0] && got[1]);
  EXPECT_NE(*got[0], *got[1]);
  EXPECT_FALSE(got[2]);  // still waiting
  EXPECT_FALSE(got[3]);  // rejected: the queue was full
  EXPECT_EQ(order, (std::vector<int>{0, 1, 3}));
  gate.release(*got[0]);
  io.run_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(got[2]);
  EXPECT_EQ(*got[2], *got[0]);  // the freed slot went to the waiter
  EXPECT_EQ(gate.queued(), 0);
  EXPECT_FALSE(gate.queue_full());
}

// Clients asking an Admission for permits, in the order they are granted.
struct Clients {
  boost::asio::io_context& io;
  backend::Admission& gate;
  std::vector<std::string> served;  // who got a permit, in order
  std::vector<int> permits;         // the permits, in the same order

  void ask(const std::string& client) {
    boost::asio::co_spawn(
        io,
        [this, client]() -> boost::asio::awaitable<void> {
          if (auto permit = co_await gate.acquire(client)) {
            served.push_back(client);
            permits.push_back(*permit);
          }
        },
        boost::asio::detached);
    settle();
  }
  void settle() {
    io.run_for(std::chrono::milliseconds(20));
    io.restart();
  }
};

// A freed permit goes to the waiting client that holds the fewest: a client
// with many queued runs does not make another wait behind all of them.
TEST(Admission, FreedPermitsGoFirstToClientsHoldingFewest) {
  boost::asio::io_context io;
  backend::Admission one(1, 10);
  Clients a{io, one};
  for (int i = 0; i < 4; ++i) a.ask("hog");  // one runs, three wait
  a.ask("other");                            // arrives last
  ASSERT_EQ(a.served, std::vector<std::string>{"hog"});
  // The hog's run ends: both then hold none, and "other" was served longer
  // ago (never), so it goes next, then the hog again.
  one.release(a.permits.back());
  a.settle();
  one.release(a.permits.back());
  a.settle();
  EXPECT_EQ(a.served, (std::vector<std::string>{"hog", "other", "hog"}));

  // With two at once, while the hog holds one the freed one goes to
  // "other", which holds none, whatever its place in the queue.
  backend::Admission two(2, 10);
  Clients b{io, two};
  for (int i = 0; i < 5; ++i) b.ask("hog");  // two run, three wait
  b.ask("other");
  two.release(b.permits[0]);  // the hog still holds one: "other" holds none
  b.settle();
  EXPECT_EQ(b.served, (std::vector<std::string>{"hog", "hog", "other"}));
  EXPECT_EQ(two.queued(), 3);
}

// Memory for bodies: bounded in all and per address, given back with the
// hold.
TEST(BodyBudget, BoundsInAllAndPerAddressAndGivesBack) {
  http::BodyBudget budget(/*total=*/100, /*per_address=*/60);
  auto a1 = budget.reserve("a", 50);
  ASSERT_TRUE(a1);
  EXPECT_FALSE(budget.reserve("a", 20));  // a's share: 50 + 20 > 60
  auto b1 = budget.reserve("b", 40);
  ASSERT_TRUE(b1);
  EXPECT_FALSE(budget.reserve("c", 20));  // in all: 90 + 20 > 100
  EXPECT_TRUE(budget.reserve("c", 10));   // fits, and is given back at once
  a1.reset();
  EXPECT_TRUE(budget.reserve("a", 60));  // all of a's share again
}

TEST(BearerToken, MatchesOnlyTheExactToken) {
  EXPECT_TRUE(http::bearer_token_matches("Bearer s3cret", "s3cret"));
  EXPECT_TRUE(http::bearer_token_matches("bearer s3cret", "s3cret"));
  EXPECT_FALSE(http::bearer_token_matches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(http::bearer_token_matches("Bearer s3cretX", "s3cret"));
  EXPECT_FALSE(http::bearer_token_matches("Basic s3cret", "s3cret"));
  EXPECT_FALSE(http::bearer_token_matches("", "s3cret"));
  EXPECT_FALSE(http::bearer_token_matches("Bearer ", ""));
}

TEST(Isolation, ReportsMissingLayers) {
  sandbox::Isolation iso;
  iso.namespaces = true;
  iso.filesystem = true;
  iso.cgroups = "v1";
  iso.drop_privileges = true;
  iso.seccomp = false;
  auto missing = iso.missing();
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("seccomp"), std::string::npos);
  auto json = iso.to_json();
  EXPECT_EQ(json.at("cgroups").as_string(), "v1");
  EXPECT_FALSE(json.at("seccomp").as_bool());
}

}  // namespace
}  // namespace playground
