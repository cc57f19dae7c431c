// Pre-started sandboxes: used once, nothing shared between runs, refilled,
// robust to a pooled sandbox dying, cgroups made once; data sandboxes for
// programs that import numpy or pandas.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/leftovers.h"
#include "support/service_process.h"

namespace playground::testing {
namespace {

namespace fs = std::filesystem;

// Waits until the pool holds `n` sandboxes whose Python waits for code.
bool wait_for_pool(uint16_t port, int n) {
  for (int i = 0; i < 300; ++i) {
    if (metric(port, "playground_pool_warm") >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Waits until the gauge `name` is at least `n` (10 s at most: a data
// sandbox imports numpy and pandas first).
bool wait_for_metric(uint16_t port, const std::string& name, int n) {
  for (int i = 0; i < 1000; ++i) {
    if (metric(port, name) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Processes named `comm` whose parent is `parent`.
std::vector<pid_t> children_named(pid_t parent, const std::string& comm) {
  std::vector<pid_t> out;
  for (auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream comm_file(entry.path() / "comm");
    std::string name;
    if (!(comm_file >> name) || name != comm) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string pid, skip, state, ppid;
    stat >> pid >> skip >> state >> ppid;
    if (ppid == std::to_string(parent)) out.push_back(std::stoi(pid));
  }
  return out;
}

class SandboxPool : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(backend_.started()) << backend_.log(); }
  BackendProcess backend_{{"--concurrency", "2", "--pool", "2"}};
};

TEST_F(SandboxPool, RunsArePooledAndShareNothing) {
  const uint16_t port = backend_.port();
  ASSERT_TRUE(wait_for_pool(port, 1));
  const std::string probe =
      "import os\n"
      "print(hash('abc'), id(object()))\n"
      "print(os.path.exists('/tmp/left-by-previous-run'))\n"
      "print('marker' in globals())\n"
      "open('/tmp/left-by-previous-run', 'w').write('x')\n"
      "marker = 1\n";
  std::vector<std::string> first_lines;
  std::set<std::string> hashes, ids;
  for (int run = 0; run < 4; ++run) {
    ASSERT_TRUE(wait_for_pool(port, 1));
    auto j = eval_json(port, probe);
    ASSERT_EQ(j["status"], "ok") << boost::json::serialize(j);
    std::istringstream out(std::string(j["stdout"].as_string()));
    std::string hash, id, tmp_seen, global_seen;
    out >> hash >> id >> tmp_seen >> global_seen;
    hashes.insert(hash);
    ids.insert(id);
    EXPECT_EQ(tmp_seen, "False") << "a file from an earlier run is visible";
    EXPECT_EQ(global_seen, "False")
        << "a global from an earlier run is visible";
  }
  // A fresh interpreter each time: a new hash secret and a new address layout.
  EXPECT_EQ(hashes.size(), 4u);
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(metric(port, "playground_pool_taken_warm_total"), 4);
}

TEST_F(SandboxPool, PoolRefillsAndIsSizedToTheLoad) {
  const uint16_t port = backend_.port();
  ASSERT_TRUE(wait_for_pool(port, 1));
  EXPECT_EQ(metric(port, "playground_pool_target"), 1);  // idle: one ready
  // Two runs at once raise the target to the concurrency limit.
  auto a = std::async(std::launch::async, [&] {
    return eval_json(port, "import time; time.sleep(0.3)");
  });
  auto b = std::async(std::launch::async, [&] {
    return eval_json(port, "import time; time.sleep(0.3)");
  });
  EXPECT_EQ(a.get()["status"], "ok");
  EXPECT_EQ(b.get()["status"], "ok");
  EXPECT_EQ(metric(port, "playground_pool_target"), 2);
  EXPECT_TRUE(wait_for_pool(port, 2));
}

TEST_F(SandboxPool, APooledSandboxThatDiedIsReplaced) {
  const uint16_t port = backend_.port();
  ASSERT_TRUE(wait_for_pool(port, 1));
  // Kill every waiting sandbox's init from outside, as an OOM killer might.
  int killed = 0;
  for (pid_t keeper : children_named(backend_.pid(), "pg-keeper")) {
    for (pid_t init : children_named(keeper, "pg-init")) {
      ::kill(init, SIGKILL);
      ++killed;
    }
  }
  ASSERT_GE(killed, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto j = eval_json(port, "print('still works')");
  EXPECT_EQ(j["stdout"], "still works\n") << boost::json::serialize(j);
  EXPECT_NE(backend_.log().find("a pooled sandbox ended while waiting"),
            std::string::npos);
}

TEST_F(SandboxPool, CgroupsAreMadeOnceAndReused) {
  const uint16_t port = backend_.port();
  auto groups = cgroup_groups_of(backend_.pid());
  ASSERT_FALSE(groups.empty());
  auto count_slots = [&] {
    size_t n = 0;
    for (auto& g : cgroup_groups_of(backend_.pid())) {
      for (auto& e : fs::directory_iterator(g)) n += e.is_directory();
    }
    return n;
  };
  const size_t slots_before = count_slots();
  // concurrency + pool slots, in each hierarchy.
  EXPECT_EQ(slots_before % 4, 0u);
  EXPECT_EQ(slots_before / groups.size(), 4u);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(eval_json(port, "print(1)")["stdout"], "1\n");
  EXPECT_EQ(count_slots(), slots_before);
  EXPECT_EQ(cgroup_groups_of(backend_.pid()), groups);
}

// Keepers hold their socket and /dev/null, nothing of the service's (not its
// listening socket, not client connections; before the fix a restarted
// keeper held both).
TEST_F(SandboxPool, KeepersHoldNoDescriptorOfTheService) {
  HttpClient held_open(backend_.port());  // a live client connection
  ASSERT_EQ(held_open.get("/healthz").status, 200);
  // Kill the keepers so they are started again now, while the service listens
  // and a client is connected; runs then go through the new ones.
  for (pid_t k : children_named(backend_.pid(), "pg-keeper"))
    ::kill(k, SIGKILL);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(eval_json(backend_.port(), "print(1)")["stdout"], "1\n");
  ASSERT_TRUE(wait_for_pool(backend_.port(), 1));
  int keepers = 0;
  for (pid_t keeper : children_named(backend_.pid(), "pg-keeper")) {
    const fs::path proc = "/proc/" + std::to_string(keeper);
    const std::string pid = std::to_string(keeper);
    ++keepers;
    for (auto& fd : fs::directory_iterator(proc / "fd")) {
      std::error_code gone;  // a spawn's pipe may close while we look
      const std::string target = fs::read_symlink(fd.path(), gone).string();
      if (gone) continue;
      const int n = std::stoi(fd.path().filename().string());
      // A spawn's pipes, pidfd or the seccomp memfd may pass through; no
      // socket may, but the keeper's own at fd 3.
      if (n <= 2) {
        EXPECT_EQ(target, "/dev/null") << "keeper " << pid << " fd " << n;
      } else if (n == 3) {
        EXPECT_EQ(target.rfind("socket:", 0), 0u) << target;
      } else {
        EXPECT_NE(target.rfind("socket:", 0), 0u)
            << "keeper " << pid << " holds fd " << n << " -> " << target;
      }
    }
  }
  EXPECT_GE(keepers, 2);  // restarted on use, up to concurrency 2 + pool 2
}

TEST(SandboxPoolDisabled, PoolZeroStartsEachSandboxOnDemand) {
  BackendProcess backend({"--pool", "0"});
  ASSERT_TRUE(backend.started()) << backend.log();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(eval_json(backend.port(), "print(2)")["stdout"], "2\n");
  EXPECT_EQ(metric(backend.port(), "playground_pool_ready"), 0);
  EXPECT_EQ(metric(backend.port(), "playground_pool_started_on_demand_total"),
            3);
}

// A keeper that hangs on start must not stall the service's loop. Here the
// init program is replaced, after start-up, by one that never answers (as a
// broken upgrade would), and slot 0's keeper is killed: the next run there
// restarts it and waits for its "ready". Meanwhile /healthz answers at once
// and a run on the other slot completes; the hung one fails clearly once
// the keeper's start times out.
TEST(KeeperStall, AHangingKeeperDoesNotStallTheService) {
  const fs::path dir = fs::temp_directory_path() /
                       ("pg-keeper-stall-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path init = dir / "playground-sandbox-init";
  fs::copy_file(fs::path(bin_dir()) / "playground-sandbox-init", init,
                fs::copy_options::overwrite_existing);
  {
    BackendProcess backend(
        {"--init", init.string(), "--concurrency", "2", "--pool", "0"});
    ASSERT_TRUE(backend.started()) << backend.log();
    std::vector<pid_t> keepers = children_named(backend.pid(), "pg-keeper");
    ASSERT_EQ(keepers.size(), 2u);
    std::sort(keepers.begin(), keepers.end());  // started in slot order
    const fs::path hanging = dir / "hanging";
    std::ofstream(hanging) << "#!/bin/sh\nexec sleep 60\n";
    fs::permissions(hanging, fs::perms::owner_all);
    fs::rename(hanging, init);
    ASSERT_EQ(::kill(keepers[0], SIGKILL), 0);
    ASSERT_TRUE(wait_until(  // gone, or a zombie until the service notices
        [&] {
          std::ifstream stat("/proc/" + std::to_string(keepers[0]) + "/stat");
          std::string pid, comm, state;
          return !(stat >> pid >> comm >> state) || state == "Z";
        },
        std::chrono::seconds(5)));

    // Slot 0 is claimed first: this run waits for the hanging keeper.
    auto stuck = std::async(std::launch::async,
                            [&] { return eval(backend.port(), "print(1)"); });
    ASSERT_TRUE(backend.wait_for_log("restarting a sandbox keeper",
                                     std::chrono::seconds(5)))
        << backend.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto t0 = std::chrono::steady_clock::now();
    HttpReply health = HttpClient(backend.port()).get("/healthz");
    const double health_ms = std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - t0)
                                 .count();
    EXPECT_EQ(health.status, 200);
    const auto t1 = std::chrono::steady_clock::now();
    auto other = eval_json(backend.port(), "print('other slot')");
    const double other_ms = std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - t1)
                                .count();
    EXPECT_EQ(other["stdout"], "other slot\n") << other;
    std::cout << "while a keeper hangs on start: /healthz " << health_ms
              << " ms, a run on another slot " << other_ms << " ms\n";
    // Generous bounds for a shared machine; the keeper waits 10 s.
    EXPECT_LT(health_ms, 500);
    EXPECT_LT(other_ms, 2000);
    EXPECT_EQ(stuck.wait_for(std::chrono::seconds(0)),
              std::future_status::timeout);  // still waiting on the keeper

    HttpReply failed = stuck.get();
    EXPECT_EQ(failed.status, 500) << failed.body;
    EXPECT_NE(failed.body.find("ready within"), std::string::npos)
        << failed.body;
  }
  fs::remove_all(dir);
}

// Data snippets (numpy, pandas) get sandboxes whose Python imported them
// before the program arrived (backend/sandbox_kind.h).
class DataSandboxes : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(backend_.started()) << backend_.log(); }
  // Once a data run was seen, the pool keeps a data sandbox warm.
  bool wait_for_data_sandbox() {
    return wait_for_metric(backend_.port(), "playground_pool_data_warm", 1);
  }
  BackendProcess backend_{{"--concurrency", "2", "--pool", "2"}};
};

TEST_F(DataSandboxes, DataRunsGetPreimportedSandboxesThatShareNothing) {
  const uint16_t port = backend_.port();
  EXPECT_EQ(metric(port, "playground_pool_data_target"), 0);  // no demand yet
  auto first = eval_json(port, "import pandas\nprint(pandas.__name__)");
  ASSERT_EQ(first["stdout"], "pandas\n") << first;
  const std::string probe =
      "import sys\n"
      "import pandas as pd\n"
      "print(hash('abc'), id(object()), pd.DataFrame({'a': [1, 2]}).a.sum())\n"
      "print('marker' in globals(), len(sys.argv))\n"
      "marker = 1\n";
  std::set<std::string> hashes, ids;
  for (int run = 0; run < 3; ++run) {
    ASSERT_TRUE(wait_for_data_sandbox()) << backend_.log();
    auto j = eval_json(port, probe);
    ASSERT_EQ(j["status"], "ok") << j;
    std::istringstream out(std::string(j["stdout"].as_string()));
    std::string hash, id, sum, global_seen, argc;
    out >> hash >> id >> sum >> global_seen >> argc;
    EXPECT_EQ(sum, "3");
    EXPECT_EQ(global_seen, "False");
    EXPECT_EQ(argc, "1");
    hashes.insert(hash);
    ids.insert(id);
  }
  // A fresh interpreter each time, like plain sandboxes.
  EXPECT_EQ(hashes.size(), 3u);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(metric(port, "playground_pool_data_taken_warm_total"), 3);
}

TEST_F(DataSandboxes, MentionsInCommentsAndStringsGetAPlainSandbox) {
  const uint16_t port = backend_.port();
  auto seed = eval_json(port, "import numpy");  // data demand: one kept
  ASSERT_EQ(seed["status"], "ok") << seed;
  ASSERT_TRUE(wait_for_data_sandbox());
  // Same output as `python3 main.py`: nothing was imported for it.
  auto j =
      eval_json(port,
                "# import pandas\n"
                "s = '''\nimport numpy\n'''\n"
                "import sys\n"
                "print('pandas' in sys.modules, 'numpy' in sys.modules)\n");
  EXPECT_EQ(j["stdout"], "False False\n") << j;
  EXPECT_EQ(metric(port, "playground_pool_data_taken_warm_total"), 0);
  // A file beside it that could shadow a module keeps the program plain.
  HttpReply shadowed = HttpClient(port).post(
      "/py/eval",
      R"J({"code": "import pandas\nprint(pandas.X)", "files": [{"name":
           "pandas.py", "content": "X = 'the local one'"}]})J");
  EXPECT_NE(shadowed.body.find(R"("stdout":"the local one\n")"),
            std::string::npos)
      << shadowed.body;
  EXPECT_EQ(metric(port, "playground_pool_data_taken_warm_total"), 0);
}

TEST_F(DataSandboxes, ThePreloadsCpuIsNotTheProgramsCpu) {
  const uint16_t port = backend_.port();
  // A file beside it keeps the program plain: it pays for the import.
  HttpReply plain = HttpClient(port).post(
      "/py/eval",
      R"J({"code": "import pandas", "files": [{"name": "x.py", "content": ""}]})J");
  ASSERT_EQ(plain.status, 200) << plain.body;
  const double plain_cpu = plain.json().at("cpu_ms").to_number<double>();
  ASSERT_EQ(eval_json(port, "import pandas")["status"], "ok");  // demand
  ASSERT_TRUE(wait_for_data_sandbox());
  auto data = eval_json(port, "import pandas");
  ASSERT_EQ(data["status"], "ok") << data;
  EXPECT_EQ(metric(port, "playground_pool_data_taken_warm_total"), 1);
  // The imports ran before the program arrived; its cpu_ms leaves them out.
  EXPECT_LT(data["cpu_ms"].to_number<double>(), plain_cpu / 2)
      << "plain: " << plain_cpu << " ms, " << data;
}

TEST_F(DataSandboxes, AMemoryHogInPandasIsAMemoryLimit) {
  const uint16_t port = backend_.port();
  ASSERT_EQ(eval_json(port, "import pandas")["status"], "ok");
  ASSERT_TRUE(wait_for_data_sandbox());
  // 40,000 x 1,000 float64: 320 MB against the 256 MiB default.
  auto j = eval_json(port,
                     "import numpy as np, pandas as pd\n"
                     "df = pd.DataFrame(np.ones((40000, 1000)))\n"
                     "print(df.shape)\n");
  EXPECT_EQ(j["status"], "memory_limit") << j;
  EXPECT_EQ(metric(port, "playground_pool_data_taken_warm_total"), 1);
}

// --module-dirs none: the standard library only, and no data sandboxes.
TEST(ModuleDirs, NoneLeavesTheStandardLibraryOnly) {
  BackendProcess backend({"--module-dirs", "none"});
  ASSERT_TRUE(backend.started()) << backend.log();
  auto j = eval_json(backend.port(),
                     "import json, os\n"
                     "print(os.listdir('/usr/lib/python3/dist-packages'))\n"
                     "import pandas\n");
  EXPECT_EQ(j["stdout"], "[]\n") << j;
  EXPECT_NE(std::string(j["stderr"].as_string())
                .find("ModuleNotFoundError: No module named 'pandas'"),
            std::string::npos)
      << j;
  EXPECT_EQ(metric(backend.port(), "playground_pool_data_target"), 0);
}

}  // namespace
}  // namespace playground::testing
