// Containment steps run inside the sandbox by its init (see contain.h).
//
// This runs in its own small, single-threaded process, so it may allocate and
// call ordinary library functions between fork and exec.
#include "sandbox/inside/contain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/inside/python_startup.h"
#include "sandbox/inside/seccomp_policy.h"
#include "sandbox/shared/policy.h"
#include "sandbox/shared/step.h"
#include "sandbox/shared/unique_fd.h"

namespace playground::sandbox::contain {
namespace {

#define RETURN_ON_FAILURE(expr) \
  do {                          \
    if (!(expr)) return false;  \
  } while (0)

// Where the new root is assembled. In our private mount namespace a tmpfs is
// mounted over it, so nothing is written to the host's directory.
constexpr const char* kNewRoot = "/tmp";

// Where failures are reported: the status pipe of a run, or the keeper's
// socket while it prepares its root.
int g_report_fd = kStatusFd;

void report(const char* format, ...) {
  char line[256];
  va_list args;
  va_start(args, format);
  int n = std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n <= 0) return;
  size_t len = std::min(static_cast<size_t>(n), sizeof line - 1);
  [[maybe_unused]] ssize_t w = ::write(g_report_fd, line, len);
}

// Reports the failed step with errno and returns false, for RETURN_ON_FAILURE.
bool fail(Step step) {
  int saved = errno;
  const std::string_view step_name = name(step);
  report("fail %.*s %d\n", static_cast<int>(step_name.size()), step_name.data(),
         saved);
  errno = saved;
  return false;
}

bool write_file(const char* path, const std::string& content, int mode = 0644) {
  int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return false;
  bool ok = ::write(fd, content.data(), content.size()) ==
            static_cast<ssize_t>(content.size());
  int saved = errno;
  ::close(fd);
  errno = saved;
  return ok;
}

std::string in_root(const char* path) { return std::string(kNewRoot) + path; }

// ---- init-level steps ------------------------------------------------------

bool reset_signals() {
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  return sigprocmask(SIG_SETMASK, &none, nullptr) == 0 || fail(Step::signals);
}

// If the keeper (and so the service) dies, its sandboxes die with it.
bool die_with_keeper() {
  return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 || fail(Step::pdeathsig);
}

bool make_mounts_private() {
  return mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 ||
         fail(Step::mount_private);
}

bool mount_tmpfs(const std::string& target, const std::string& options,
                 unsigned long flags) {
  return mount("tmpfs", target.c_str(), "tmpfs", flags, options.c_str()) == 0;
}

// Bind `source` at `target` with `flags` (MS_RDONLY, MS_NOSUID, ...) applied.
bool bind(const char* source, const std::string& target, unsigned long flags) {
  if (mount(source, target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return false;
  }
  return mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | flags,
               nullptr) == 0;
}

// A read-only view of the host directory `source` at `target`. An overlay
// where the kernel allows one: the sandbox's mountinfo then names "overlay"
// and its layers, where a bind names the host's disk and its mount options.
// Overlayfs wants two layers without an upper one; the second is `empty`.
bool view_readonly(const char* source, const std::string& target,
                   const std::string& empty) {
  const std::string layers = "lowerdir=" + std::string(source) + ":" + empty;
  return mount("overlay", target.c_str(), "overlay",
               MS_RDONLY | MS_NOSUID | MS_NODEV, layers.c_str()) == 0 ||
         bind(source, target, MS_RDONLY | MS_NOSUID | MS_NODEV);
}

// Recreates the top-level entries Python's dynamic loader may look under:
// merged-/usr symlinks are copied, real directories bound read-only.
bool mirror_top_level(const char* path) {
  const std::string host = path;
  struct stat st;
  if (lstat(host.c_str(), &st) != 0) return errno == ENOENT;
  std::string target = in_root(host.c_str());
  if (S_ISLNK(st.st_mode)) {
    char link[PATH_MAX];
    ssize_t n = readlink(host.c_str(), link, sizeof link - 1);
    if (n < 0) return false;
    link[n] = '\0';
    return symlink(link, target.c_str()) == 0;
  }
  if (!S_ISDIR(st.st_mode)) return true;
  return mkdir(target.c_str(), 0755) == 0 &&
         view_readonly(host.c_str(), target, in_root(kEmptyLayer));
}

std::string read_fd(int fd) {
  std::string content;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) content.append(buf, static_cast<size_t>(n));
  }
  return content;
}

