#include "tasks/external_process.h"

#include <stdlib.h>

#include <system_error>

#include "core/child_env.h"
#include "core/subprocess.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;

// The grader's HOME and TMPDIR: a folder of its own, removed with what it left there.
class GraderScratch {
 public:
  ~GraderScratch() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  Status Create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "skillgrad-grader-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return IoError("cannot create a temporary folder under " + base.string() +
                     " for the grader's HOME; set TMPDIR to a writable folder");
    }
    path_ = pattern;
    fs::create_directory(home(), ec);
    if (!ec) fs::create_directory(tmp(), ec);
    if (ec) return IoError("cannot create " + home().string() + " and tmp: " + ec.message());
    return Ok();
  }
  fs::path home() const { return path_ / "home"; }
  fs::path tmp() const { return path_ / "tmp"; }

 private:
  fs::path path_;
};

}  // namespace

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 const std::filesystem::path& working_dir,
                                 const std::string& stdin_text, std::chrono::milliseconds timeout,
                                 size_t output_cap) {
  if (argv.empty()) return InvalidArgument("empty command");
  GraderScratch scratch;
  SG_RETURN_IF_ERROR(scratch.Create());
  SpawnOptions options;
  options.argv = argv;
  // Graders never see the engine's keys and tokens, nor its descriptors.
  options.env = ScrubbedHostEnvironment(scratch.home(), scratch.tmp());
  options.cwd = working_dir;
  options.stdin_stream = ChildStream::Pipe();
  options.stdout_stream = ChildStream::Pipe();
  options.stderr_stream = ChildStream::Pipe();
  options.group = ProcessGroup::kNewGroup;
  RunOptions run;
  run.stdin_text = stdin_text;
  run.timeout = timeout;
  run.stdout_cap = output_cap;
  run.stderr_cap = output_cap;
  run.kill_group_on_exit = true;  // children the grader left behind in its group go too
  SG_ASSIGN_OR_RETURN(SubprocessResult ran, RunSubprocess(options, run));
  ProcessResult result;
  result.exit_code = ran.exit_code;
  result.signal = ran.signal;
  result.timed_out = ran.timed_out;
  result.stdout_text = std::move(ran.stdout_text);
  result.stderr_text = std::move(ran.stderr_text);
  return result;
}

}  // namespace sg::tasks
