#include "cli/doctor.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/child_env.h"
#include "core/error.h"
#include "core/subprocess.h"
#include "llm/client.h"
#include "llm/env_config.h"
#include "llm/provider_config.h"
#include "sandbox/capabilities.h"

namespace sg::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kInstallDeps = "run scripts/install-deps.sh";

struct CommandOutput {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

// Runs `argv` with this process's environment, stdout and stderr together, for at most
// two minutes (a tool that hangs is a failed check, not a hung doctor).
CommandOutput Run(const std::vector<std::string>& argv) {
  CommandOutput result;
  SpawnOptions options;
  options.argv = argv;
  for (const auto& [name, value] : CurrentEnvironment()) options.env.push_back(name + "=" + value);
  options.stdout_stream = ChildStream::Pipe();
  options.stderr_stream = ChildStream::SameAsStdout();
  RunOptions run;
  run.timeout = std::chrono::seconds(120);
  run.stdout_cap = 1u << 20;
  auto ran = RunSubprocess(options, run);
  if (!ran.ok()) {
    result.out = ran.error().message;
    return result;
  }
  result.exit_code = ran->timed_out ? -1 : ran->exit_code;
  result.out = std::move(ran->stdout_text);
  if (ran->timed_out) result.out += " (" + ran->Describe() + " after 120 s)";
  while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == ' ')) {
    result.out.pop_back();
  }
  return result;
}