std::string read_file(const char* path) {
  std::string content;
  if (FILE* f = std::fopen(path, "re")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) content.append(buf, n);
    std::fclose(f);
  }
  return content;
}

// The pyc compiler's process: stdin and stdout the pipes, stderr /dev/null;
// as nobody when really root. Only exits.
[[noreturn]] void exec_pyc_compiler(const std::string& python,
                                    const std::string& filename, int in,
                                    int out, bool in_user_namespace) {
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || null < 0 || dup2(null, 2) < 0) {
    _exit(120);
  }
  if (getuid() == 0 && !in_user_namespace &&
      (setgroups(0, nullptr) != 0 ||
       setresgid(kSandboxGid, kSandboxGid, kSandboxGid) != 0 ||
       setresuid(kSandboxUid, kSandboxUid, kSandboxUid) != 0)) {
    _exit(121);
  }
  const char* argv[] = {
      "python3",        "-I",   "-S", "-c", pyc_compiler_source(),
      filename.c_str(), nullptr};
  const char* envp[] = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", nullptr};
  execve(python.c_str(), const_cast<char* const*>(argv),
         const_cast<char* const*>(envp));
  _exit(127);
}

// Runs `python` (no site; as nobody when really root, as the user namespace's
// one mapped user otherwise) on our own `source` and returns the unchecked
// pyc it made (python_startup.h); empty on failure.
std::string compile_to_pyc(const std::string& python, const std::string& source,
                           const std::string& filename,
                           bool in_user_namespace) {
  UniqueFd in_read, in_write, out_read, out_write;
  if (!make_pipe(in_read, in_write) || !make_pipe(out_read, out_write))
    return "";
  // The keeper ignores SIGCHLD (its inits are reaped by the kernel); this
  // child's exit status is wanted.
  struct sigaction keep {
  }, wait_for{};
  wait_for.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &wait_for, &keep);
  const pid_t child = fork();
  if (child == 0) {
    exec_pyc_compiler(python, filename, in_read.get(), out_write.get(),
                      in_user_namespace);
  }
  in_read.reset();
  out_write.reset();
  std::string pyc;
  if (child > 0) {
    // A few KB: the pipe holds it, so writing first cannot deadlock.
    const bool sent = ::write(in_write.get(), source.data(), source.size()) ==
                      static_cast<ssize_t>(source.size());
    in_write.reset();
    pyc = read_fd(out_read.get());
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!sent || !WIFEXITED(status) || WEXITSTATUS(status) != 0) pyc.clear();
  }
  sigaction(SIGCHLD, &keep, nullptr);
  return pyc;
}

// The hook compiled once, bound over the interpreter's own cached
// sitecustomize in the root (where the machine has one to bind over), so no
// run compiles it. Best effort: without it each run compiles the hook.
void precompile_site_hook(const std::string& name, const std::string& source,
                          const std::string& etc_dir, bool in_user_namespace) {
  const std::string cached = "/usr/lib/" + name +
                             "/__pycache__/sitecustomize." + "cpython-" +
                             name.substr(6, 1) + name.substr(8) + ".pyc";
  if (access(cached.c_str(), F_OK) != 0) return;
  const std::string pyc = compile_to_pyc(
      "/usr/bin/" + name, source, "/usr/lib/" + name + "/sitecustomize.py",
      in_user_namespace);
  if (pyc.size() < 16) return;
  const std::string staged_dir = etc_dir + "/__pycache__";
  const std::string staged =
      staged_dir + "/" + cached.substr(cached.rfind('/') + 1);
  if ((mkdir(staged_dir.c_str(), 0755) == 0 || errno == EEXIST) &&
      write_file(staged.c_str(), pyc)) {
    bind(staged.c_str(), in_root(cached.c_str()),
         MS_RDONLY | MS_NOSUID | MS_NODEV);
  }
}

