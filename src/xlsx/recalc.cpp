#include "xlsx/recalc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/child_env.h"
#include "core/file_util.h"
#include "core/subprocess.h"
#include "core/unique_fd.h"

namespace sg::xlsx {
namespace {

namespace fs = std::filesystem;

// Counting semaphore whose bound can change at run time.
class InstanceLimiter {
 public:
  void SetMax(int max) {
    std::lock_guard<std::mutex> lock(mu_);
    max_ = std::max(1, max);
    cv_.notify_all();
  }
  int max() {
    std::lock_guard<std::mutex> lock(mu_);
    return max_;
  }
  void Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return running_ < max_; });
    ++running_;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int max_ = 2;
  int running_ = 0;
};

// The one limiter of the process: LibreOffice instances are a process-wide resource.
InstanceLimiter& Limiter() {
  static InstanceLimiter limiter;
  return limiter;
}

struct LimiterSlot {
  LimiterSlot() { Limiter().Acquire(); }
  ~LimiterSlot() { Limiter().Release(); }
};

struct TempDirGuard {
  fs::path path;
  ~TempDirGuard() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

std::string FindExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Forces "recalculate on load" for OOXML and ODF files in the private profile.
constexpr const char* kProfileSettings = R"(<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
)";

std::string Tail(const fs::path& log, std::size_t max_chars) {
  Result<std::string> text = ReadFile(log);
  if (!text.ok()) return "";
  std::string s = *text;
  if (s.size() > max_chars) s = "..." + s.substr(s.size() - max_chars);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

void SetMaxConcurrentRecalcs(int max_instances) { Limiter().SetMax(max_instances); }
int MaxConcurrentRecalcs() { return Limiter().max(); }

bool LibreOfficeAvailable(const std::string& soffice) { return !FindExecutable(soffice).empty(); }

Result<fs::path> RecalculateWorkbook(const fs::path& input, const RecalcOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(input, ec)) {
    return NotFound("workbook to recalculate " + input.string() + " does not exist");
  }
  std::string soffice = FindExecutable(options.soffice);
  if (soffice.empty()) {
    return NotFound("LibreOffice ('" + options.soffice +
                    "') is not installed or not on PATH; install it with "
                    "scripts/install-deps.sh (Debian package libreoffice-calc-nogui)");
  }
  fs::path absolute_input = fs::absolute(input, ec);
  if (ec) return IoError("cannot resolve " + input.string() + ": " + ec.message());
  fs::path output = options.output;
  if (output.empty()) {
    output = absolute_input.parent_path() / (absolute_input.stem().string() + ".recalc.xlsx");
  }

  std::string pattern = (fs::temp_directory_path() / "skillgrad-recalc-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return IoError("cannot create a temporary directory under " +
                   fs::temp_directory_path().string() + " for LibreOffice");
  }
  TempDirGuard temp{pattern};
  fs::path profile = temp.path / "profile";
  fs::path outdir = temp.path / "out";
  fs::path log = temp.path / "soffice.log";
  SG_RETURN_IF_ERROR(MakeDirs(outdir));
  SG_RETURN_IF_ERROR(
      WriteFileAtomic(profile / "user" / "registrymodifications.xcu", kProfileSettings));
  // soffice names its output after the input; a fixed name avoids surprises with odd names.
  fs::path staged = temp.path / "in" / "workbook.xlsx";
  SG_RETURN_IF_ERROR(MakeDirs(staged.parent_path()));
  fs::copy_file(absolute_input, staged, fs::copy_options::overwrite_existing, ec);
  if (ec) return IoError("cannot copy " + input.string() + " for recalculation: " + ec.message());

  std::vector<std::string> args = {
      soffice,        "-env:UserInstallation=file://" + profile.string(),
      "--headless",   "--invisible",
      "--norestore",  "--nologo",
      "--nodefault",  "--nolockcheck",
      "--convert-to", "xlsx:Calc MS Excel 2007 XML",
      "--outdir",     outdir.string(),
      staged.string()};
  // soffice's stdout and stderr go to a log, whose end explains a failed conversion.
  UniqueFd log_fd(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!log_fd) {
    return IoError("cannot create " + log.string() + " for LibreOffice's output: " +
                   std::error_code(errno, std::generic_category()).message());
  }
  const fs::path tmpdir = temp.path / "tmp";
  SG_RETURN_IF_ERROR(MakeDirs(tmpdir));
  SpawnOptions spawn;
  spawn.argv = std::move(args);
  // Never the engine's keys and tokens, nor its descriptors; HOME is the throwaway folder.
  spawn.env = ScrubbedHostEnvironment(temp.path, tmpdir);
  spawn.stdin_stream = ChildStream::Null();
  spawn.stdout_stream = ChildStream::Fd(log_fd.get());
  spawn.stderr_stream = ChildStream::SameAsStdout();
  spawn.group = ProcessGroup::kNewGroup;
  RunOptions run;
  run.timeout = options.timeout;
  run.kill_group_on_exit = true;  // helpers soffice may have left behind in its group

  LimiterSlot slot;
  auto ran = RunSubprocess(spawn, run);
  if (!ran.ok()) return ran.error().WithContext("cannot start LibreOffice");
  if (ran->timed_out) {
    return Error(ErrorCode::kTimeout,
                 "LibreOffice did not finish recalculating " + input.string() + " within " +
                     std::to_string(options.timeout.count()) +
                     " ms and was killed; the workbook may be too large or malformed");
  }
  fs::path produced = outdir / "workbook.xlsx";
  if (ran->exit_code != 0 || !fs::exists(produced, ec)) {
    return Error(ErrorCode::kIo, "LibreOffice could not recalculate " + input.string() + " (" +
                                     ran->Describe() + "): " + Tail(log, 600));
  }
  fs::path partial = output;
  partial += ".partial";
  fs::copy_file(produced, partial, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(partial, output, ec);
  if (ec) {
    fs::remove(partial, ec);
    return IoError("cannot write the recalculated workbook " + output.string() + ": " +
                   ec.message());
  }
  return output;
}

}  // namespace sg::xlsx
