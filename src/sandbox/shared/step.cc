// The table of sandbox steps (see step.h).
#include "sandbox/shared/step.h"

#include <array>

namespace playground::sandbox {
namespace {

struct StepInfo {
  Step step;
  std::string_view name;
  Layer layer;
};

// clang-format off
constexpr std::array kSteps{
    StepInfo{Step::unknown,         "unknown",         Layer::none},
    StepInfo{Step::keeper,          "keeper",          Layer::none},
    StepInfo{Step::cgroup,          "cgroup",          Layer::cgroups},
    StepInfo{Step::descriptors,     "descriptors",     Layer::none},
    StepInfo{Step::request,         "request",         Layer::none},
    StepInfo{Step::clone,           "clone",           Layer::namespaces},
    StepInfo{Step::userns,          "userns",          Layer::namespaces},
    StepInfo{Step::userns_map,      "userns-map",      Layer::namespaces},
    StepInfo{Step::mount_namespace, "mount-namespace", Layer::filesystem},
    StepInfo{Step::hostname,        "hostname",        Layer::namespaces},
    StepInfo{Step::mount_private,   "mount-private",   Layer::filesystem},
    StepInfo{Step::mount_root,      "mount-root",      Layer::filesystem},
    StepInfo{Step::mount_usr,       "mount-usr",       Layer::filesystem},
    StepInfo{Step::mount_lib,       "mount-lib",       Layer::filesystem},
    StepInfo{Step::mount_etc,       "mount-etc",       Layer::filesystem},
    StepInfo{Step::mount_dev,       "mount-dev",       Layer::filesystem},
    StepInfo{Step::mount_proc,      "mount-proc",      Layer::filesystem},
    StepInfo{Step::mount_shm,       "mount-shm",       Layer::filesystem},
    StepInfo{Step::mount_tmp,       "mount-tmp",       Layer::filesystem},
    StepInfo{Step::root_readonly,   "root-readonly",   Layer::filesystem},
    StepInfo{Step::pivot,           "pivot",           Layer::filesystem},
    StepInfo{Step::pivot_chdir,     "pivot-chdir",     Layer::filesystem},
    StepInfo{Step::pivot_umount,    "pivot-umount",    Layer::filesystem},
    StepInfo{Step::signals,         "signals",         Layer::none},
    StepInfo{Step::pdeathsig,       "pdeathsig",       Layer::none},
    StepInfo{Step::subreaper,       "subreaper",       Layer::none},
    StepInfo{Step::fork,            "fork",            Layer::none},
    StepInfo{Step::setsid,          "setsid",          Layer::none},
    StepInfo{Step::priority,        "priority",        Layer::none},
    StepInfo{Step::oom_score,       "oom-score",       Layer::none},
    StepInfo{Step::rlimits,         "rlimits",         Layer::none},
    StepInfo{Step::chdir,           "chdir",           Layer::none},
    StepInfo{Step::capbset,         "capbset",         Layer::privileges},
    StepInfo{Step::securebits,      "securebits",      Layer::privileges},
    StepInfo{Step::setgroups,       "setgroups",       Layer::privileges},
    StepInfo{Step::setgid,          "setgid",          Layer::privileges},
    StepInfo{Step::setuid,          "setuid",          Layer::privileges},
    StepInfo{Step::capset,          "capset",          Layer::privileges},
    StepInfo{Step::no_new_privs,    "no-new-privs",    Layer::none},
    StepInfo{Step::close_fds,       "close-fds",       Layer::none},
    StepInfo{Step::seccomp,         "seccomp",         Layer::seccomp},
    StepInfo{Step::exec,            "exec",            Layer::none},
};
// clang-format on

constexpr bool table_in_enum_order() {
  for (size_t i = 0; i < kSteps.size(); ++i) {
    if (static_cast<size_t>(kSteps[i].step) != i + 1) return false;
  }
  return static_cast<size_t>(Step::exec) == kSteps.size();
}
static_assert(table_in_enum_order(), "one row per Step, in enum order");

const StepInfo& info(Step step) {
  const auto index = static_cast<size_t>(step) - 1;
  return index < kSteps.size() ? kSteps[index] : kSteps[0];
}

class StepCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sandbox step"; }
  std::string message(int value) const override {
    return std::string(sandbox::name(static_cast<Step>(value))) + " failed";
  }
};

}  // namespace

std::string_view name(Step step) { return info(step).name; }

Step step_named(std::string_view name) {
  for (const auto& s : kSteps) {
    if (s.name == name) return s.step;
  }
  return Step::unknown;
}

Layer layer_of(Step step) { return info(step).layer; }

const std::error_category& step_category() {
  static const StepCategory category;
  return category;
}

Step step_of(const std::error_code& code) {
  if (code.category() != step_category()) return Step::unknown;
  return info(static_cast<Step>(code.value())).step;
}

}  // namespace playground::sandbox