// Debian links each interpreter's site customisation,
// /usr/lib/python3.X/sitecustomize.py, to /etc/python3.X/sitecustomize.py.
// The sandbox's copy there is the hook that receives the program
// (python_startup.h), followed by the machine's own customisation.
bool install_site_hooks(const std::string& etc, bool in_user_namespace) {
  DIR* lib = opendir("/usr/lib");
  if (lib == nullptr) return true;  // no Debian Python: the fallback runs
  bool ok = true;
  while (const dirent* entry = readdir(lib)) {
    const std::string name = entry->d_name;
    if (!name.starts_with("python3.")) continue;
    const std::string link = "/usr/lib/" + name + "/sitecustomize.py";
    const std::string expected = "/etc/" + name + "/sitecustomize.py";
    char target[PATH_MAX];
    const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n <= 0 || std::string_view(target, n) != expected) continue;
    const std::string dir = etc + "/" + name;
    const std::string hook = site_hook_source(read_file(expected.c_str()));
    if ((mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) ||
        !write_file((dir + "/sitecustomize.py").c_str(), hook)) {
      ok = false;
      break;
    }
    precompile_site_hook(name, hook, dir, in_user_namespace);
  }
  closedir(lib);
  return ok;
}

// Whether the keeper installed the hook for this interpreter (python3.X):
// only then can it run as `python3 main.py`.
bool has_site_hook(const std::string& python) {
  char real[PATH_MAX];
  if (realpath(python.c_str(), real) == nullptr) return false;
  const char* slash = std::strrchr(real, '/');
  const std::string name = slash != nullptr ? slash + 1 : real;
  const std::string hook = "/etc/" + name + "/sitecustomize.py";
  const std::string link = "/usr/lib/" + name + "/sitecustomize.py";
  char resolved[PATH_MAX];
  if (realpath(link.c_str(), resolved) == nullptr || hook != resolved) {
    return false;
  }
  // Its first line only: this runs at every start.
  char head[kSiteHookMarker.size()];
  const int fd = ::open(hook.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool marked =
      ::read(fd, head, sizeof head) == static_cast<ssize_t>(sizeof head) &&
      kSiteHookMarker == std::string_view(head, sizeof head);
  ::close(fd);
  return marked;
}

// The sandboxes' uid and gid, named in their /etc/passwd and /etc/group.
int64_t g_sandbox_uid = kSandboxUid;
// The keeper runs as root of a user namespace (a service that is not root).
bool g_in_user_namespace = false;

// Debian chooses some shared libraries with update-alternatives: BLAS and
// LAPACK (numpy's), whose names in /usr/lib link through /etc/alternatives.
// The same links, for the libraries only (the other ~500 name programs).
bool link_library_alternatives(const std::string& etc) {
  DIR* dir = opendir("/etc/alternatives");
  if (dir == nullptr) return true;  // none chosen on this machine
  const std::string into = etc + "/alternatives";
  bool ok = mkdir(into.c_str(), 0755) == 0;
  for (dirent* e; ok && (e = readdir(dir)) != nullptr;) {
    const std::string name = e->d_name;
    if (name.find(".so") == std::string::npos) continue;
    char target[PATH_MAX];
    const std::string link = "/etc/alternatives/" + name;
    const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    if (std::string_view(target).starts_with("/usr/")) {
      ok = symlink(target, (into + "/" + name).c_str()) == 0;
    }
  }
  closedir(dir);
  return ok;
}

// A copy of a small host file, if the host has it (a bind would name the
// host's disk in the sandbox's mountinfo). The root is read-only later.
bool copy_host_file(const char* host, const std::string& copy) {
  if (access(host, R_OK) != 0) return true;
  return write_file(copy.c_str(), read_file(host));
}

bool make_etc() {
  std::string etc = in_root("/etc");
  if (mkdir(etc.c_str(), 0755) != 0) return false;
  // Only the accounts a snippet can see itself run as.
  const std::string id = std::to_string(g_sandbox_uid);
  if (!write_file((etc + "/passwd").c_str(),
                  "root:x:0:0:root:/:/usr/sbin/nologin\n"
                  "nobody:x:" +
                      id + ":" + id + ":nobody:/tmp:/usr/sbin/nologin\n")) {
    return false;
  }
  if (!write_file((etc + "/group").c_str(),
                  "root:x:0:\nnogroup:x:" + id + ":\n")) {
    return false;
  }
  // The machine's time zone, as time.tzname and localtime() see it with
  // `python3 main.py`: the same link into /usr/share/zoneinfo (which the
  // sandbox sees under /usr), or a read-only view of the file.
  char zone[PATH_MAX];
  const ssize_t n = readlink("/etc/localtime", zone, sizeof zone - 1);
  if (n > 0) {
    zone[n] = '\0';
    if (symlink(zone, (etc + "/localtime").c_str()) != 0) return false;
  } else if (!copy_host_file("/etc/localtime", etc + "/localtime")) {
    return false;
  }
  if (!install_site_hooks(etc, g_in_user_namespace)) return false;
  if (!link_library_alternatives(etc)) return false;
  // The loader's cache of library paths; harmless and speeds up start-up.
  return copy_host_file("/etc/ld.so.cache", etc + "/ld.so.cache");
}

// One of kDevNodes: made anew where the keeper may (root with CAP_MKNOD),
// else bound from the host (a user namespace, or a container without
// CAP_MKNOD), a mount that stays writable: writing /dev/null must work. A
// bind shows the host's /dev mount options (devtmpfs: its size, half the
// host's memory) in the sandbox's mountinfo; a node of our own does not.
bool make_dev_node(const char* node, const std::string& dev) {
  const std::string host = std::string("/dev/") + node;
  const std::string target = dev + "/" + node;
  struct stat st;
  if (stat(host.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) return false;
  if (mknod(target.c_str(), S_IFCHR | 0666, st.st_rdev) == 0) {
    return chmod(target.c_str(), 0666) == 0;  // past the umask
  }
  return write_file(target.c_str(), "", 0666) &&
         bind(host.c_str(), target, MS_NOSUID | MS_NOEXEC);
}

// /dev: a tmpfs of its own (so its nodes may be devices), read-only once
// made.
bool make_dev() {
  std::string dev = in_root("/dev");
  if (mkdir(dev.c_str(), 0755) != 0 ||
      !mount_tmpfs(dev, "size=64k,nr_inodes=32,mode=0755",
                   MS_NOSUID | MS_NOEXEC)) {
    return false;
  }
  // Where each run mounts its own /dev/shm (mount_shm).
  if (mkdir((dev + "/shm").c_str(), 0755) != 0) return false;
  for (const char* node : kDevNodes) {
    if (!make_dev_node(node, dev)) return false;
  }
  const std::pair<const char*, const char*> links[] = {
      {"/proc/self/fd", "fd"},
      {"/proc/self/fd/0", "stdin"},
      {"/proc/self/fd/1", "stdout"},
      {"/proc/self/fd/2", "stderr"}};
  for (auto [to, name] : links) {
    if (symlink(to, (dev + "/" + name).c_str()) != 0) return false;
  }
  return mount(nullptr, dev.c_str(), nullptr,
               MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, nullptr) == 0;
}

// A proc of the sandbox's own pid namespace; processes of other users (the
// init) are invisible to the program. Mounted per run: it shows one pid ns.
// Only the process directories (subset=pid, Linux 5.8): the host's memory,
// CPUs, load, uptime, disks, kernel command line, boot id and /proc/sys are
// not there to read. Python needs none of them (os.cpu_count() falls back to
// the CPUs the run may use; /proc/self works).
bool mount_proc(const std::string& target) {
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  for (const char* options :
       {"hidepid=invisible,subset=pid", "hidepid=invisible"}) {
    if (mount("proc", target.c_str(), "proc", flags, options) == 0) return true;
  }
  return mount("proc", target.c_str(), "proc", flags, nullptr) == 0 ||
         fail(Step::mount_proc);
}

// A private /dev/shm per run, for POSIX shared memory and semaphores
// (multiprocessing's locks and queues): as large as /tmp, and its pages
// count against the run's memory cgroup.
bool mount_shm(const std::string& target, const InitSpec& spec) {
  std::string options =
      "size=" + std::to_string(spec.tmp_bytes) + ",nr_inodes=256,mode=1777";
  return mount_tmpfs(target, options, MS_NOSUID | MS_NODEV | MS_NOEXEC) ||
         fail(Step::mount_shm);
}

// The network namespace of its own starts with its loopback down: up, the
// program can talk to itself over TCP too (a test server on 127.0.0.1) and
// to nothing else. Best effort: it takes CAP_NET_ADMIN over the namespace,
// which a container granted only the backend's four capabilities lacks;
// Unix sockets and socketpairs (asyncio, multiprocessing) work without it.
void bring_up_loopback() {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFFLAGS, &request) == 0) {
    request.ifr_flags |= IFF_UP | IFF_RUNNING;
    ioctl(fd, SIOCSIFFLAGS, &request);
  }
  ::close(fd);
}

