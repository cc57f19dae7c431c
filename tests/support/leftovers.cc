// Inspection of the host for anything a sandbox left behind (see leftovers.h).
#include "support/leftovers.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace playground::testing {
namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Mounts of the host, but Docker's: the container tests' image build runs
// beside these tests and mounts and unmounts layers under its own roots.
size_t count_host_mounts() {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, mount_point;
    fields >> id >> parent >> device >> root >> mount_point;
    if (mount_point.rfind("/var/lib/docker/", 0) == 0 ||
        mount_point.rfind("/run/docker/", 0) == 0 ||
        mount_point.rfind("/run/containerd/", 0) == 0) {
      continue;
    }
    ++n;
  }
  return n;
}

std::set<std::string> playground_cgroups() {
  std::set<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator
           it("/sys/fs/cgroup", fs::directory_options::none, ec),
       end;
       it != end; it.increment(ec)) {
    if (ec) break;
    if (!it->is_directory(ec)) continue;
    const std::string path = it->path().string();
    if (path.find("/playground-") != std::string::npos) out.insert(path);
    if (it.depth() > 6) it.disable_recursion_pending();
  }
  return out;
}

std::string comm_of(const std::string& pid) {
  std::string comm = read_all("/proc/" + pid + "/comm");
  while (!comm.empty() && comm.back() == '\n') comm.pop_back();
  return comm;
}

std::vector<std::string> children_of(const std::string& pid) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& task : fs::directory_iterator("/proc/" + pid + "/task", ec)) {
    std::istringstream ids(read_all(task.path().string() + "/children"));
    std::string child;
    while (ids >> child) out.push_back(child);
  }
  return out;
}

// A pre-started sandbox that no request has used: a pg-init whose only
// child is a python3 still holding its code pipe (fd 3). The site hook
// (python_startup.h) closes fd 3 before any program code runs, so nothing a
// program started looks so.
bool is_unused_pooled_sandbox(const std::string& init) {
  if (comm_of(init) != "pg-init") return false;
  auto children = children_of(init);
  if (children.size() != 1 || comm_of(children[0]) != "python3") return false;
  std::error_code ec;
  return fs::is_symlink("/proc/" + children[0] + "/fd/3", ec) &&
         children_of(children[0]).empty();
}

// Descendants of the backend other than its keepers and their unused
// pre-started sandboxes, which are expected and collected in `expected`.
std::string unexpected_descendants(pid_t backend,
                                   std::set<std::string>& expected) {
  std::string found;
  std::vector<std::string> todo = children_of(std::to_string(backend));
  while (!todo.empty()) {
    std::string pid = todo.back();
    todo.pop_back();
    if (comm_of(pid) == "pg-keeper") {
      expected.insert(pid);
    } else if (is_unused_pooled_sandbox(pid)) {
      expected.insert(pid);
      for (auto& c : children_of(pid)) expected.insert(c);
      continue;
    } else {
      found += pid + " (" + comm_of(pid) + ") ";
    }
    for (auto& c : children_of(pid)) todo.push_back(c);
  }
  return found;
}

// Processes whose real uid is a sandbox's (65534, or one of a backend's
// per-slot ranges from 2^20 on), but `expected`.
std::string sandbox_user_processes(const std::set<std::string>& expected) {
  std::string found;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos ||
        expected.count(pid)) {
      continue;
    }
    std::istringstream status(read_all(entry.path().string() + "/status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) != 0) continue;
      std::istringstream uids(line.substr(4));
      int real = -1;
      uids >> real;
      if (real == 65534 || real >= (1 << 20)) {
        found +=
            pid + " (" + comm_of(pid) + ", uid " + std::to_string(real) + ") ";
      }
      break;
    }
  }
  return found;
}

std::string describe(pid_t backend, const HostState& before) {
  std::string problems;
  std::set<std::string> expected;
  if (auto extra = unexpected_descendants(backend, expected); !extra.empty()) {
    problems += "processes left under the backend: " + extra + "; ";
  }
  expected.insert(before.sandbox_user_pids.begin(),
                  before.sandbox_user_pids.end());
  if (auto nobody = sandbox_user_processes(expected); !nobody.empty()) {
    problems += "processes running as a sandbox uid: " + nobody + "; ";
  }
  if (size_t mounts = count_host_mounts(); mounts != before.mounts) {
    problems += "host mounts changed from " + std::to_string(before.mounts) +
                " to " + std::to_string(mounts) + "; ";
  }
  const std::string own = "/playground-" + std::to_string(backend) + "/slot-";
  for (auto& dir : playground_cgroups()) {
    if (!before.cgroups.count(dir)) problems += "new cgroup " + dir + "; ";
    if (dir.find(own) == std::string::npos) continue;
    std::istringstream procs(read_all(dir + "/cgroup.procs"));
    std::string pid;
    while (procs >> pid) {
      if (!expected.count(pid))
        problems += "process " + pid + " left in " + dir + "; ";
    }
  }
  return problems;
}

}  // namespace

HostState HostState::capture(pid_t backend) {
  HostState s;
  s.mounts = count_host_mounts();
  s.cgroups = playground_cgroups();
  // Only other services' processes: the backend's own are always judged.
  auto pids_in = [](const std::string& list) {
    std::set<std::string> pids;
    std::istringstream words(list);
    for (std::string w; words >> w;) {
      if (w.find_first_not_of("0123456789") == std::string::npos)
        pids.insert(w);
    }
    return pids;
  };
  std::set<std::string> own;
  for (auto& pid : pids_in(unexpected_descendants(backend, own)))
    own.insert(pid);
  s.sandbox_user_pids = pids_in(sandbox_user_processes(own));
  return s;
}

std::string leftovers(pid_t backend, const HostState& before) {
  std::string problems;
  for (int i = 0; i < 200; ++i) {
    problems = describe(backend, before);
    if (problems.empty()) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return problems;
}

std::string describe_leftovers_now(pid_t backend, const HostState& before) {
  return describe(backend, before);
}

std::set<std::string> cgroup_groups_of(pid_t backend) {
  std::set<std::string> out;
  const std::string name = "/playground-" + std::to_string(backend);
  for (auto& dir : playground_cgroups()) {
    if (dir.size() >= name.size() &&
        dir.compare(dir.size() - name.size(), name.size(), name) == 0) {
      out.insert(dir);
    }
  }
  return out;
}

}  // namespace playground::testing
