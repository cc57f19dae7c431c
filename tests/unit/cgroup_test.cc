// cgroup slots against directories laid out like cgroupfs (v2 and v1), and
// discovery from mountinfo.
#include "sandbox/cgroup.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace playground::sandbox {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class FakeCgroupfs : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("pg-cgroupfs-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    // Empty the fake procs files so the destructor has nothing to kill.
    for (auto& e : fs::recursive_directory_iterator(root_)) {
      if (e.path().filename() == "cgroup.procs")
        std::ofstream(e.path(), std::ios::trunc);
    }
    slots_.reset();
    fs::remove_all(root_);
  }
  // A v2 hierarchy with memory and pids already delegated, and `count`
  // slots made in it for the service `owner`; false (with the error
  // reported) when they cannot be made.
  bool make_v2_slots(int count, pid_t owner) {
    put(root_ / "cgroup.controllers", "memory pids\n");
    put(root_ / "cgroup.subtree_control", "memory pids\n");
    put(root_ / "cgroup.procs", "");
    CgroupLayout layout;
    layout.v2_dir = root_.string();
    auto slots = CgroupSlots::create(layout, Limits{}, count, owner);
    EXPECT_TRUE(slots) << slots.error().message;
    if (!slots) return false;
    slots_ = std::move(*slots);
    return true;
  }
  fs::path root_;
  std::unique_ptr<CgroupSlots> slots_;
};

TEST_F(FakeCgroupfs,
       V2MovesOwnProcessesToALeafEnablesControllersAndSetsLimits) {
  put(root_ / "cgroup.controllers",
      "cpuset cpu io memory hugetlb pids rdma misc\n");
  put(root_ / "cgroup.subtree_control", "");
  put(root_ / "cgroup.procs", "1\n42\n");
  CgroupLayout layout;
  layout.version = CgroupLayout::Version::v2;
  layout.v2_dir = root_.string();
  Limits limits;
  limits.memory_bytes = 128LL << 20;
  limits.max_processes = 32;
  auto slots = CgroupSlots::create(layout, limits, 2, 777);
  ASSERT_TRUE(slots) << slots.error().message;
  slots_ = std::move(*slots);
  EXPECT_EQ(slots_->version(), "v2");
  EXPECT_EQ(slots_->count(), 2);

  // The root may not hold processes once it delegates controllers.
  EXPECT_EQ(slurp(root_ / "playground-service" / "cgroup.procs"), "1\n42\n");
  EXPECT_EQ(slurp(root_ / "cgroup.subtree_control"), "+memory +pids +cpu");
  const fs::path group = root_ / "playground-777";
  EXPECT_EQ(slurp(group / "cgroup.subtree_control"), "+memory +pids +cpu");
  for (int i = 0; i < 2; ++i) {
    const fs::path slot = group / ("slot-" + std::to_string(i));
    EXPECT_EQ(slurp(slot / "memory.max"), std::to_string(128LL << 20));
    EXPECT_EQ(slurp(slot / "memory.swap.max"), "0");
    EXPECT_EQ(slurp(slot / "pids.max"), "32");
    EXPECT_EQ(slurp(slot / "cpu.weight"), "100");
  }
  EXPECT_EQ(slots_->dir(1), (group / "slot-1").string());
}

TEST_F(FakeCgroupfs, V2PlacesPidsAndCountsOomKills) {
  ASSERT_TRUE(make_v2_slots(1, 778));
  EXPECT_FALSE(fs::exists(root_ / "playground-service"));  // nothing to move
  EXPECT_FALSE(fs::exists(root_ / "playground-778" / "slot-0" /
                          "cpu.weight"));  // no cpu
  ASSERT_TRUE(slots_->place(0, 4242));
  EXPECT_EQ(slurp(root_ / "playground-778" / "slot-0" / "cgroup.procs"),
            "4242");
  put(root_ / "playground-778" / "slot-0" / "memory.events",
      "low 0\nhigh 0\nmax 9\noom 3\noom_kill 2\noom_group_kill 0\n");
  EXPECT_EQ(slots_->oom_kills(0), 2u);
}

// Every run reads the counter twice through one descriptor held open: each
// read must see the file as it is now, not where the last read ended.
TEST_F(FakeCgroupfs, OomKillsFollowTheCounterFromRunToRun) {
  ASSERT_TRUE(make_v2_slots(2, 782));
  const fs::path events = root_ / "playground-782" / "slot-1" / "memory.events";
  EXPECT_EQ(slots_->oom_kills(1), 0u);  // no file yet: none
  put(events, "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 4\n");
  EXPECT_EQ(slots_->oom_kills(1), 0u);  // oom_group_kill is another key
  put(events, "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\noom_group_kill 4\n");
  EXPECT_EQ(slots_->oom_kills(1), 1u);
  put(events, "low 0\nhigh 0\nmax 9\noom 3\noom_kill 12\noom_group_kill 4\n");
  EXPECT_EQ(slots_->oom_kills(1), 12u);
  EXPECT_EQ(slots_->oom_kills(1), 12u);
  EXPECT_EQ(slots_->oom_kills(0), 0u);  // the other slot's own file
}