// A fresh, limited /tmp per run; it is also the working directory.
bool mount_tmp(const std::string& target, const InitSpec& spec) {
  std::string options = "size=" + std::to_string(spec.tmp_bytes) +
                        ",nr_inodes=" + std::to_string(spec.tmp_inodes) +
                        ",mode=1777";
  return mount_tmpfs(target, options, MS_NOSUID | MS_NODEV | MS_NOEXEC) ||
         fail(Step::mount_tmp);
}

// Hides a host directory, if there is one, under an empty read-only tmpfs.
bool hide(const RootMount& m) {
  struct stat st;
  if (stat(m.path, &st) != 0 || !S_ISDIR(st.st_mode)) return true;
  return mount_tmpfs(in_root(m.path), m.tmpfs_options,
                     MS_RDONLY | MS_NOSUID | MS_NODEV);
}

bool make_root_entry(const RootMount& m) {
  const std::string target = in_root(m.path);
  switch (m.kind) {
    case RootEntry::tmpfs:
      return mount_tmpfs(target, m.tmpfs_options, MS_NOSUID | MS_NODEV);
    case RootEntry::view_readonly:
      return mkdir(target.c_str(), 0755) == 0 &&
             view_readonly(m.path, target, in_root(kEmptyLayer));
    case RootEntry::hide:
      return hide(m);
    case RootEntry::mirror:
      return mirror_top_level(m.path);
    case RootEntry::etc:
      return make_etc();
    case RootEntry::dev:
      return make_dev();
    case RootEntry::mount_point:
      return mkdir(target.c_str(), m.mode) == 0;
  }
  return false;
}

