// Flags and environment of playground-backend (see config.h).
#include "backend/config.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "common/log.h"
#include "http/message.h"
#include "sandbox/shared/init_protocol.h"

namespace playground::backend {
namespace {

// What one run may use: --wall to --blas-threads.
void add_limit_options(Options& o, sandbox::Limits& l) {
  o.add_millis("wall", "PLAYGROUND_WALL", &l.wall_ms, 1, 3'600'000,
               "Default wall-clock limit of a run.");
  o.add_millis("max-wall", "PLAYGROUND_MAX_WALL", &l.max_wall_ms, 1, 3'600'000,
               "Largest wall-clock limit a request may ask for (timeout_ms).");
  o.add_millis("cpu", "PLAYGROUND_CPU", &l.cpu_ms, 1000, 3'600'000,
               "CPU time limit per process (whole seconds).");
  o.add_bytes("memory", "PLAYGROUND_MEMORY", &l.memory_bytes, 16LL << 20,
              64LL << 30, "Memory limit of a run, swap not allowed.");
  o.add_int("processes", "PLAYGROUND_PROCESSES", &l.max_processes, 4, 4096,
            "Processes and threads a run may have at once.");
  o.add_bytes("output", "PLAYGROUND_OUTPUT", &l.output_bytes, 1024, 256LL << 20,
              "Output cap, stdout and stderr together.");
  o.add_bytes("tmp", "PLAYGROUND_TMP", &l.tmp_bytes, 64 << 10, 4LL << 30,
              "Size of the run's private /tmp (also the largest file).");
  o.add_int("tmp-inodes", "PLAYGROUND_TMP_INODES", &l.tmp_inodes, 16, 1'000'000,
            "Number of files and directories the run's /tmp may hold.");
  o.add_int("open-files", "PLAYGROUND_OPEN_FILES", &l.open_files, 16, 65536,
            "Open file descriptors per process.");
  o.add_int("blas-threads", "PLAYGROUND_BLAS_THREADS", &l.blas_threads, 0, 256,
            "Threads numpy's BLAS may start (OPENBLAS_NUM_THREADS and\n"
            "OMP_NUM_THREADS); 0 leaves it to the library (one per core).");
}

// Debian's module directories on this machine.
std::vector<std::string> debian_module_dirs() {
  std::vector<std::string> dirs;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator("/usr/lib", ec)) {
    const std::string dir = entry.path().string() + "/dist-packages";
    if (sandbox::is_hideable_module_dir(dir) &&
        std::filesystem::is_directory(dir, ec)) {
      dirs.push_back(dir);
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// The directories --module-dirs leaves out: those of Debian's it does not
// name. Naming one that is not Debian's is an error.
Result<std::vector<std::string>> hidden_module_dirs(std::string_view setting) {
  const std::vector<std::string> known = debian_module_dirs();
  if (setting == "all") return std::vector<std::string>();
  if (setting == "none") return known;
  std::vector<std::string> hidden = known;
  std::string_view rest = setting;
  while (!rest.empty()) {
    const std::string_view dir = http::next_list_item(rest);
    if (!sandbox::is_hideable_module_dir(dir)) {
      return Error{"--module-dirs: " + std::string(dir) +
                   " is not one of Debian's module directories "
                   "(/usr/lib/python3/dist-packages, "
                   "/usr/lib/python3.N/dist-packages)"};
    }
    std::erase(hidden, std::string(dir));
  }
  return hidden;
}

// The rest of the service: sandboxes, queue, body, token and the like.
void add_service_options(Options& o, BackendConfig& cfg) {
  o.add_int("concurrency", "PLAYGROUND_CONCURRENCY", &cfg.concurrency, 1, 1024,
            "Sandboxes running at once (default: number of cores).");
  o.add_int("pool", "PLAYGROUND_POOL", &cfg.pool, -1, 1024,
            "Pre-started sandboxes at most (-1: the concurrency; 0: none).\n"
            "The pool follows the load between 1 and this.");
  o.add_checked(
      "data-pool", "PLAYGROUND_DATA_POOL", &cfg.data_pool,
      [](std::string_view v) {
        return v == "on" || v == "off" ? "" : "must be on or off";
      },
      "on: programs that import numpy or pandas get a pre-started sandbox\n"
      "that imported them already (part of the pool, by demand); off: they\n"
      "import them in their own time, like python3 main.py.");
  o.add_string("module-dirs", "PLAYGROUND_MODULE_DIRS", &cfg.module_dirs,
               "Debian's module directories a sandbox sees, besides the\n"
               "standard library: all, none, or a comma-separated list of\n"
               "/usr/lib/python3/dist-packages, /usr/lib/python3.N/dist-\n"
               "packages (numpy, pandas and every python3-* package live\n"
               "there; /usr/local never is seen).");
  o.add_int("grade-parallel", "PLAYGROUND_GRADE_PARALLEL", &cfg.grade_parallel,
            0, 1024,
            "Cases of one POST /py/grade run at once (0: half the\n"
            "concurrency, at least 2), so one request cannot take every slot.");
  o.add_int(
      "queue", "PLAYGROUND_QUEUE", &cfg.queue, 0, 100'000,
      "Requests that may wait for a sandbox; beyond it the answer is 503.");
  o.add_bytes("max-body", "PLAYGROUND_MAX_BODY", &cfg.body_bytes, 1024,
              256LL << 20,
              "Largest request body; larger ones get 413 before being read.");
  o.add_string(
      "token-file", "PLAYGROUND_TOKEN_FILE", &cfg.token_file,
      "File holding the shared token (printable ASCII without spaces);\n"
      "when set (or PLAYGROUND_TOKEN is), POST /py/eval requires\n"
      "Authorization: Bearer.");
  add_ops_access_option(o, &cfg.ops_access);
  o.add_checked(
      "log-level", "PLAYGROUND_LOG_LEVEL", &cfg.log_level,
      [](std::string_view v) {
        log::Level level;
        return log::parse_level(v, level)
                   ? ""
                   : "must be debug, info, warn or error";
      },
      "Least severe log level written: debug, info, warn or error.");
  o.add_checked(
      "python", "PLAYGROUND_PYTHON", &cfg.python,
      [](std::string_view v) {
        return v.rfind("/usr/", 0) == 0
                   ? ""
                   : "must be an absolute path under /usr (the sandbox "
                     "mounts only /usr)";
      },
      "Python interpreter the sandbox runs (never the python3 on PATH).");
  o.add_string(
      "init", "PLAYGROUND_INIT", &cfg.init_path,
      "Path of playground-sandbox-init (default: next to this program).");
  o.add_checked(
      "isolation", "PLAYGROUND_ISOLATION", &cfg.isolation,
      [](std::string_view v) {
        return v == "strict" || v == "best-effort"
                   ? ""
                   : "must be strict or best-effort";
      },
      "strict: refuse to start unless every sandbox layer works;\n"
      "best-effort: run with what works and say what is missing.");
}

}  // namespace

Result<ParseOutcome> parse_backend_config(int argc, const char* const* argv,
                                          BackendConfig& cfg,
                                          std::string& help) {
  cfg.concurrency = std::max(1u, std::thread::hardware_concurrency());
  const sandbox::Limits& l = cfg.limits;
  Options o(
      "playground-backend",
      "Runs Python snippets, each in a fresh sandboxed interpreter, behind\n"
      "POST /py/eval, and Piston's, Codapi's and Judge0's APIs. Also serves\n"
      "GET /healthz, /readyz and /metrics.\n"
      "Every flag has an environment variable; a flag wins over its variable.");
  http::add_listener_options(o, cfg.listener, "running evaluations");
  add_limit_options(o, cfg.limits);
  add_service_options(o, cfg);

  compat::add_api_options(o, cfg.apis);

  auto outcome = o.parse(argc, argv);
  if (!outcome) return outcome;
  if (*outcome == ParseOutcome::help) {
    help = o.help();
    return outcome;
  }
  auto hidden = hidden_module_dirs(cfg.module_dirs);
  if (!hidden) return hidden.error();
  cfg.hidden_module_dirs = std::move(*hidden);
  if (cfg.pool < 0) cfg.pool = cfg.concurrency;
  if (cfg.grade_parallel == 0) {
    cfg.grade_parallel = std::max<int64_t>(2, (cfg.concurrency + 1) / 2);
  }
  cfg.grade_parallel = std::min(cfg.grade_parallel, cfg.concurrency);
  if (l.wall_ms > l.max_wall_ms) {
    return Error{"--wall (" + std::to_string(l.wall_ms) +
                 "ms) exceeds --max-wall (" + std::to_string(l.max_wall_ms) +
                 "ms)"};
  }
  if (l.tmp_bytes > l.memory_bytes) {
    return Error{
        "--tmp must not exceed --memory: /tmp lives in the run's memory"};
  }
  cfg.apis.body_limit = static_cast<size_t>(cfg.body_bytes);
  auto token = load_token(cfg.token_file);
  if (!token) return token.error();
  cfg.token = std::move(*token);
  return outcome;
}

}  // namespace playground::backend
