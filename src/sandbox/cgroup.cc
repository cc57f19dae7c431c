// Per-slot cgroups for sandboxes, v1 and v2 (see cgroup.h).
#include "sandbox/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "common/log.h"

namespace playground::sandbox {
namespace {

std::string errno_text(int e) { return std::strerror(e); }

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return Error{"cannot read " + path + ": " + errno_text(errno),
                 errno_code(errno)};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Control files take one value per write(2); O_CREAT lets the unit tests use a
// plain directory laid out like cgroupfs (on cgroupfs the files always exist).
Result<void> write_file(const std::string& path, const std::string& value) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{"cannot open " + path + ": " + errno_text(errno),
                 errno_code(errno)};
  }
  ssize_t n = ::write(fd, value.data(), value.size());
  int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    return Error{
        "cannot write \"" + value + "\" to " + path + ": " + errno_text(saved),
        errno_code(saved)};
  }
  return Ok();
}

// All of an open file, by read(2) until its end ("" when it fails).
std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

// The pids of a cgroup.procs text: one decimal per line.
std::vector<pid_t> parse_pids(std::string_view text) {
  std::vector<pid_t> pids;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    pid_t pid = 0;
    const auto [next, ec] = std::from_chars(p, end, pid);
    if (ec == std::errc()) pids.push_back(pid);
    p = std::find(next, end, '\n');
    if (p < end) ++p;
  }
  return pids;
}

// The pids of the cgroup.procs file `name`, opened relative to `dir` (a
// descriptor, or AT_FDCWD for a whole path).
std::vector<pid_t> read_pids_at(int dir, const char* name) {
  const UniqueFd file(::openat(dir, name, O_RDONLY | O_CLOEXEC));
  if (!file) return {};
  return parse_pids(read_all(file.get()));
}

std::vector<pid_t> read_pids(const std::string& procs_file) {
  return read_pids_at(AT_FDCWD, procs_file.c_str());
}

Result<void> make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Ok();
  return Error{"cannot create " + path + ": " + errno_text(errno),
               errno_code(errno)};
}

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  for (auto& s : v) {
    if (s == x) return true;
  }
  return false;
}

// The value of `key` in a flat keyed file ("key value" lines, as
// memory.events and memory.oom_control are); 0 when it is not there.
uint64_t keyed_value(std::string_view text, std::string_view key) {
  while (!text.empty()) {
    const size_t eol = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(std::min(eol + 1, text.size()));
    if (line.size() <= key.size() || !line.starts_with(key) ||
        line[key.size()] != ' ') {
      continue;
    }
    line.remove_prefix(key.size() + 1);
    uint64_t value = 0;
    std::from_chars(line.data(), line.data() + line.size(), value);
    return value;
  }
  return 0;
}

// Kills what is left in a cgroup and removes it. A task killed a moment ago
// (the sandboxes of a service killed -9 are still dying when it restarts)
// keeps the group busy until it has exited, so this waits for that, up to
// 2 s; giving up at once would leave the group behind for good.
bool kill_and_remove(const std::string& dir) {
  for (int i = 0; i < 200; ++i) {
    for (pid_t p : read_pids(dir + "/cgroup.procs")) ::kill(p, SIGKILL);
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return true;
    if (errno != EBUSY) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  log::warn("cannot remove a stale cgroup",
            {{"path", dir}, {"error", std::strerror(errno)}});
  return false;
}

// Removes playground-<pid> groups whose service is gone (a crash or kill -9).
void remove_stale_groups(const std::string& parent) {
  DIR* d = ::opendir(parent.c_str());
  if (d == nullptr) return;
  std::vector<std::string> stale;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.rfind("playground-", 0) != 0) continue;
    pid_t pid = std::atoi(name.c_str() + 11);
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) stale.push_back(name);
  }
  ::closedir(d);
  for (auto& name : stale) {
    std::string group = parent + "/" + name;
    if (DIR* g = ::opendir(group.c_str())) {
      while (dirent* e = ::readdir(g)) {
        std::string slot = e->d_name;
        if (slot.rfind("slot-", 0) != 0) continue;
        kill_and_remove(group + "/" + slot);
      }
      ::closedir(g);
    }
    if (::rmdir(group.c_str()) == 0) {
      log::info("removed a stale cgroup of a service that is gone",
                {{"path", group}});
    }
  }
}