// Layer 2: the read-only root of policy.h's kRootMounts.
// Debian module directories the service was told to leave out
// (--module-dirs): empty and read-only, as /usr/local is.
bool hide_module_dirs(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    const RootMount m{dir.c_str(), RootEntry::hide, Step::mount_usr,
                      "size=4k,nr_inodes=16,mode=0755"};
    if (!hide(m)) return fail(m.step);
  }
  return true;
}

bool build_root() {
  for (const RootMount& m : kRootMounts) {
    if (!make_root_entry(m)) return fail(m.step);
  }
  // Shared by every sandbox of the keeper: nobody may write it, ever.
  if (mount(nullptr, kNewRoot, nullptr,
            MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0) {
    return fail(Step::root_readonly);
  }
  return true;
}

// Swaps the assembled tree in as "/", drops the host's root from this mount
// namespace, and makes the new root read-only.
bool pivot_into_root() {
  if (chdir(kNewRoot) != 0) return fail(Step::pivot_chdir);
  if (syscall(SYS_pivot_root, ".", ".") != 0) return fail(Step::pivot);
  if (umount2(".", MNT_DETACH) != 0) return fail(Step::pivot_umount);
  if (chdir("/") != 0) return fail(Step::pivot_chdir);
  if (mount(nullptr, "/", nullptr,
            MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0) {
    return fail(Step::root_readonly);
  }
  return true;
}

// The niceness the service gave the init, which Python gets back.
int inherited_niceness = 0;

// Python and everything it starts share one CPU's worth of time; a fork bomb
// must not starve the init that has to end them. Best effort: a user
// namespace has no right to raise priority on the host.
void prefer_init_on_cpu() {
  errno = 0;
  const int niceness = getpriority(PRIO_PROCESS, 0);
  if (errno == 0) inherited_niceness = niceness;
  setpriority(PRIO_PROCESS, 0, -20);
}

bool set_hostname() {
  static const char kName[] = "playground";
  return sethostname(kName, sizeof kName - 1) == 0 || fail(Step::hostname);
}

// ---- steps for the Python process, after fork ------------------------------

bool start_session() { return setsid() >= 0 || fail(Step::setsid); }

// Back to the service's own niceness, never above it: lowering priority
// always works, while an unprivileged service started under `nice` could not
// return to 0.
bool reset_priority() {
  return setpriority(PRIO_PROCESS, 0, inherited_niceness) == 0 ||
         fail(Step::priority);
}

// Under memory pressure the kernel should pick the snippet, never the init.
bool prefer_oom_kill() {
  if (write_file("/proc/self/oom_score_adj", "1000")) return true;
  return errno == ENOENT || fail(Step::oom_score);
}

// Layer 4: every limit of policy.h's kRlimits, none left to inheritance.
bool set_rlimits(const InitSpec& spec) {
  for (const Rlimit& limit : spec.rlimits) {
    // kInheritedHardLimit: as much as the service may have, which is the
    // most an unprivileged process can set.
    struct rlimit inherited {};
    getrlimit(limit.resource, &inherited);
    auto value = [&](int64_t v) {
      return v == kInheritedHardLimit ? inherited.rlim_max
                                      : static_cast<rlim_t>(v);
    };
    const struct rlimit r { value(limit.soft), value(limit.hard) };
    if (setrlimit(limit.resource, &r) != 0) return fail(Step::rlimits);
  }
  return true;
}

bool enter_workdir(const InitSpec& spec) {
  return chdir(spec.filesystem ? "/tmp" : "/") == 0 || fail(Step::chdir);
}

bool drop_bounding_set() {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      return false;
  }
  return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0 ||
         errno == EINVAL;
}

bool clear_capabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  return syscall(SYS_capset, &header, data) == 0;
}

