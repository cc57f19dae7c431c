// Metrics exposition, admission control, the token check, routing, the
// operations routes and the pool of read buffers.
#include <gtest/gtest.h>
#include <malloc.h>
#include <sys/mman.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstring>
#include <map>
#include <thread>

#include "backend/admission.h"
#include "backend/api.h"
#include "common/address_table.h"
#include "common/metrics.h"
#include "common/small_blocks.h"
#include "common/task.h"
#include "http/bearer_token.h"
#include "http/body_budget.h"
#include "http/host_resolver.h"
#include "http/log_fields.h"
#include "http/message.h"
#include "http/ops_routes.h"
#include "http/read_buffer_pool.h"
#include "http/router.h"
#include "protocol/eval_request.h"
#include "sandbox/shared/policy.h"

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

// A request's extra log fields: in the order first set, a second set of a
// key replacing its value in place, each kind written as JSON.
TEST(LogFields, KeepOrderReplaceInPlaceAndWriteJson) {
  http::LogFields fields;
  std::string line = "x";
  fields.append_to(line);
  EXPECT_EQ(line, "x");

  const std::string backend = "s\"1\n";  // escaped when written
  fields.set("backend", backend);
  fields.set("attempts", 1);
  fields.set("time_ms", 12.5);
  fields.set("upstream", "cancelled");
  fields.set("ok", true);
  fields.set("attempts", 2);  // replaces, keeps its place
  ASSERT_NE(fields.find("attempts"), nullptr);
  EXPECT_EQ(fields.find("attempts")->as_int64(), 2);
  EXPECT_EQ(fields.find("missing"), nullptr);
  fields.append_to(line);
  EXPECT_EQ(line, R"(x,"backend":"s\"1\n","attempts":2,"time_ms":12.5,)"
                  R"("upstream":"cancelled","ok":true)");
  // More fields than are held in place.
  fields.set("code_bytes", uint64_t{18446744073709551615u});
  fields.set("exit_code", -1);
  line.clear();
  fields.append_to(line);
  EXPECT_EQ(line, R"(,"backend":"s\"1\n","attempts":2,"time_ms":12.5,)"
                  R"("upstream":"cancelled","ok":true,)"
                  R"("code_bytes":18446744073709551615,"exit_code":-1)");
}

// Small blocks (common/small_blocks.h): a freed block is given out again
// for a size of its class, at most 64 wait per class and 256 KB per
// thread, large ones are not kept, and a thread's blocks go back to malloc
// when it ends. Under AddressSanitizer none is kept, so that a use after
// free is caught.
TEST(SmallBlocks, FreedBlocksAreReusedUpToABound) {
  namespace blocks = small_blocks;
  // On a thread of its own, whose lists start empty whatever ran before.
  std::thread([] {
    std::vector<void*> taken;
    taken.reserve(100);
    for (int i = 0; i < 100; ++i) {
      taken.push_back(::operator new(100));
      std::memset(taken.back(), 0xab, 100);  // the whole block is usable
    }
    const size_t before = blocks::kept_blocks(100);
    const size_t bytes_before = blocks::kept_bytes();
    for (void* b : taken) ::operator delete(b);
    const size_t after = blocks::kept_blocks(100);
    const size_t bytes_after = blocks::kept_bytes();
    if (!blocks::pooling()) {
      EXPECT_EQ(after, 0u);
      EXPECT_EQ(bytes_after, 0u);
      return;
    }
    EXPECT_EQ(before, 0u);
    EXPECT_EQ(after, 64u);
    EXPECT_EQ(bytes_after - bytes_before, 64u * 104);
    EXPECT_EQ(blocks::kept_blocks(89), 64u) << "89 to 104 bytes are one class";
    EXPECT_EQ(blocks::kept_blocks(105), 0u);
    // The last block kept is the first given out, for any size of its
    // class, and not for a size of another.
    void* other = ::operator new(105);
    void* again = ::operator new(104);
    const size_t taking_one = blocks::kept_blocks(100);
    ::operator delete(again, 104);
    ::operator delete(other);
    EXPECT_EQ(again, taken[63]);
    EXPECT_NE(other, taken[62]);
    EXPECT_EQ(taking_one, 63u);
    EXPECT_EQ(blocks::kept_blocks(100), 64u);
    // A block taken from malloc has its class's whole size, so it comes
    // back to that class whatever size was asked for.
    void* odd = ::operator new(993);
    ::operator delete(odd);
    void* odd_again = ::operator new(1000);
    ::operator delete(odd_again);
    EXPECT_EQ(odd_again, odd);
    // Large blocks go straight back to malloc.
    const size_t kept = blocks::kept_bytes();
    ::operator delete(::operator new(4096));
    EXPECT_EQ(blocks::kept_bytes(), kept);
    // A message's fields come from here: a request built, dropped, and
    // built again reuses its field's block.
    auto one_field = [] {
      http::Request req{http::Verb::post, "/python", 11};
      req.set(http::beast_http::field::content_type, "application/json");
      return &*req.begin();
    };
    const void* first = one_field();
    EXPECT_EQ(one_field(), first);
  }).join();
}