// Under v2 a cgroup that delegates controllers to children may hold no
// processes itself, so whatever runs in our own cgroup moves to a leaf first.
Result<void> enable_v2_controllers(const std::string& dir,
                                   const std::vector<std::string>& wanted) {
  // A cgroup the kernel just made has the file; a plain directory in the
  // unit tests does not, which reads as "nothing enabled".
  auto enabled = read_file(dir + "/cgroup.subtree_control");
  if (!enabled && enabled.error().code != std::errc::no_such_file_or_directory)
    return enabled.error();
  auto have = enabled ? split_words(*enabled) : std::vector<std::string>{};
  std::string request;
  for (auto& c : wanted) {
    if (!contains(have, c)) request += (request.empty() ? "+" : " +") + c;
  }
  if (request.empty()) return Ok();
  auto procs = read_pids(dir + "/cgroup.procs");
  if (!procs.empty()) {
    const std::string leaf = dir + "/playground-service";
    if (auto r = make_dir(leaf); !r) return r;
    int fd = ::open((leaf + "/cgroup.procs").c_str(),
                    O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return Error{"cannot open " + leaf + "/cgroup.procs", errno_code(errno)};
    for (pid_t pid : procs) {
      std::string line = std::to_string(pid) + "\n";
      // A process may exit meanwhile; the write for it fails and that is fine.
      [[maybe_unused]] ssize_t n = ::write(fd, line.data(), line.size());
    }
    ::close(fd);
  }
  return write_file(dir + "/cgroup.subtree_control", request);
}

// Where the hierarchies are mounted (/proc/self/mountinfo): v2 "cgroup2"
// and, per v1 controller, "cgroup" with the controller among its super
// options; each with the mount's root.
struct CgroupMounts {
  std::string v2_mount, v2_root;
  std::map<std::string, std::pair<std::string, std::string>>
      v1;  // ctrl -> (mount, root)
};

CgroupMounts parse_mountinfo(const std::string& mountinfo) {
  CgroupMounts out;
  std::istringstream lines(mountinfo);
  std::string line;
  while (std::getline(lines, line)) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto pre = split_words(line.substr(0, dash));
    auto post = split_words(line.substr(dash + 3));
    if (pre.size() < 5 || post.size() < 3) continue;
    const std::string& root = pre[3];
    const std::string& mount_point = pre[4];
    if (post[0] == "cgroup2") {
      if (out.v2_mount.empty()) {
        out.v2_mount = mount_point;
        out.v2_root = root;
      }
    } else if (post[0] == "cgroup") {
      std::istringstream opts(post[2]);
      std::string opt;
      while (std::getline(opts, opt, ',')) {
        if (opt == "memory" || opt == "pids" || opt == "cpu") {
          out.v1.emplace(opt, std::make_pair(mount_point, root));
        }
      }
    }
  }
  return out;
}

// Our own cgroup in each hierarchy (/proc/self/cgroup).
struct CgroupMembership {
  std::string v2_path;
  std::map<std::string, std::string> v1_paths;  // ctrl -> path
};

CgroupMembership parse_membership(const std::string& membership) {
  CgroupMembership out;
  std::istringstream groups(membership);
  std::string line;
  while (std::getline(groups, line)) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      out.v2_path = path;
      continue;
    }
    std::istringstream cs(controllers);
    std::string c;
    while (std::getline(cs, c, ',')) out.v1_paths[c] = path;
  }
  return out;
}