// Layer 5: nobody, with no groups and no capabilities. In a user namespace
// (service not root) where only uid 0 is mapped, the process keeps that uid
// but loses every capability, and the securebits stop exec from granting
// any; where the service mapped the slot's uid, it takes that uid.
bool drop_privileges(const InitSpec& spec) {
  if (!spec.drop_privileges) return true;
  if (!drop_bounding_set()) return fail(Step::capbset);
  if (spec.user_namespace && !spec.mapped_uid) {
    constexpr int kNoRoot = (1 << 0) | (1 << 1);  // NOROOT, locked
    constexpr int kNoSetuidFixup =
        (1 << 2) | (1 << 3);  // NO_SETUID_FIXUP, locked
    constexpr int kKeepCapsLocked = 1 << 5;
    if (prctl(PR_SET_SECUREBITS, kNoRoot | kNoSetuidFixup | kKeepCapsLocked) !=
        0) {
      return fail(Step::securebits);
    }
  } else {
    const gid_t gid = static_cast<gid_t>(spec.uid);
    const uid_t uid = static_cast<uid_t>(spec.uid);
    if (setgroups(0, nullptr) != 0) return fail(Step::setgroups);
    if (setresgid(gid, gid, gid) != 0) return fail(Step::setgid);
    if (setresuid(uid, uid, uid) != 0) return fail(Step::setuid);
  }
  return clear_capabilities() || fail(Step::capset);
}

bool set_no_new_privs() {
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ||
         fail(Step::no_new_privs);
}

// Credential changes clear the parent-death signal; set it again as nobody.
bool die_with_init() {
  return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 || fail(Step::pdeathsig);
}

// Python keeps 0-3 and the ready pipe; the status descriptor stays only to
// report a failed exec, and closes with it.
bool close_other_fds() {
  if (syscall(SYS_close_range, kReadyFd + 1, ~0U, 0) != 0)
    return fail(Step::close_fds);
  return fcntl(kStatusFd, F_SETFD, FD_CLOEXEC) == 0 || fail(Step::close_fds);
}

bool apply_seccomp(const InitSpec& spec,
                   const seccomp_policy::Program& filter) {
  if (!spec.seccomp) return true;
  if (filter.instructions.empty()) {
    errno = ENOENT;
    return fail(Step::seccomp);
  }
  return seccomp_policy::load(filter) || fail(Step::seccomp);
}

// `python3 main.py` in the run's /tmp where the site hook is in place
// (python_startup.h), else the fallback bootstrap.
void exec_python(const InitSpec& spec, bool as_script) {
  const std::string blas =
      "OPENBLAS_NUM_THREADS=" + std::to_string(spec.blas_threads);
  const std::string omp =
      "OMP_NUM_THREADS=" + std::to_string(spec.blas_threads);
  const bool limit_blas = spec.blas_threads > 0;
  const char* envp[] = {"PATH=/usr/bin:/bin",
                        "LANG=C.UTF-8",
                        "HOME=/tmp",
                        limit_blas ? blas.c_str() : nullptr,
                        limit_blas ? omp.c_str() : nullptr,
                        nullptr};
  if (as_script) {
    const char* argv[] = {spec.python.c_str(), "main.py", nullptr};
    execve(spec.python.c_str(), const_cast<char* const*>(argv),
           const_cast<char* const*>(envp));
  } else {
    const char* argv[] = {
        "python3", "-I", "-S", "-c", fallback_bootstrap_source().c_str(),
        nullptr};
    execve(spec.python.c_str(), const_cast<char* const*>(argv),
           const_cast<char* const*>(envp));
  }
  fail(Step::exec);
}