// As glibc's lists (and AddressSanitizer) do, a block freed twice and a
// kept block's link overwritten after its free stop the process rather
// than hand one block out twice.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuse-after-free"  // the point of the test
TEST(SmallBlocks, ADoubleFreeOrAnOverwrittenLinkAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        void* p = ::operator new(100);
        ::operator delete(p);
        ::operator delete(p);
      },
      "double.free");
  // Also when its class's list is full, where a block not kept goes back
  // to malloc.
  EXPECT_DEATH(
      {
        std::vector<void*> blocks;
        for (int i = 0; i < 65; ++i) blocks.push_back(::operator new(100));
        for (void* b : blocks) ::operator delete(b);
        ::operator delete(blocks[63]);  // kept, and the list is full
      },
      "double.free");
  EXPECT_DEATH(
      {
        auto* p = static_cast<uintptr_t*>(::operator new(100));
        ::operator delete(p);
        // The link as the lists protect it, to an address 8 bytes off.
        p[0] = (reinterpret_cast<uintptr_t>(p) >> 12) ^ 8;
        ::operator delete(::operator new(100));
      },
      "overwritten|use-after-free");
}
#pragma GCC diagnostic pop

TEST(SmallBlocks, AThreadKeepsAtMost256KBAndGivesThemBackWhenItEnds) {
  namespace blocks = small_blocks;
  if (!blocks::pooling()) {
    EXPECT_EQ(blocks::kept_bytes(), 0u);
    return;
  }
  const size_t in_use_before = mallinfo2().uordblks;
  size_t kept_at_end = 0;
  std::thread([&] {
    std::vector<void*> taken;
    for (size_t size : {2048, 1536, 1024, 512}) {
      for (int i = 0; i < 64; ++i) taken.push_back(::operator new(size));
    }
    for (void* b : taken) ::operator delete(b);
    kept_at_end = blocks::kept_bytes();
  }).join();
  // 64 of each would be 320 KB.
  EXPECT_GT(kept_at_end, 200u * 1024);
  EXPECT_LE(kept_at_end, 256u * 1024);
  const size_t in_use_after = mallinfo2().uordblks;
  EXPECT_LT(in_use_after, in_use_before + 64 * 1024)
      << "the thread's " << kept_at_end << " bytes were not given back";
}

// A Content-Type names its media type whatever its case, spaces and
// parameters; a longer or shorter type is another one.
TEST(MediaType, IsComparedWithoutCaseSpacesOrParameters) {
  EXPECT_TRUE(http::has_media_type("application/json", "application/json"));
  EXPECT_TRUE(http::has_media_type(" Application/JSON ; charset=utf-8",
                                   "application/json"));
  EXPECT_TRUE(http::has_media_type("multipart/form-data; boundary=x",
                                   "multipart/form-data"));
  EXPECT_FALSE(http::has_media_type("application/jsonx", "application/json"));
  EXPECT_FALSE(http::has_media_type("application/jso", "application/json"));
  EXPECT_FALSE(http::has_media_type("", "application/json"));
  EXPECT_FALSE(http::has_media_type("text/plain", "application/json"));
  EXPECT_FALSE(
      http::has_media_type("application/json", "application/x-ndjson"));
}