// Our own directory in a hierarchy, from our path relative to the mount's
// root (inside a container the mount's root is already our cgroup).
std::string own_dir(const std::string& mount, const std::string& mount_root,
                    std::string path) {
  if (mount_root != "/" && path.rfind(mount_root, 0) == 0) {
    path = path.substr(mount_root.size());
  }
  std::string dir = mount + (path == "/" ? "" : path);
  return exists(dir) ? dir : mount;
}

// v2, where our cgroup offers the memory and pids controllers.
std::optional<CgroupLayout> v2_layout(const CgroupMounts& mounts,
                                      const CgroupMembership& membership) {
  if (mounts.v2_mount.empty() || membership.v2_path.empty()) {
    return std::nullopt;
  }
  std::string dir =
      own_dir(mounts.v2_mount, mounts.v2_root, membership.v2_path);
  auto available = read_file(dir + "/cgroup.controllers");
  if (!available) return std::nullopt;
  auto ctrls = split_words(*available);
  if (!contains(ctrls, "memory") || !contains(ctrls, "pids")) {
    return std::nullopt;
  }
  CgroupLayout layout;
  layout.version = CgroupLayout::Version::v2;
  layout.v2_dir = dir;
  layout.mount_points = {mounts.v2_mount};
  return layout;
}

// v1, where the memory and pids controllers are mounted.
std::optional<CgroupLayout> v1_layout(const CgroupMounts& mounts,
                                      const CgroupMembership& membership) {
  if (!mounts.v1.count("memory") || !mounts.v1.count("pids")) {
    return std::nullopt;
  }
  CgroupLayout layout;
  layout.version = CgroupLayout::Version::v1;
  for (auto& [ctrl, mount] : mounts.v1) {
    auto it = membership.v1_paths.find(ctrl);
    layout.v1_dirs[ctrl] =
        own_dir(mount.first, mount.second,
                it == membership.v1_paths.end() ? "/" : it->second);
    if (std::find(layout.mount_points.begin(), layout.mount_points.end(),
                  mount.first) == layout.mount_points.end()) {
      layout.mount_points.push_back(mount.first);
    }
  }
  return layout;
}

}  // namespace

Result<CgroupLayout> discover_cgroups(const std::string& proc_self) {
  auto mountinfo = read_file(proc_self + "/mountinfo");
  if (!mountinfo) return mountinfo.error();
  auto membership = read_file(proc_self + "/cgroup");
  if (!membership) return membership.error();
  const CgroupMounts mounts = parse_mountinfo(*mountinfo);
  const CgroupMembership own = parse_membership(*membership);
  if (auto v2 = v2_layout(mounts, own)) return std::move(*v2);
  if (auto v1 = v1_layout(mounts, own)) return std::move(*v1);
  return Error{
      "no cgroup hierarchy with the memory and pids controllers is mounted"};
}

Result<std::vector<std::string>> remount_writable(const CgroupLayout& layout) {
  std::vector<std::string> remounted;
  for (const auto& point : layout.mount_points) {
    struct statvfs st;
    if (::statvfs(point.c_str(), &st) != 0) {
      return Error{"cannot stat " + point + ": " + errno_text(errno),
                   errno_code(errno)};
    }
    if ((st.f_flag & ST_RDONLY) == 0) continue;
    // A bind remount changes this mount's flags only; the others it keeps
    // must be passed again or the kernel refuses (they may be locked).
    unsigned long flags = MS_REMOUNT | MS_BIND;
    if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    if (::mount(nullptr, point.c_str(), nullptr, flags, nullptr) != 0) {
      return Error{
          "cannot remount " + point + " read-write: " + errno_text(errno),
          errno_code(errno)};
    }
    remounted.push_back(point);
  }
  return remounted;
}

CgroupSlots::CgroupSlots(CgroupLayout::Version version,
                         std::vector<std::string> groups)
    : version_(version), groups_(std::move(groups)) {}

