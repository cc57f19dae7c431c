// Step: each thing that can fail while a sandbox is made, with the isolation
// layer it belongs to.
//
//   contain.cc:  return mount_proc() || fail(Step::mount_proc);
//   the wire:    "fail mount-proc 13"          (name(step), errno)
//   launcher.cc: return Error{..., Step::mount_proc};
//   probe.cc:    switch (layer_of(step)) { case Layer::filesystem: ... }
//
// One table (step.cc) holds every step's wire name and layer; the init that
// takes the steps, the service that reads their failures and the self-test
// that drops a layer all use it, so a new step cannot be left unclassified.
#pragma once

#include <cstdint>
#include <string_view>
#include <system_error>

namespace playground::sandbox {

enum class Step : uint8_t {
  unknown = 1,  // a failure report the service could not read
  keeper,       // the slot's keeper died or did not answer
  cgroup,       // moving the keeper into its slot's cgroup
  descriptors,  // arranging the sandbox's descriptors
  request,      // a malformed spawn request reached the keeper
  clone,
  userns,
  userns_map,
  mount_namespace,
  hostname,
  mount_private,
  mount_root,
  mount_usr,
  mount_lib,
  mount_etc,
  mount_dev,
  mount_proc,
  mount_shm,
  mount_tmp,
  root_readonly,
  pivot,
  pivot_chdir,
  pivot_umount,
  signals,
  pdeathsig,
  subreaper,
  fork,
  setsid,
  priority,
  oom_score,
  rlimits,
  chdir,
  capbset,
  securebits,
  setgroups,
  setgid,
  setuid,
  capset,
  no_new_privs,
  close_fds,
  seccomp,
  exec,
};

// The isolation layer a step sets up: the one the self-test gives up when
// the step fails (none: the failure is not the machine's refusal).
enum class Layer : uint8_t {
  none,
  namespaces,
  cgroups,
  filesystem,
  privileges,
  seccomp
};

std::string_view name(Step step);        // "mount-proc": the wire and log name
Step step_named(std::string_view name);  // Step::unknown when none matches
Layer layer_of(Step step);

// Errors of a failed step carry it as their code (see common/error.h).
const std::error_category& step_category();
inline std::error_code make_error_code(Step step) {
  return {static_cast<int>(step), step_category()};
}
// The step of an error, or Step::unknown when it is not a step's.
Step step_of(const std::error_code& code);

}  // namespace playground::sandbox

template <>
struct std::is_error_code_enum<playground::sandbox::Step> : std::true_type {};