std::optional<fs::path> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    fs::path candidate = fs::path(rest.substr(0, colon)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

DoctorCheck CheckProvider(const DoctorOptions& options) {
  DoctorCheck check;
  check.name = "provider";
  auto config = llm::LoadProviderConfig(options.env_file);
  if (!config.ok()) {
    check.detail = config.error().message;
    check.fix = "set exactly one of " + llm::ProviderSetupText() +
                ", in the environment or in .env (or pass --env-file); see docs/doctor.md";
    return check;
  }
  check.detail = fmt::format("{} from {}, endpoint {}", llm::ProviderKindName(config->kind),
                             config->origin, llm::EndpointUrl(*config));
  if (config->model.empty()) {
    check.detail += ", no MODEL";
    check.fix =
        "set MODEL (e.g. MODEL=gpt-4o-mini) in the environment or .env, or pass --model "
        "to each command";
    return check;
  }
  check.detail += ", model " + config->model;
  if (!options.call_provider) {
    check.ok = true;
    check.detail += " (no call: --no-call)";
    return check;
  }
  llm::ClientOptions client_options;
  client_options.retry.max_attempts = 1;
  client_options.request_timeout = std::chrono::seconds(60);
  client_options.deadline = std::chrono::seconds(90);
  llm::LlmClient client(*config, llm::ClientParts{}, client_options);
  llm::ChatRequest request;
  request.model = config->model;
  request.messages.push_back(llm::Message::User("Reply with the single word OK."));
  request.sampling.max_tokens = 16;
  llm::CallContext context{"doctor", "", -1, "doctor"};
  auto response = client.Complete(request, context);
  if (!response.ok()) {
    check.detail += "; the call failed: " + response.error().message;
    const llm::ProviderInfo& info = llm::ProviderInfoFor(config->kind);
    check.fix = fmt::format("check {}, the endpoint {} and that MODEL names a model it serves",
                            info.key_var, info.url_var);
    return check;
  }
  check.ok = true;
  check.detail += fmt::format("; one call answered in {:.0f} ms by model {}", response->latency_ms,
                              response->model.empty() ? "(not reported)" : response->model);
  return check;
}

DoctorCheck CheckPython(const DoctorOptions& options) {
  DoctorCheck check;
  check.name = "python";
  if (::access(options.python.c_str(), X_OK) != 0) {
    check.detail = options.python + " is not installed";
    check.fix =
        std::string(kInstallDeps) + " (Debian packages python3 python3-openpyxl python3-pandas)";
    return check;
  }
  CommandOutput run = Run({options.python, "-c",
                           "import sys, openpyxl, pandas; print(sys.version.split()[0], "
                           "openpyxl.__version__, pandas.__version__)"});
  if (run.exit_code != 0) {
    check.detail = fmt::format(
        "{} cannot import openpyxl and pandas: {}", options.python,
        run.out.substr(run.out.rfind('\n') == std::string::npos ? 0 : run.out.rfind('\n') + 1));
    check.fix = std::string(kInstallDeps) + " (Debian packages python3-openpyxl python3-pandas)";
    return check;
  }
  std::istringstream words(run.out);
  std::string python, openpyxl, pandas;
  words >> python >> openpyxl >> pandas;
  check.ok = true;
  check.detail =
      fmt::format("{} {}, openpyxl {}, pandas {}", options.python, python, openpyxl, pandas);
  return check;
}

DoctorCheck CheckLibreOffice() {
  DoctorCheck check;
  check.name = "libreoffice";
  auto soffice = FindOnPath("soffice");
  if (!soffice) {
    check.detail =
        "soffice is not on PATH: formulas without cached values cannot be recalculated "
        "before grading";
    check.fix = std::string(kInstallDeps) + " (Debian package libreoffice-calc-nogui)";
    return check;
  }
  CommandOutput run = Run({soffice->string(), "--version"});
  if (run.exit_code != 0) {
    check.detail = fmt::format("{} --version failed: {}", soffice->string(), run.out);
    check.fix = "reinstall LibreOffice: " + std::string(kInstallDeps);
    return check;
  }
  check.ok = true;
  check.detail = soffice->string() + ": " + run.out.substr(0, run.out.find('\n'));
  return check;
}

DoctorCheck CheckSandbox() {
  DoctorCheck check;
  check.name = "sandbox";
  sandbox::Capabilities caps = sandbox::ProbeCapabilities(sandbox::Backend::kAuto);
  // What the probe read from inside a sandboxed process, not what was configured.
  check.detail = fmt::format(
      "backend {}; verified from inside: uid {}, filesystem {}, network {}, /proc/sys {}, "
      "seccomp {}, capabilities {}; processes {}; memory {}",
      sandbox::BackendName(caps.backend), caps.verified_uid,
      caps.filesystem_isolated && caps.verified_host_files_hidden ? "isolated" : "NOT isolated",
      caps.network_isolated && caps.verified_loopback_only ? "loopback only" : "NOT isolated",
      caps.verified_sysctl_refused ? "read-only" : "WRITABLE", caps.verified_seccomp ? "on" : "off",
      caps.verified_no_capabilities ? "none" : "SOME", caps.process_limit_method,
      caps.memory_limit_method);
  for (const auto& note : caps.notes) check.detail += "; " + note;
  check.ok = caps.Isolated();
  if (!check.ok) {
    check.fix =
        !FindOnPath("bwrap")
            ? std::string(kInstallDeps) + " (Debian package bubblewrap)"
            : "allow namespaces for bubblewrap (sysctl kernel.unprivileged_userns_clone=1, or "
              "run the container with --security-opt seccomp=unconfined / --privileged); "
              "until then collect, train, eval and exec refuse to run agent code unless "
              "--unsafe-sandbox is given";
  }
  return check;
}

DoctorCheck CheckResultsRoot(const fs::path& root) {
  DoctorCheck check;
  check.name = "results root";
  std::error_code ec;
  const bool existed = fs::exists(root, ec);
  fs::create_directories(root, ec);
  if (ec) {
    check.detail = fmt::format("cannot create {}: {}", root.string(), ec.message());
    check.fix = "pass --results-root DIR with a directory you can write";
    return check;
  }
  const fs::path probe = root / fmt::format(".doctor-write-test-{}", ::getpid());
  FILE* f = std::fopen(probe.c_str(), "w");
  bool wrote = f != nullptr && std::fputs("ok\n", f) >= 0;
  if (f != nullptr) wrote = (std::fclose(f) == 0) && wrote;
  fs::remove(probe, ec);
  if (!wrote) {
    check.detail = fmt::format("cannot write in {}: {}", root.string(), std::strerror(errno));
    check.fix = "pass --results-root DIR with a directory you can write, or fix its permissions";
    return check;
  }
  check.ok = true;
  check.detail = fmt::format("{} is writable{}", fs::absolute(root).lexically_normal().string(),
                             existed ? "" : " (created)");
  return check;
}

}  // namespace

std::vector<DoctorCheck> RunDoctor(const DoctorOptions& options) {
  return {CheckProvider(options), CheckPython(options), CheckLibreOffice(), CheckSandbox(),
          CheckResultsRoot(options.results_root)};
}

std::string FormatDoctorReport(const std::vector<DoctorCheck>& checks) {
  std::string out;
  int failed = 0;
  for (const auto& c : checks) {
    out += fmt::format("{} {}: {}\n", c.ok ? "[ok]  " : "[FAIL]", c.name, c.detail);
    if (!c.ok) {
      ++failed;
      out += fmt::format("       fix: {}\n", c.fix);
    }
  }
  out += failed == 0 ? fmt::format("all {} checks passed\n", checks.size())
                     : fmt::format("{} of {} checks failed\n", failed, checks.size());
  return out;
}

}  // namespace sg::cli
