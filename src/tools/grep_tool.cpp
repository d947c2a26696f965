// grep: searches text files beneath a PathPolicy's roots with RE2, whose matching time is
// linear in the text whatever the pattern (std::regex backtracks: `(a*)*b` against a line
// of a's never returned, and the orchestrator runs this tool in its own process).
#include <fcntl.h>
#include <fmt/format.h>
#include <re2/re2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "sandbox/capped_output.h"
#include "tools/file_tools.h"
#include "tools/file_walk.h"
#include "tools/glob.h"
#include "tools/tool_args.h"

namespace sg::tools {
namespace {

// RE2's memory bound for one compiled pattern and its DFA caches. A pattern that needs more
// to compile is refused; a search whose DFA cache fills falls back to RE2's NFA, which is
// slower but still linear in the line.
constexpr int64_t kMaxRegexMemory = 8 << 20;
// Only this much of a line is searched: bounds the work of one match call, so the deadline
// is checked at least every kLinesPerDeadlineCheck * kMaxSearchedLine characters.
constexpr size_t kMaxSearchedLine = 4000;
constexpr size_t kLinesPerDeadlineCheck = 64;

// Appended to every syntax error: most patterns RE2 refuses are valid ECMAScript or PCRE.
constexpr const char* kSyntaxNote =
    "grep uses RE2 syntax, which matches in linear time and so has no backreferences (\\1, "
    "\\k<name>), no lookaround ((?=...), (?!...), (?<=...), (?<!...)) and no possessive or "
    "atomic groups (a*+, (?>...)); write \\x{41} for \\u0041 and (?P<name>...) for a named "
    "group. Drop the unsupported part, or search for a broader pattern and filter the lines in "
    "the python tool";

Result<std::unique_ptr<RE2>> CompilePattern(const std::string& pattern, bool ignore_case) {
  RE2::Options options;
  options.set_case_sensitive(!ignore_case);
  options.set_log_errors(false);  // the error goes to the model, not to the run's log
  options.set_max_mem(kMaxRegexMemory);
  options.set_never_capture(true);  // only whether a line matches is used
  auto re = std::make_unique<RE2>(pattern, options);
  if (re->ok()) return re;
  if (re->error_code() == RE2::ErrorPatternTooLarge) {
    return InvalidArgument(
        fmt::format("grep: the regular expression '{}' is too large: RE2 needs more than {} MiB to "
                    "compile it; use a shorter pattern",
                    pattern, kMaxRegexMemory >> 20));
  }
  return InvalidArgument(fmt::format("grep: invalid regular expression '{}': {}. {}", pattern,
                                     re->error(), kSyntaxNote));
}

class GrepTool : public Tool {
 public:
  GrepTool(std::shared_ptr<const PathPolicy> policy, FileToolLimits limits)
      : policy_(std::move(policy)), limits_(limits) {}
  std::string name() const override { return "grep"; }
  std::string description() const override {
    return fmt::format(
        "Search text files for a regular expression in RE2 syntax (as in Perl or Python's re, "
        "matched in linear time, but without backreferences such as \\1 and without lookaround "
        "such as (?=...) or (?<!...)); prints file:line: text for each matching line (the "
        "first {} characters of a line are searched). Optional path (a file or folder, default "
        "{}), glob (file name filter such as '**/*.md'), ignore_case. Binary files are skipped. "
        "A search that takes more than {} stops with an error: then narrow the path or glob.",
        kMaxSearchedLine, policy_->roots().front().path.string(),
        CallDeadline(limits_.time_budget).BudgetText());
  }
  Json parameters() const override {
    return {{"type", "object"},
            {"properties",
             {{"pattern", {{"type", "string"}, {"description", "regular expression (RE2)"}}},
              {"path", {{"type", "string"}, {"description", "file or folder to search"}}},
              {"glob", {{"type", "string"}, {"description", "only files matching this glob"}}},
              {"ignore_case", {{"type", "boolean"}}}}},
            {"required", {"pattern"}}};
  }
  ToolOutput Invoke(const Json& args) override {
    auto pattern = RequiredString(args, "grep", "pattern");
    if (!pattern.ok()) return ErrorOutput(pattern.error());
    auto path_arg = OptionalString(args, "grep", "path");
    if (!path_arg.ok()) return ErrorOutput(path_arg.error());
    auto glob = OptionalString(args, "grep", "glob");
    if (!glob.ok()) return ErrorOutput(glob.error());
    auto ignore_case = OptionalBool(args, "grep", "ignore_case", false);
    if (!ignore_case.ok()) return ErrorOutput(ignore_case.error());
    auto compiled = CompilePattern(*pattern, *ignore_case);
    if (!compiled.ok()) return ErrorOutput(compiled.error());
    const RE2& re = **compiled;
    CallDeadline deadline(limits_.time_budget);
    auto resolved = policy_->Resolve(path_arg->value_or("."), Access::kRead);
    if (!resolved.ok()) return ErrorOutput(resolved.error());
    auto probe = policy_->Open(*resolved, O_RDONLY | O_NONBLOCK);
    if (!probe.ok()) return ErrorOutput(probe.error());
    struct stat st {};
    bool is_dir = fstat(*probe, &st) == 0 && S_ISDIR(st.st_mode);
    close(*probe);

    std::string out;
    size_t matches = 0;
    size_t files = 0;     // entries walked, against max_grep_files
    size_t searched = 0;  // files searched to their end
    bool stopped = false;
    bool out_of_time = false;
    auto search = [&](const ResolvedPath& file, const std::string& shown) {
      if (deadline.Passed()) {
        out_of_time = true;
        return;
      }
      bool truncated = false;
      auto data = ReadBeneath(*policy_, file, limits_.max_read_bytes, &truncated);
      if (!data.ok() || BinaryFileHint(shown, std::string_view(*data).substr(0, 8192))) return;
      size_t pos = 0;
      size_t line_no = 1;
      while (pos < data->size() && !stopped) {
        if (line_no % kLinesPerDeadlineCheck == 0 && deadline.Passed()) {
          out_of_time = true;
          return;
        }
        size_t end = data->find('\n', pos);
        if (end == std::string::npos) end = data->size();
        std::string_view line(data->data() + pos, end - pos);
        if (line.size() > kMaxSearchedLine) line = line.substr(0, kMaxSearchedLine);
        if (RE2::PartialMatch(line, re)) {
          if (++matches > limits_.max_grep_matches) {
            stopped = true;
            return;
          }
          std::string text(line.substr(0, 300));
          if (line.size() > 300) text += "...";
          out += fmt::format("{}:{}: {}\n", shown, line_no, text);
        }
        pos = end + 1;
        ++line_no;
      }
      ++searched;
    };
    if (!is_dir) {
      search(*resolved, policy_->Display(*resolved));
    } else {
      auto walked = Walk(*policy_, *resolved, [&](const std::string& rel, const WalkEntry& entry) {
        if (out_of_time || deadline.Passed()) {
          out_of_time = true;
          return false;
        }
        if (stopped || ++files > limits_.max_grep_files) return false;
        if (entry.kind != WalkEntry::Kind::kFile && entry.kind != WalkEntry::Kind::kSymlink) {
          return true;
        }
        if (glob->has_value() && !GlobMatch(**glob, rel) && !GlobMatch(**glob, entry.name)) {
          return true;
        }
        ResolvedPath file = *resolved;
        file.relative = (resolved->relative / rel).lexically_normal();
        file.absolute = resolved->absolute / rel;
        search(file, policy_->Display(file));
        return true;
      });
      if (!walked.ok()) return ErrorOutput(walked.error());
    }
    if (out_of_time) {
      // An error, so the model does not take the lines found so far for all there are.
      std::string message = fmt::format(
          "grep stopped after the {} time budget: {} files searched; narrow the path or the "
          "pattern",
          deadline.BudgetText(), searched);
      if (!out.empty()) message += "\n[matching lines found before the stop; there may be more]\n";
      return ErrorOutput(sandbox::CapText(message + out, limits_.max_output_bytes));
    }
    if (out.empty()) return TextOutput(fmt::format("no match for /{}/", *pattern));
    if (stopped) {
      out += fmt::format("[stopped after {} matches; narrow the pattern or the path]\n",
                         limits_.max_grep_matches);
    }
    return TextOutput(sandbox::CapText(out, limits_.max_output_bytes));
  }

 private:
  std::shared_ptr<const PathPolicy> policy_;
  FileToolLimits limits_;
};

}  // namespace

std::unique_ptr<Tool> MakeGrepTool(std::shared_ptr<const PathPolicy> policy,
                                   FileToolLimits limits) {
  return std::make_unique<GrepTool>(std::move(policy), limits);
}

}  // namespace sg::tools
