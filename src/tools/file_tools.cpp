#include "tools/file_tools.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>
#include <set>
#include <string>
#include <system_error>

#include "core/unique_fd.h"
#include "sandbox/capped_output.h"
#include "tools/file_walk.h"
#include "tools/glob.h"
#include "tools/tool_args.h"

namespace sg::tools {
namespace fs = std::filesystem;
namespace {

std::string ErrnoText(int err) { return std::error_code(err, std::generic_category()).message(); }

// Office documents are zip or OLE containers: read_file refuses them by name, before reading,
// as the method's read_file does, and says how to open them instead.
std::optional<std::string> OfficeDocumentRefusal(const std::string& display) {
  static const std::set<std::string> kOffice = {".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls",
                                                ".docx", ".docm", ".doc",  ".pptx", ".pptm", ".ppt",
                                                ".odt",  ".ods",  ".odp",  ".pdf"};
  std::string ext = fs::path(display).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (kOffice.count(ext) == 0) return std::nullopt;
  return fmt::format(
      "read_file: '{}' is a {} document, not a text file, and read_file does not open those. "
      "Read it from Python through the shell tool instead (openpyxl for workbooks), as the "
      "activated skill shows.",
      display, ext);
}

class ReadFileTool : public Tool {
 public:
  ReadFileTool(std::shared_ptr<const PathPolicy> policy, FileToolLimits limits)
      : policy_(std::move(policy)), limits_(limits) {}
  std::string name() const override { return "read_file"; }
  std::string description() const override {
    return "Read a text file. Paths are relative to " + policy_->roots().front().path.string() +
           " (or absolute inside: " + policy_->Describe() +
           "). Optional offset (first line, 1-based) and limit (number of lines) page through "
           "long files. Text only: office documents (.xlsx, .xlsm, .xls, .docx, .pptx, ...) and "
           "other binary files are refused; read those from Python through the shell tool.";
  }
  Json parameters() const override {
    return {{"type", "object"},
            {"properties",
             {{"path", {{"type", "string"}, {"description", "file to read"}}},
              {"offset", {{"type", "integer"}, {"description", "first line to return, 1-based"}}},
              {"limit", {{"type", "integer"}, {"description", "number of lines to return"}}}}},
            {"required", {"path"}}};
  }
  ToolOutput Invoke(const Json& args) override {
    auto path_arg = RequiredString(args, "read_file", "path");
    if (!path_arg.ok()) return ErrorOutput(path_arg.error());
    auto offset = OptionalInt(args, "read_file", "offset");
    if (!offset.ok()) return ErrorOutput(offset.error());
    auto limit = OptionalInt(args, "read_file", "limit");
    if (!limit.ok()) return ErrorOutput(limit.error());
    auto resolved = policy_->Resolve(*path_arg, Access::kRead);
    if (!resolved.ok()) return ErrorOutput(resolved.error());
    if (auto refusal = OfficeDocumentRefusal(policy_->Display(*resolved))) {
      return ErrorOutput(*refusal);
    }
    bool truncated = false;
    auto data = ReadBeneath(*policy_, *resolved, limits_.max_read_bytes, &truncated);
    if (!data.ok()) return ErrorOutput(data.error());
    std::string display = policy_->Display(*resolved);
    if (auto hint = BinaryFileHint(display, std::string_view(*data).substr(0, 8192))) {
      return ErrorOutput(*hint);
    }
    std::int64_t first = std::max<std::int64_t>(1, offset->value_or(1));
    std::int64_t count = limit->value_or(-1);
    if (!offset->has_value() && !limit->has_value() && data->size() <= limits_.max_output_bytes &&
        !truncated) {
      return TextOutput(*data);
    }
    // Slice lines [first, first + count) and stop at the output cap on a line boundary.
    std::string out;
    std::int64_t line = 1;
    std::int64_t last_line = 0;
    size_t pos = 0;
    bool cut = false;
    while (pos < data->size()) {
      size_t end = data->find('\n', pos);
      size_t next = end == std::string::npos ? data->size() : end + 1;
      if (line >= first && (count < 0 || line < first + count)) {
        if (out.size() + (next - pos) > limits_.max_output_bytes) {
          cut = true;
          break;
        }
        out.append(*data, pos, next - pos);
        last_line = line;
      }
      if (count >= 0 && line >= first + count) break;
      pos = next;
      ++line;
    }
    if (last_line == 0) {
      return ErrorOutput(fmt::format("'{}' has no line {} (it has {} lines)", display, first,
                                     std::count(data->begin(), data->end(), '\n') + 1));
    }
    if (cut || truncated) {
      out += fmt::format(
          "\n[showing lines {}-{} of '{}'; the rest was cut to keep the output short: call "
          "read_file again with offset={}]",
          first, last_line, display, last_line + 1);
    }
    return TextOutput(out);
  }