// Whether a slot is empty is read afresh each time, sparing its keeper.
TEST_F(FakeCgroupfs, EmptyAndKillRemainingReadTheSlotAfresh) {
  ASSERT_TRUE(make_v2_slots(1, 783));
  const fs::path procs = root_ / "playground-783" / "slot-0" / "cgroup.procs";
  const pid_t keeper = ::getpid();  // spared: never signalled
  put(procs, std::to_string(keeper) + "\n");
  EXPECT_TRUE(slots_->empty(0, keeper));
  EXPECT_FALSE(slots_->empty(0));
  EXPECT_TRUE(slots_->kill_remaining(0, keeper));

  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  put(procs, std::to_string(keeper) + "\n" + std::to_string(child) + "\n");
  EXPECT_FALSE(slots_->empty(0, keeper));
  EXPECT_FALSE(slots_->kill_remaining(0, keeper));  // one was left: killed
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  put(procs, std::to_string(keeper) + "\n");
  EXPECT_TRUE(slots_->empty(0, keeper));
  EXPECT_TRUE(slots_->kill_remaining(0, keeper));
}

TEST_F(FakeCgroupfs, V2RemovesGroupsOfServicesThatAreGone) {
  // A pid that cannot exist (above pid_max) stands for a crashed service.
  fs::create_directories(root_ / "playground-99999999" / "slot-0");
  ASSERT_TRUE(make_v2_slots(1, 779));
  EXPECT_FALSE(fs::exists(root_ / "playground-99999999"));
}

TEST_F(FakeCgroupfs, V1SetsLimitsInEachHierarchy) {
  for (auto c : {"memory", "pids", "cpu"}) fs::create_directories(root_ / c);
  put(root_ / "memory" / "playground-780" / "slot-0" /
          "memory.memsw.limit_in_bytes",
      "");
  CgroupLayout layout;
  layout.version = CgroupLayout::Version::v1;
  for (auto c : {"memory", "pids", "cpu"})
    layout.v1_dirs[c] = (root_ / c).string();
  Limits limits;
  limits.memory_bytes = 64LL << 20;
  auto slots = CgroupSlots::create(layout, limits, 1, 780);
  ASSERT_TRUE(slots) << slots.error().message;
  slots_ = std::move(*slots);
  const fs::path mem = root_ / "memory" / "playground-780" / "slot-0";
  EXPECT_EQ(slurp(mem / "memory.limit_in_bytes"), std::to_string(64LL << 20));
  EXPECT_EQ(slurp(mem / "memory.memsw.limit_in_bytes"),
            std::to_string(64LL << 20));
  EXPECT_EQ(slurp(root_ / "pids" / "playground-780" / "slot-0" / "pids.max"),
            "64");
  EXPECT_EQ(slurp(root_ / "cpu" / "playground-780" / "slot-0" / "cpu.shares"),
            "1024");
  ASSERT_TRUE(slots_->place(0, 5151));
  EXPECT_EQ(
      slurp(root_ / "pids" / "playground-780" / "slot-0" / "cgroup.procs"),
      "5151");
  put(mem / "memory.oom_control",
      "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
  EXPECT_EQ(slots_->oom_kills(0), 5u);
}

TEST_F(FakeCgroupfs, KillAllEndsTheProcessesInASlot) {
  ASSERT_TRUE(make_v2_slots(1, 781));
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  ASSERT_TRUE(slots_->place(0, child));
  // The fake procs file never empties, so kill_all gives up after trying;
  // what matters is that the process got SIGKILL.
  slots_->kill_all(0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST_F(FakeCgroupfs, DiscoveryPrefersV2WithMemoryAndPids) {
  put(root_ / "self" / "mountinfo",
      "30 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
  put(root_ / "self" / "cgroup", "0::/\n");
  auto layout = discover_cgroups((root_ / "self").string());
  // /sys/fs/cgroup here is the real one; only check the decision it made.
  if (layout) {
    EXPECT_TRUE(layout->version == CgroupLayout::Version::v2 ||
                layout->version == CgroupLayout::Version::v1);
  }
  put(root_ / "self2" / "mountinfo",
      "31 1 0:27 / " + (root_ / "mem").string() +
          " rw - cgroup cgroup rw,memory\n" + "32 1 0:28 / " +
          (root_ / "pids").string() + " rw - cgroup cgroup rw,pids\n" +
          "33 1 0:29 / " + (root_ / "cpu").string() +
          " rw - cgroup cgroup rw,cpu,cpuacct\n");
  put(root_ / "self2" / "cgroup", "4:memory:/a/b\n8:pids:/\n1:cpu,cpuacct:/\n");
  fs::create_directories(root_ / "mem" / "a" / "b");
  fs::create_directories(root_ / "pids");
  fs::create_directories(root_ / "cpu");
  auto v1 = discover_cgroups((root_ / "self2").string());
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->version, CgroupLayout::Version::v1);
  EXPECT_EQ(v1->v1_dirs.at("memory"), (root_ / "mem" / "a" / "b").string());
  EXPECT_EQ(v1->v1_dirs.at("pids"), (root_ / "pids").string());
  EXPECT_EQ(v1->v1_dirs.at("cpu"), (root_ / "cpu").string());
}

TEST_F(FakeCgroupfs, DiscoveryFailsClearlyWithoutControllers) {
  put(root_ / "self" / "mountinfo", "22 1 0:5 / /proc rw - proc proc rw\n");
  put(root_ / "self" / "cgroup", "0::/\n");
  auto layout = discover_cgroups((root_ / "self").string());
  ASSERT_FALSE(layout);
  EXPECT_NE(layout.error().message.find("memory and pids"), std::string::npos);
}

}  // namespace
}  // namespace playground::sandbox