TEST(Admission, BoundsRunningAndQueuedAndServesInOrder) {
  boost::asio::io_context io;
  backend::Admission gate(2, 1);
  std::vector<std::optional<int>> got(4);
  std::vector<int> order;
  for (int i = 0; i < 4; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> Task<void> {
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

// A permit whose run has answered, its sandbox still being ended, is
// waited for even with no queue: one request after another from one
// client never gets a 503 from its own last run.
TEST(Admission, APermitBeingFinishedIsWaitedForEvenWithoutAQueue) {
  boost::asio::io_context io;
  backend::Admission gate(1, 0);
  auto ask = [&](std::optional<int>& got, bool& done) {
    boost::asio::co_spawn(
        io,
        [&]() -> Task<void> {
          got = co_await gate.acquire("client");
          done = true;
        },
        boost::asio::detached);
    io.run_for(std::chrono::milliseconds(20));
    io.restart();
  };
  std::optional<int> first, second, third;
  bool first_done = false, second_done = false, third_done = false;
  ask(first, first_done);
  ASSERT_TRUE(first);
  EXPECT_EQ(gate.running(), 1);
  gate.finishing(*first);
  EXPECT_EQ(gate.running(), 0);
  EXPECT_FALSE(gate.queue_full());
  ask(second, second_done);
  EXPECT_FALSE(second_done);  // waits for the permit being finished
  EXPECT_EQ(gate.queued(), 1);
  EXPECT_TRUE(gate.queue_full());
  ask(third, third_done);
  EXPECT_TRUE(third_done);  // no room to wait: refused
  EXPECT_FALSE(third);
  gate.release(*first);
  io.run_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(second_done);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(gate.running(), 1);
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
        [this, client]() -> Task<void> {
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

// A client's entry stays between its requests; idle entries are swept as
// new addresses come, busy ones never, and the table stays within twice
// what the busy ones need.
TEST(AddressTable, KeepsBusyEntriesAndSweepsIdleOnes) {
  struct Runs {
    int n = 0;
    bool idle() const { return n == 0; }
  };
  AddressTable<Runs> table;
  Runs& kept = table.at("kept");
  kept.n = 1;
  Runs& again = table.at("again");  // idle, but not swept yet
  EXPECT_EQ(&table.at("again"), &again);
  size_t largest = 0;
  for (int i = 0; i < 10'000; ++i) {
    table.at("idle " + std::to_string(i));  // made and left idle
    largest = std::max(largest, table.size());
  }
  EXPECT_LE(largest, AddressTable<Runs>::kFirstSweep + 1);
  EXPECT_EQ(&table.at("kept"), &kept);  // never moved or swept
  EXPECT_EQ(kept.n, 1);

  // Many busy addresses: all stay, and the table only doubles past them.
  std::vector<Runs*> busy;
  for (int i = 0; i < 1000; ++i) {
    busy.push_back(&table.at("busy " + std::to_string(i)));
    busy.back()->n = 1;
  }
  for (int i = 0; i < 10'000; ++i) {
    table.at("more " + std::to_string(i));
    largest = std::max(largest, table.size());
  }
  // Idle ones pile up to twice what is busy (the busy ones, "kept" and
  // the newcomer a sweep keeps) before a sweep: not a sweep per newcomer.
  EXPECT_LE(largest, 2 * (busy.size() + 2));
  EXPECT_GE(largest, 2 * busy.size());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(&table.at("busy " + std::to_string(i)), busy[i]);
    EXPECT_EQ(busy[i]->n, 1);
  }
}

// The budget's addresses outlive their holds only until swept; a hold (one
// of no bytes too) keeps its address through the sweeps, and gives back
// exactly what it took. (The 0-byte hold's entry, swept from under it,
// would show as a use after free under AddressSanitizer, as make test runs
// this test too.)
TEST(BodyBudget, AHoldOutlivesTheSweepsOfIdleAddresses) {
  http::BodyBudget budget(/*total=*/1000, /*per_address=*/100);
  auto held = budget.reserve("a", 60);
  auto empty = budget.reserve("z", 0);
  ASSERT_TRUE(held && empty);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(budget.reserve("client " + std::to_string(i), 10));
  }
  EXPECT_LE(budget.addresses(),
            AddressTable<http::BodyBudget::Held>::kFirstSweep + 1);
  EXPECT_FALSE(budget.reserve("a", 41));  // a still holds its 60
  held.reset();
  empty.reset();
  EXPECT_TRUE(budget.reserve("a", 100));
  EXPECT_TRUE(budget.reserve("z", 100));
}

// Resolvers of one host on two loops share what either found: the second
// answers at once from the first's lookup, where alone it would have to
// look the name up itself (and here has no time to).
TEST(HostResolver, ALookupOnOneLoopServesAnother) {
  using Clock = std::chrono::steady_clock;
  auto known = std::make_shared<http::KnownAddresses>();
  boost::asio::io_context first, second, alone;
  http::HostResolver one(first.get_executor(), "localhost", 8080,
                         std::chrono::seconds(10), known);
  http::HostResolver two(second.get_executor(), "localhost", 8080,
                         std::chrono::seconds(10), known);
  http::HostResolver own(alone.get_executor(), "localhost", 8080);
  auto resolve = [](boost::asio::io_context& io, http::HostResolver& r,
                    Clock::time_point deadline) {
    std::optional<Result<http::HostResolver::Endpoints>> out;
    boost::asio::co_spawn(
        io, [&]() -> Task<void> { out = co_await r.resolve(deadline); },
        boost::asio::detached);
    io.run_for(std::chrono::seconds(10));
    return out;
  };
  auto found = resolve(first, one, Clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(found && *found) << (found ? found->error().message : "none");
  const auto now = Clock::now();  // no time to look anything up
  auto shared = resolve(second, two, now);
  ASSERT_TRUE(shared && *shared) << (shared ? shared->error().message : "none");
  EXPECT_EQ((*shared)->begin()->endpoint().port(), 8080);
  auto unshared = resolve(alone, own, now);
  ASSERT_TRUE(unshared.has_value());
  EXPECT_FALSE(*unshared) << "answered without a lookup of its own";
}

// Idle connections' read buffers, two to a page: the pages none of whose
// buffers is in use go back to the system (not resident any more), the
// others stay as they are.
TEST(ReadBufferPool, GivesBackThePagesOfFreeBuffersOnly) {
  constexpr size_t kBytes = http::ReadBufferPool::kBufferBytes;
  const auto page_of = [](const char* p) {
    return reinterpret_cast<uintptr_t>(p) & ~uintptr_t{4095};
  };
  const auto resident = [](uintptr_t page) {
    unsigned char in_core = 0;
    EXPECT_EQ(::mincore(reinterpret_cast<void*>(page), 4096, &in_core), 0);
    return (in_core & 1) != 0;
  };
  http::ReadBufferPool pool;
  std::map<uintptr_t, std::vector<char*>> by_page;
  for (int i = 0; i < 10; ++i) {
    char* b = pool.take();
    std::memset(b, 'a' + i, kBytes);
    by_page[page_of(b)].push_back(b);
  }
  ASSERT_EQ(by_page.size(), 5u);  // two to a page
  EXPECT_EQ(pool.release_free_pages(), 0u);
  // All back but one: its page stays, whole; the other four go.
  char* kept = by_page.begin()->second.front();
  const char kept_byte = kept[0];
  for (const auto& [page, buffers] : by_page) {
    for (char* b : buffers) {
      if (b != kept) pool.give_back(b);
    }
  }
  EXPECT_EQ(pool.release_free_pages(), 4u);
  EXPECT_EQ(pool.release_free_pages(), 0u);  // already given back
  for (const auto& [page, buffers] : by_page) {
    EXPECT_EQ(resident(page), page == page_of(kept));
  }
  EXPECT_EQ(kept[kBytes - 1], kept_byte);
  // Taken again, a buffer is usable.
  char* again = pool.take();
  std::memset(again, 'z', kBytes);
  EXPECT_EQ(again[kBytes - 1], 'z');
  pool.give_back(again);
  pool.give_back(kept);
  EXPECT_EQ(pool.release_free_pages(), 2u);
}

// A flat_buffer with the pool's allocator: its 2 KB from the pool, given
// back when emptied and shrunk; anything larger from the heap.
TEST(ReadBufferPool, BacksFlatBuffersOfTheFirstReadSize) {
  http::ReadBufferPool pool;
  http::ReadBuffer buffer{http::ReadBufferAllocator<char>(&pool)};
  buffer.commit(boost::asio::buffer_copy(
      buffer.prepare(http::ReadBufferPool::kBufferBytes),
      boost::asio::buffer(std::string(100, 'r'))));
  EXPECT_EQ(buffer.capacity(), http::ReadBufferPool::kBufferBytes);
  buffer.prepare(8000);  // grows onto the heap; the pool's buffer is free
  EXPECT_EQ(pool.release_free_pages(), 1u);
  EXPECT_EQ(buffer.size(), 100u);
  buffer.consume(buffer.size());
  buffer.shrink_to_fit();
  buffer.prepare(http::ReadBufferPool::kBufferBytes);
  EXPECT_EQ(pool.release_free_pages(), 0u);  // in use again
  buffer.shrink_to_fit();
  EXPECT_EQ(pool.release_free_pages(), 1u);
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

http::RequestHeader header(http::Verb method, std::string target) {
  http::RequestHeader h;
  h.method(method);
  h.target(target);
  h.version(11);
  return h;
}

TEST(Router, AnswersUnknownPathsAndMethodsBeforeTheBody) {
  http::Router router({{.path = "/healthz", .methods = {http::Verb::get}},
                       {.path = "/py/eval", .methods = {http::Verb::post}}});
  auto found = router.route(header(http::Verb::post, "/py/eval?x=1"));
  ASSERT_NE(found.route, nullptr);
  EXPECT_EQ(found.route->path, "/py/eval");
  EXPECT_FALSE(found.refusal);
  // A route that answers GET answers HEAD too.
  EXPECT_FALSE(router.route(header(http::Verb::head, "/healthz")).refusal);

  auto missing = router.route(header(http::Verb::get, "/nope?secret=1"));
  EXPECT_EQ(missing.route, nullptr);
  ASSERT_TRUE(missing.refusal);
  EXPECT_EQ(missing.refusal->result(), http::Status::not_found);
  EXPECT_EQ(missing.refusal->body(),
            R"({"error":"There is no endpoint /nope."})");
  EXPECT_EQ(http::metric_label(missing.route), "unmatched");

  auto wrong = router.route(header(http::Verb::delete_, "/healthz"));
  ASSERT_NE(wrong.route, nullptr);  // counted under its route
  EXPECT_EQ(http::metric_label(wrong.route), "/healthz");
  ASSERT_TRUE(wrong.refusal);
  EXPECT_EQ(wrong.refusal->result(), http::Status::method_not_allowed);
  EXPECT_EQ((*wrong.refusal)[http::beast_http::field::allow], "GET, HEAD");
  EXPECT_EQ(
      wrong.refusal->body(),
      R"({"error":"Method DELETE is not allowed on /healthz; use GET, HEAD."})");
}

TEST(Router, ShownPathsLoseTheQueryAndStayShort) {
  EXPECT_EQ(http::shown_path("/a?b=c"), "/a");
  EXPECT_EQ(http::shown_path("/" + std::string(1000, 'x')).size(), 256u);
}

TEST(OpsRoutes, HealthzAndGuardedMetrics) {
  metrics::Registry registry;
  registry.gauge("up_gauge", "Up.").set(1);
  http::Route healthz = http::healthz_route();
  EXPECT_EQ(healthz.path, "/healthz");
  EXPECT_TRUE(healthz.quiet);
  http::Route metrics =
      http::metrics_route(registry, http::ops_only("t0ken", false));
  EXPECT_EQ(metrics.path, "/metrics");
  http::RequestContext ctx;
  EXPECT_TRUE(metrics.precheck(header(http::Verb::get, "/metrics"), ctx));
  auto with_token = header(http::Verb::get, "/metrics");
  with_token.set(http::beast_http::field::authorization, "Bearer t0ken");
  EXPECT_FALSE(metrics.precheck(with_token, ctx));
  EXPECT_FALSE(
      http::ops_only("t0ken", true)(header(http::Verb::get, "/"), ctx));

  boost::asio::io_context io;
  http::Request req;
  std::optional<http::Response> health, text;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        health = co_await healthz.handler(req, ctx);
        text = co_await metrics.handler(req, ctx);
      },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(health && text);
  EXPECT_EQ(health->body(), R"({"status":"ok"})");
  EXPECT_EQ((*text)[http::beast_http::field::content_type],
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(text->body().find("up_gauge 1"), std::string::npos);
}

TEST(EvalMediaType, OneRefusalForBothServices) {
  auto h = header(http::Verb::post, "/python");
  h.set(http::beast_http::field::content_type, "text/plain");
  auto refused = protocol::refuse_media_type(h);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->result(), http::Status::unsupported_media_type);
  EXPECT_EQ(refused->body(),
            R"({"error":"Content-Type must be application/json, )"
            R"(application/x-www-form-urlencoded or multipart/form-data."})");
  h.set(http::beast_http::field::content_type, "application/json");
  EXPECT_FALSE(protocol::refuse_media_type(h));
  auto parsed = protocol::parse_eval_request("text/plain", "x");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, Errc::unsupported_media_type);
  EXPECT_EQ(http::status_of(parsed.error()),
            http::Status::unsupported_media_type);
  EXPECT_EQ(parsed.error().message, protocol::kUnsupportedMediaTypeMessage);
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