 private:
  std::shared_ptr<const PathPolicy> policy_;
  FileToolLimits limits_;
};

class WriteFileTool : public Tool {
 public:
  WriteFileTool(std::shared_ptr<const PathPolicy> policy, FileToolLimits limits)
      : policy_(std::move(policy)), limits_(limits) {}
  std::string name() const override { return "write_file"; }
  std::string description() const override {
    return "Create or overwrite a text file with the given content (parent folders are "
           "created). Paths are relative to " +
           policy_->roots().front().path.string() + "; writable roots: " + policy_->Describe() +
           ". To produce a workbook, write a Python script that uses openpyxl and run it with "
           "the shell tool.";
  }
  Json parameters() const override {
    return {{"type", "object"},
            {"properties",
             {{"path", {{"type", "string"}, {"description", "file to write"}}},
              {"content", {{"type", "string"}, {"description", "the whole new content"}}}}},
            {"required", {"path", "content"}}};
  }
  ToolOutput Invoke(const Json& args) override {
    auto path_arg = RequiredString(args, "write_file", "path");
    if (!path_arg.ok()) return ErrorOutput(path_arg.error());
    auto content = RequiredString(args, "write_file", "content");
    if (!content.ok()) return ErrorOutput(content.error());
    if (content->size() > limits_.max_write_bytes) {
      return ErrorOutput(
          fmt::format("write_file: content of {} bytes exceeds the {} byte cap; "
                      "write large files from a script run with the shell tool",
                      content->size(), limits_.max_write_bytes));
    }
    auto resolved = policy_->Resolve(*path_arg, Access::kWrite);
    if (!resolved.ok()) return ErrorOutput(resolved.error());
    if (resolved->relative == ".")
      return ErrorOutput("write_file: the path names a root folder, not a file");
    if (auto st = policy_->MakeParents(*resolved); !st.ok()) return ErrorOutput(st.error());
    auto fd = policy_->Open(*resolved, O_WRONLY | O_CREAT | O_TRUNC | O_NOCTTY | O_NONBLOCK, 0644);
    if (!fd.ok()) return ErrorOutput(fd.error());
    UniqueFd file(*fd);
    // A failed fstat leaves `st` unspecified: it is its own error, not "not a regular file".
    struct stat st {};
    if (fstat(file.get(), &st) != 0) {
      return ErrorOutput(fmt::format("write_file: cannot inspect '{}': {}",
                                     policy_->Display(*resolved), ErrnoText(errno)));
    }
    if (!S_ISREG(st.st_mode)) {
      return ErrorOutput(fmt::format("'{}' is not a regular file", policy_->Display(*resolved)));
    }
    std::string_view rest = *content;
    while (!rest.empty()) {
      ssize_t n = write(file.get(), rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        return ErrorOutput(fmt::format("writing '{}' failed: {}", policy_->Display(*resolved),
                                       n < 0 ? ErrnoText(errno) : "no byte written"));
      }
      rest.remove_prefix(static_cast<size_t>(n));
    }
    return TextOutput(
        fmt::format("wrote {} bytes to {}", content->size(), policy_->Display(*resolved)));
  }

