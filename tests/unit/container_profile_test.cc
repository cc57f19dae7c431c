// The backend container's seccomp profile: generated from the sandbox's
// allowlist, committed as deploy/docker/seccomp-backend.json.
#include "sandbox/inside/container_profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "sandbox/inside/seccomp_policy.h"

namespace {

using namespace playground::sandbox;

bool allows(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

TEST(ContainerProfile, CommittedFileIsTheGeneratedOne) {
  std::ifstream in(std::string(PLAYGROUND_SOURCE_DIR) +
                   "/deploy/docker/seccomp-backend.json");
  ASSERT_TRUE(in) << "deploy/docker/seccomp-backend.json is missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), container_profile::json())
      << "the committed profile is stale: run make seccomp-profile";
}

TEST(ContainerProfile, IsValidJsonInDockersFormat) {
  auto profile = boost::json::parse(container_profile::json()).as_object();
  EXPECT_EQ(profile.at("defaultAction"), "SCMP_ACT_ERRNO");
  const auto& rules = profile.at("syscalls").as_array();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].at("names").as_array()[0], "clone3");
  EXPECT_EQ(rules[0].at("errnoRet"), 38);  // ENOSYS: fall back to clone
  EXPECT_EQ(rules[1].at("action"), "SCMP_ACT_ALLOW");
  EXPECT_EQ(rules[1].at("names").as_array().size(),
            container_profile::allowed_syscalls().size());
}

TEST(ContainerProfile, CoversPythonsAllowlistAndTheServicesNeeds) {
  auto allowed = container_profile::allowed_syscalls();
  for (auto name : seccomp_policy::allowed_syscalls()) {
    if (name == "clone3") continue;
    EXPECT_TRUE(allows(allowed, name)) << name;
  }
  for (auto name : {"clone", "unshare", "mount", "pivot_root", "setresuid",
                    "seccomp", "socket", "accept4", "kill"}) {
    EXPECT_TRUE(allows(allowed, name)) << name;
  }
}

TEST(ContainerProfile, LeavesOutWhatASandboxBuilderNeverCalls) {
  auto allowed = container_profile::allowed_syscalls();
  for (auto name : {"bpf",
                    "ptrace",
                    "keyctl",
                    "add_key",
                    "request_key",
                    "io_uring_setup",
                    "perf_event_open",
                    "setns",
                    "kexec_load",
                    "init_module",
                    "finit_module",
                    "delete_module",
                    "open_by_handle_at",
                    "userfaultfd",
                    "process_vm_readv",
                    "process_vm_writev",
                    "fsopen",
                    "fsmount",
                    "move_mount",
                    "open_tree",
                    "swapon",
                    "reboot",
                    "settimeofday",
                    "clock_settime",
                    "acct",
                    "quotactl",
                    "lookup_dcookie",
                    "syslog",
                    "clone3"}) {
    EXPECT_FALSE(allows(allowed, name)) << name;
  }
}

}  // namespace
