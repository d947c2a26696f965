#include "sandbox/isolation_probe.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "sandbox/seccomp_filter.h"
#include "sandbox/spawn.h"
#include "sandbox/user_ids.h"
#include "sandbox/wrap_command.h"

namespace sg::sandbox {
namespace fs = std::filesystem;
namespace {

// One "key=value" line per reading. The sysctl write puts back the value just read, so
// that a host where it succeeds is left unchanged.
constexpr const char* kProbeScript = R"SH(
echo "uid=$(id -u)"
grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/self/status | tr -d ' \t' | sed 's/:/=/'
v=$(cat /proc/sys/vm/swappiness 2>/dev/null)
if [ -n "$v" ] && (printf '%s\n' "$v" > /proc/sys/vm/swappiness) 2>/dev/null; then
  echo sysctl=written; else echo sysctl=refused; fi
if (: > /.skillgrad-probe) 2>/dev/null; then rm -f /.skillgrad-probe; echo root=writable
  else echo root=read-only; fi
if [ -e "$1" ]; then echo host=visible; else echo host=hidden; fi
n=""; while read -r name rest; do case "$name" in *:*) n="$n${name%%:*},";; esac
  done < /proc/net/dev; echo "net=$n"
)SH";

// Runs the probe and returns its output (bounded in time; empty when it did not run).
std::string RunProbe(const Capabilities& caps, const fs::path& workspace, const fs::path& marker) {
  WrapOptions wrap;
  wrap.workspace = workspace;
  wrap.unshare_net = caps.network_isolated;
  if (ShouldDropTo(kUnprivilegedId, kUnprivilegedId)) {
    wrap.run_as = std::make_pair(uid_t{kUnprivilegedId}, gid_t{kUnprivilegedId});
    if (chown(workspace.c_str(), kUnprivilegedId, kUnprivilegedId) != 0) return "";
  }
  wrap.seccomp_on_fd4 = caps.backend == Backend::kBubblewrap;
  SpawnSpec spec;
  int seccomp_fd = -1;
  if (wrap.seccomp_on_fd4) {
    auto fd = CompiledSeccompFilter();
    if (!fd.ok()) return "";
    seccomp_fd = *fd;
    spec.inherit_fd = seccomp_fd;
  }
  spec.argv =
      WrapCommand(caps.backend, wrap, {"/bin/sh", "-c", kProbeScript, "probe", marker.string()});
  spec.env = {"PATH=/usr/bin:/bin"};
  spec.cwd = workspace;
  spec.set_nproc_rlimit = false;
  auto proc = Spawn(spec);
  if (seccomp_fd >= 0) close(seccomp_fd);
  if (!proc.ok()) return "";
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (proc->stdout_fd >= 0 && std::chrono::steady_clock::now() < deadline) {
    pollfd p{proc->stdout_fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = read(proc->stdout_fd, buf, sizeof(buf));
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    }
  }
  kill(-proc->pid, SIGKILL);
  kill(proc->pid, SIGKILL);
  int status = 0;
  waitpid(proc->pid, &status, 0);
  CloseFds(*proc);
  return out;
}

std::map<std::string, std::string> ParseReadings(const std::string& text) {
  std::map<std::string, std::string> readings;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) readings[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return readings;
}

}  // namespace

void VerifyIsolation(Capabilities& caps, const fs::path& scratch) {
  std::error_code ec;
  const fs::path workspace = scratch / "workspace";
  const fs::path marker = scratch / "host-marker";
  fs::create_directories(workspace, ec);
  std::ofstream(marker) << "outside the workspace\n";
  // Readable by anyone, so that "hidden" means out of view, not merely forbidden.
  fs::permissions(scratch,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  std::string probe_output = RunProbe(caps, workspace, marker);
  auto readings = ParseReadings(probe_output);
  if (readings.count("uid") == 0) {
    caps.notes.push_back("the isolation probe did not run: nothing is verified");
    return;
  }
  // The uid seen inside is one of this process's user namespace (bwrap makes none of its
  // own here); what counts is the uid it is outside.
  try {
    caps.verified_uid = static_cast<int>(OuterUid(static_cast<uid_t>(std::stoul(readings["uid"]))));
  } catch (...) {
    caps.verified_uid = -1;
  }
  caps.verified_seccomp = readings["Seccomp"] == "2";
  caps.verified_no_new_privs = readings["NoNewPrivs"] == "1";
  caps.verified_no_capabilities = readings["CapEff"] == "0000000000000000";
  caps.verified_sysctl_refused = readings["sysctl"] == "refused";
  caps.verified_root_read_only = readings["root"] == "read-only";
  caps.verified_host_files_hidden = readings["host"] == "hidden";
  caps.verified_loopback_only = readings["net"] == "lo,";
  if (!caps.verified_sysctl_refused) {
    caps.notes.push_back("a sandboxed process could write /proc/sys: the host is NOT protected");
  }
  if (caps.verified_uid == 0) {
    caps.notes.push_back(
        "sandboxed code runs as host uid 0: this process is root in a user namespace that maps "
        "no unprivileged uid (e.g. `unshare -Ur` run by root); map uid and gid 65534 too");
  }
}

}  // namespace sg::sandbox