 private:
  std::shared_ptr<const PathPolicy> policy_;
  FileToolLimits limits_;
};

class ListFilesTool : public Tool {
 public:
  ListFilesTool(std::shared_ptr<const PathPolicy> policy, FileToolLimits limits)
      : policy_(std::move(policy)), limits_(limits) {}
  std::string name() const override { return "list_files"; }
  std::string description() const override {
    return "List files matching a glob pattern ('*' within a folder, '**' across folders, "
           "e.g. '**/*.xlsx'), with their sizes. Optional path: the folder to search "
           "(default " +
           policy_->roots().front().path.string() + "). Roots: " + policy_->Describe() +
           ". A listing that takes more than " + CallDeadline(limits_.time_budget).BudgetText() +
           " stops with an error: then give a narrower path.";
  }
  Json parameters() const override {
    return {{"type", "object"},
            {"properties",
             {{"pattern", {{"type", "string"}, {"description", "glob, default '**/*'"}}},
              {"path", {{"type", "string"}, {"description", "folder to search"}}}}},
            {"required", Json::array()}};
  }
  ToolOutput Invoke(const Json& args) override {
    auto pattern = OptionalString(args, "list_files", "pattern");
    if (!pattern.ok()) return ErrorOutput(pattern.error());
    auto path_arg = OptionalString(args, "list_files", "path");
    if (!path_arg.ok()) return ErrorOutput(path_arg.error());
    std::string glob = pattern->value_or("**/*");
    if (glob.empty()) glob = "**/*";
    auto resolved = policy_->Resolve(path_arg->value_or("."), Access::kRead);
    if (!resolved.ok()) return ErrorOutput(resolved.error());
    CallDeadline deadline(limits_.time_budget);
    std::vector<std::string> lines;
    size_t matched = 0;
    size_t visited = 0;
    bool walk_cut = false;
    bool out_of_time = false;
    auto walked = Walk(*policy_, *resolved, [&](const std::string& rel, const WalkEntry& entry) {
      if (deadline.Passed()) {
        out_of_time = true;
        return false;
      }
      if (++visited > kMaxWalkEntries) {
        walk_cut = true;
        return false;
      }
      if (!GlobMatch(glob, rel)) return true;
      ++matched;
      if (lines.size() >= limits_.max_list_entries) return true;
      switch (entry.kind) {
        case WalkEntry::Kind::kSymlink:
          lines.push_back(rel + " -> " + entry.link_target);
          break;
        case WalkEntry::Kind::kDirectory:
          lines.push_back(rel + "/");
          break;
        default:
          lines.push_back(fmt::format("{} ({} bytes)", rel, entry.size));
      }
      return true;
    });
    if (!walked.ok()) return ErrorOutput(walked.error());
    std::sort(lines.begin(), lines.end());
    if (out_of_time) {
      // An error, so the model does not take the entries listed so far for all there are.
      std::string message = fmt::format(
          "list_files stopped after the {} time budget: {} entries looked at, {} matching; "
          "narrow the path or the pattern\n",
          deadline.BudgetText(), visited, matched);
      if (!lines.empty()) message += "[entries found before the stop; there may be more]\n";
      for (const auto& line : lines) message += line + "\n";
      return ErrorOutput(sandbox::CapText(message, limits_.max_output_bytes));
    }
    if (lines.empty()) {
      return TextOutput(
          fmt::format("no file under '{}' matches '{}'", policy_->Display(*resolved), glob));
    }
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    if (walk_cut) {
      out += fmt::format("[stopped after looking at {} entries; give a narrower path]\n",
                         kMaxWalkEntries);
    }
    if (matched > lines.size()) {
      out +=
          fmt::format("[{} more entries not shown; narrow the pattern]\n", matched - lines.size());
    }
    return TextOutput(sandbox::CapText(out, limits_.max_output_bytes));
  }

 private:
  std::shared_ptr<const PathPolicy> policy_;
  FileToolLimits limits_;
};

}  // namespace

std::unique_ptr<Tool> MakeReadFileTool(std::shared_ptr<const PathPolicy> policy,
                                       FileToolLimits limits) {
  return std::make_unique<ReadFileTool>(std::move(policy), limits);
}
std::unique_ptr<Tool> MakeWriteFileTool(std::shared_ptr<const PathPolicy> policy,
                                        FileToolLimits limits) {
  return std::make_unique<WriteFileTool>(std::move(policy), limits);
}
std::unique_ptr<Tool> MakeListFilesTool(std::shared_ptr<const PathPolicy> policy,
                                        FileToolLimits limits) {
  return std::make_unique<ListFilesTool>(std::move(policy), limits);
}
void AddFileTools(ToolSet& tools, std::shared_ptr<const PathPolicy> policy, FileToolLimits limits) {
  bool writable = false;
  for (const auto& root : policy->roots()) writable = writable || root.writable;
  tools.Add(MakeReadFileTool(policy, limits));
  tools.Add(MakeListFilesTool(policy, limits));
  tools.Add(MakeGrepTool(policy, limits));
  if (writable) tools.Add(MakeWriteFileTool(policy, limits));
}

}  // namespace sg::tools
