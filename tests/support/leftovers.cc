// Inspection of the host for anything a sandbox left behind (see leftovers.h).
#include "support/leftovers.h"

#include <dirent.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace playground::testing {
namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) ++n;
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

std::string children_of(pid_t pid) {
  std::string all;
  std::error_code ec;
  for (auto& task :
       fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    all += read_all(task.path().string() + "/children");
  }
  return all;
}

// Processes whose real uid is the sandbox user's (65534).
std::string sandbox_user_processes() {
  std::string found;
  std::error_code ec;
  for (auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::istringstream status(read_all(entry.path().string() + "/status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) == 0) {
        std::istringstream uids(line.substr(4));
        int real = -1;
        uids >> real;
        if (real == 65534) {
          found +=
              name + " (" + read_all(entry.path().string() + "/comm") + ") ";
        }
        break;
      }
    }
  }
  return found;
}

std::string describe(pid_t backend, const HostState& before) {
  std::string problems;
  std::string children = children_of(backend);
  if (children.find_first_not_of(" \n") != std::string::npos) {
    problems += "backend still has child processes: " + children + "; ";
  }
  std::string nobody = sandbox_user_processes();
  if (!nobody.empty())
    problems += "processes running as uid 65534: " + nobody + "; ";
  size_t mounts = count_lines("/proc/self/mountinfo");
  if (mounts != before.mounts) {
    problems += "host mounts changed from " + std::to_string(before.mounts) +
                " to " + std::to_string(mounts) + "; ";
  }
  for (auto& dir : playground_cgroups()) {
    if (!before.cgroups.count(dir)) problems += "new cgroup " + dir + "; ";
    std::string procs = read_all(dir + "/cgroup.procs");
    if (dir.find("/slot-") != std::string::npos &&
        procs.find_first_not_of(" \n") != std::string::npos) {
      problems += "processes left in " + dir + ": " + procs + "; ";
    }
  }
  return problems;
}

}  // namespace

HostState HostState::capture(pid_t) {
  HostState s;
  s.mounts = count_lines("/proc/self/mountinfo");
  s.cgroups = playground_cgroups();
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