// Layers 4-6 for the Python process, in order. Returns only on failure.
bool unblock_signals() {
  sigset_t none;
  sigemptyset(&none);
  return sigprocmask(SIG_SETMASK, &none, nullptr) == 0 || fail(Step::signals);
}

bool contain_python(const InitSpec& spec,
                    const seccomp_policy::Program& filter) {
  const bool as_script = spec.filesystem && has_site_hook(spec.python);
  RETURN_ON_FAILURE(unblock_signals());  // the init reset dispositions
  RETURN_ON_FAILURE(start_session());
  RETURN_ON_FAILURE(reset_priority());
  RETURN_ON_FAILURE(prefer_oom_kill());
  RETURN_ON_FAILURE(set_rlimits(spec));
  RETURN_ON_FAILURE(enter_workdir(spec));
  RETURN_ON_FAILURE(drop_privileges(spec));
  RETURN_ON_FAILURE(die_with_init());
  RETURN_ON_FAILURE(set_no_new_privs());
  RETURN_ON_FAILURE(close_other_fds());
  RETURN_ON_FAILURE(apply_seccomp(spec, filter));
  exec_python(spec, as_script);
  return false;
}

// ---- supervision
// -------------------------------------------------------------

// Kills every process left under this init. As pid 1 of a pid namespace one
// kill(-1) reaches them all. Without a pid namespace, orphans were reparented
// here (subreaper), so killing children until none is left reaches every
// descendant; /proc is then the host's, where our pid is our own.
void kill_descendants() {
  if (getpid() == 1) {
    kill(-1, SIGKILL);
    while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
    }
    return;
  }
  for (;;) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/task/%d/children", getpid(),
                  getpid());
    if (FILE* f = std::fopen(path, "re")) {
      int pid;
      while (std::fscanf(f, "%d", &pid) == 1) kill(pid, SIGKILL);
      std::fclose(f);
    }
    if (waitpid(-1, nullptr, 0) < 0 && errno == ECHILD) return;
  }
}

// Reports how Python ended, with the usage of every process of the run (all
// reaped by now: orphans come to this init), and ends the init.
[[noreturn]] void report_exit(int status) {
  struct rusage usage {};
  getrusage(RUSAGE_CHILDREN, &usage);
  const int64_t cpu_us =
      (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1'000'000LL +
      usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
  report("exit %d %d %lld %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : 0,
         WIFSIGNALED(status) ? WTERMSIG(status) : 0,
         static_cast<long long>(cpu_us), usage.ru_maxrss);
  _exit(0);
}

// The processes under `pid`, through each thread's children lists (so it
// works with or without a pid namespace of our own).
void collect_descendants(pid_t pid, std::vector<pid_t>& out) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (dir == nullptr) return;
  while (const dirent* task = readdir(dir)) {
    if (task->d_name[0] == '.') continue;
    if (FILE* f = std::fopen((tasks + "/" + task->d_name + "/children").c_str(),
                             "re")) {
      int child;
      while (std::fscanf(f, "%d", &child) == 1 && out.size() < 4096) {
        out.push_back(child);
        collect_descendants(child, out);
      }
      std::fclose(f);
    }
  }
  closedir(dir);
}

// The memory the run holds: each process's proportional set size (shared
// pages counted once in all), in KiB.
int64_t run_memory_kb() {
  std::vector<pid_t> pids;
  collect_descendants(getpid(), pids);
  int64_t total = 0;
  for (pid_t pid : pids) {
    const std::string path = "/proc/" + std::to_string(pid) + "/smaps_rollup";
    if (FILE* f = std::fopen(path.c_str(), "re")) {
      char line[256];
      while (std::fgets(line, sizeof line, f) != nullptr) {
        long long kb = 0;
        if (std::sscanf(line, "Pss: %lld kB", &kb) == 1) {
          total += kb;
          break;
        }
      }
      std::fclose(f);
    }
  }
  return total;
}