namespace {

// A v2 slot's limits: memory without swap, processes, an equal cpu weight.
Result<void> limit_v2_slot(const std::string& dir, const Limits& limits,
                           bool cpu) {
  if (auto r =
          write_file(dir + "/memory.max", std::to_string(limits.memory_bytes));
      !r)
    return r;
  // Without swap the memory limit is the whole limit. Kernels without
  // swap accounting have no such file; nothing can swap there anyway.
  if (auto r = write_file(dir + "/memory.swap.max", "0");
      !r && r.error().code != std::errc::no_such_file_or_directory) {
    return r;
  }
  if (auto r =
          write_file(dir + "/pids.max", std::to_string(limits.max_processes));
      !r)
    return r;
  if (cpu) return write_file(dir + "/cpu.weight", "100");
  return Ok();
}

// A v1 slot's limits; `dirs`: its memory, pids and (if any) cpu groups.
Result<void> limit_v1_slot(const std::vector<std::string>& dirs,
                           const Limits& limits) {
  const std::string memory = std::to_string(limits.memory_bytes);
  const std::string& mem = dirs[0];
  if (auto r = write_file(mem + "/memory.limit_in_bytes", memory); !r) return r;
  if (exists(mem + "/memory.memsw.limit_in_bytes")) {
    if (auto r = write_file(mem + "/memory.memsw.limit_in_bytes", memory); !r)
      return r;
  }
  if (auto r = write_file(dirs[1] + "/pids.max",
                          std::to_string(limits.max_processes));
      !r)
    return r;
  if (dirs.size() > 2) return write_file(dirs[2] + "/cpu.shares", "1024");
  return Ok();
}

}  // namespace

Result<std::unique_ptr<CgroupSlots>> CgroupSlots::create(
    const CgroupLayout& layout, const Limits& limits, int count, pid_t owner) {
  const std::string group_name = "playground-" + std::to_string(owner);
  if (layout.version == CgroupLayout::Version::v2) {
    return create_v2(layout.v2_dir, group_name, limits, count);
  }
  return create_v1(layout, group_name, limits, count);
}

Result<std::unique_ptr<CgroupSlots>> CgroupSlots::create_v2(
    const std::string& base, const std::string& group_name,
    const Limits& limits, int count) {
  auto available = read_file(base + "/cgroup.controllers");
  if (!available) return available.error();
  std::vector<std::string> wanted = {"memory", "pids"};
  if (contains(split_words(*available), "cpu")) wanted.push_back("cpu");
  remove_stale_groups(base);
  if (auto r = enable_v2_controllers(base, wanted); !r) return r.error();
  const std::string group = base + "/" + group_name;
  if (auto r = make_dir(group); !r) return r.error();
  std::unique_ptr<CgroupSlots> slots(
      new CgroupSlots(CgroupLayout::Version::v2, {group}));
  if (auto r = enable_v2_controllers(group, wanted); !r) return r.error();
  for (int i = 0; i < count; ++i) {
    const std::string dir = group + "/slot-" + std::to_string(i);
    slots->slots_.push_back({dir});
    if (auto r = make_dir(dir); !r) return r.error();
    if (auto r = slots->open_dir(i); !r) return r.error();
    if (auto r = limit_v2_slot(dir, limits, contains(wanted, "cpu")); !r)
      return r.error();
  }
  return slots;
}

Result<std::unique_ptr<CgroupSlots>> CgroupSlots::create_v1(
    const CgroupLayout& layout, const std::string& group_name,
    const Limits& limits, int count) {
  std::vector<std::string> groups;
  std::vector<std::string> controllers = {"memory", "pids"};
  if (layout.v1_dirs.count("cpu")) controllers.push_back("cpu");
  for (auto& c : controllers) {
    const std::string& base = layout.v1_dirs.at(c);
    remove_stale_groups(base);
    groups.push_back(base + "/" + group_name);
    if (auto r = make_dir(groups.back()); !r) return r.error();
  }
  std::unique_ptr<CgroupSlots> slots(
      new CgroupSlots(CgroupLayout::Version::v1, groups));
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> dirs;
    for (auto& g : groups) dirs.push_back(g + "/slot-" + std::to_string(i));
    slots->slots_.push_back(dirs);
    for (auto& d : dirs) {
      if (auto r = make_dir(d); !r) return r.error();
    }
    if (auto r = slots->open_dir(i); !r) return r.error();
    if (auto r = limit_v1_slot(dirs, limits); !r) return r.error();
  }
  return slots;
}