// Supervises Python until it exits. `memory_watch_bytes` (no memory
// cgroup): every kWatchInterval the run's memory is summed and the whole run
// ended past the limit, so its processes together cannot hold more than the
// limit plus what they allocate within one interval.
[[noreturn]] void supervise(pid_t python, int64_t memory_watch_bytes) {
  constexpr timespec kWatchInterval{0, 10'000'000};  // 10 ms
  sigset_t watched;
  sigemptyset(&watched);
  for (int sig :
       {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) {
    sigaddset(&watched, sig);
  }
  for (;;) {
    siginfo_t info;
    const int sig = memory_watch_bytes > 0
                        ? sigtimedwait(&watched, &info, &kWatchInterval)
                        : sigwaitinfo(&watched, &info);
    if (sig < 0 && errno == EAGAIN) {
      const int64_t used_kb = run_memory_kb();
      if (used_kb * 1024 > memory_watch_bytes) {
        report("memory %lld\n", static_cast<long long>(used_kb));
        kill_descendants();    // Python and all it started, at once
        report_exit(SIGKILL);  // the wait status of a SIGKILLed process
      }
      continue;
    }
    if (sig < 0) continue;
    if (sig == SIGTERM) {
      // The service ends the run (deadline, output cap): end Python now and
      // report its usage below, as for any other exit.
      kill(python, SIGKILL);
      continue;
    }
    if (sig != SIGCHLD) {
      kill(python, sig);  // forward to the snippet
      continue;
    }
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != python) continue;  // an orphan, reaped
      // Every process of the run ends here and is reaped, by its parent or
      // by this init (orphans come to it): the init's children's usage is
      // then the whole run's, children never waited for included.
      kill_descendants();
      report_exit(status);
    }
  }
}

}  // namespace

bool prepare_root(int report_fd, bool pivot, const InitSpec& keeper_spec) {
  g_report_fd = report_fd;
  if (keeper_spec.uid > 0) g_sandbox_uid = keeper_spec.uid;
  g_in_user_namespace = !pivot;  // in a user namespace each init pivots
  const bool ok = make_mounts_private() && build_root() &&
                  hide_module_dirs(keeper_spec.hidden_dirs) &&
                  (!pivot || pivot_into_root());
  g_report_fd = kStatusFd;
  return ok;
}

void run_init(const InitSpec& spec, const seccomp_policy::Program& filter) {
  // Layer 1 is already in place: the keeper cloned us into new namespaces,
  // and into the slot's cgroups (layer 3), where the keeper lives.
  prctl(PR_SET_NAME, "pg-init");
  if (!reset_signals() || !die_with_keeper()) _exit(1);
  // The root itself was built once by the keeper (prepare_root); each run
  // adds the mounts that must be its own. In a user namespace the kernel
  // mounts a new proc only while a full one is visible, so there the keeper
  // leaves the host's root in place and each init pivots after mounting.
  if (spec.filesystem) {
    const bool pivoted = !spec.user_namespace;
    const std::string root = pivoted ? "" : kNewRoot;
    if (!mount_proc(root + "/proc") || !mount_tmp(root + "/tmp", spec) ||
        !mount_shm(root + "/dev/shm", spec))
      _exit(1);
    if (!pivoted && !pivot_into_root()) _exit(1);
  }
  if (spec.namespaces && !set_hostname()) _exit(1);
  if (spec.namespaces) bring_up_loopback();
  prefer_init_on_cpu();
  if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    fail(Step::subreaper);
    _exit(1);
  }

  // Block what supervise() waits for before Python can exist to send it.
  sigset_t watched;
  sigemptyset(&watched);
  for (int sig :
       {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) {
    sigaddset(&watched, sig);
  }
  sigprocmask(SIG_BLOCK, &watched, nullptr);

  pid_t python = fork();
  if (python < 0) {
    fail(Step::fork);
    _exit(1);
  }
  if (python == 0) {
    contain_python(spec, filter);
    _exit(127);
  }
  // The init keeps none of Python's pipes, so their ends close with Python.
  for (int fd : {0, 1, 2, kCodeFd, kReadyFd}) ::close(fd);
  supervise(python, spec.memory_watch_bytes);
}

}  // namespace playground::sandbox::contain