CgroupSlots::~CgroupSlots() {
  for (int i = 0; i < count(); ++i) {
    kill_all(i);
    if (static_cast<size_t>(i) < dir_fds_.size()) {
      oom_files_[i].reset();
      dir_fds_[i].reset();
    }
    for (auto& d : slots_[i]) ::rmdir(d.c_str());
  }
  for (auto& g : groups_) ::rmdir(g.c_str());
}

std::string CgroupSlots::version() const {
  return version_ == CgroupLayout::Version::v2 ? "v2" : "v1";
}

Result<void> CgroupSlots::place(int slot, pid_t pid) {
  const std::string value = std::to_string(pid);
  for (auto& d : slots_[slot]) {
    if (auto r = write_file(d + "/cgroup.procs", value); !r) return r;
  }
  return Ok();
}

Result<void> CgroupSlots::open_dir(int slot) {
  const std::string& d = slots_[slot].front();
  dir_fds_.resize(slots_.size());
  oom_files_.resize(slots_.size());
  dir_fds_[slot].reset(::open(d.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fds_[slot]) {
    return Error{"cannot open " + d + ": " + errno_text(errno),
                 errno_code(errno)};
  }
  return Ok();
}

uint64_t CgroupSlots::oom_kills(int slot) const {
  if (static_cast<size_t>(slot) >= dir_fds_.size()) return 0;
  UniqueFd& file = oom_files_[slot];
  if (!file) {
    file.reset(::openat(dir_fds_[slot].get(),
                        version_ == CgroupLayout::Version::v2
                            ? "memory.events"
                            : "memory.oom_control",
                        O_RDONLY | O_CLOEXEC));
    if (!file) return 0;
  }
  // Both files are a few short lines: one read from the start has them all.
  char text[1024];
  ssize_t n;
  do {
    n = ::pread(file.get(), text, sizeof text, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return 0;
  return keyed_value({text, static_cast<size_t>(n)}, "oom_kill");
}

std::vector<pid_t> CgroupSlots::pids(int slot) const {
  if (static_cast<size_t>(slot) < dir_fds_.size() && dir_fds_[slot]) {
    return read_pids_at(dir_fds_[slot].get(), "cgroup.procs");
  }
  // A slot whose directory could not be made or opened (create failed).
  return read_pids(slots_[slot].front() + "/cgroup.procs");
}

bool CgroupSlots::empty(int slot, pid_t spare) const {
  for (pid_t p : pids(slot)) {
    if (p != spare) return false;
  }
  return true;
}

bool CgroupSlots::kill_remaining(int slot, pid_t spare) {
  bool none = true;
  for (pid_t p : pids(slot)) {
    if (p == spare) continue;
    none = false;
    ::kill(p, SIGKILL);
  }
  return none;
}

void CgroupSlots::kill_all(int slot, pid_t spare) {
  const std::string& d = slots_[slot].front();
  // cgroup.kill (v2) would take the keeper too; it is only for a slot
  // without one.
  if (spare <= 0 && version_ == CgroupLayout::Version::v2 &&
      exists(d + "/cgroup.kill")) {
    (void)write_file(d + "/cgroup.kill", "1");
  }
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (kill_remaining(slot, spare)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  log::warn("processes remain in a sandbox cgroup after SIGKILL",
            {{"cgroup", d}});
}

}  // namespace playground::sandbox
