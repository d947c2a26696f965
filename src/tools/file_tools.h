// read_file, write_file, list_files and grep over the roots of a PathPolicy.
#pragma once

#include <chrono>
#include <memory>

#include "tools/path_policy.h"
#include "tools/tool.h"

namespace sg::tools {

struct FileToolLimits {
  std::size_t max_read_bytes = 4 << 20;     // a file larger than this is read only in part
  std::size_t max_output_bytes = 64 << 10;  // text returned to the model per call
  std::size_t max_write_bytes = 4 << 20;
  std::size_t max_list_entries = 500;
  std::size_t max_grep_matches = 200;
  std::size_t max_grep_files = 5000;
  // Wall time one grep or list_files call may take. When it passes, the call stops and
  // returns an error saying how far it got, so one call cannot hold up the orchestrator
  // (these tools run in its process). 0 stops at the first check (for tests).
  std::chrono::milliseconds time_budget{10'000};
};

std::unique_ptr<Tool> MakeReadFileTool(std::shared_ptr<const PathPolicy> policy,
                                       FileToolLimits limits = {});
std::unique_ptr<Tool> MakeWriteFileTool(std::shared_ptr<const PathPolicy> policy,
                                        FileToolLimits limits = {});
std::unique_ptr<Tool> MakeListFilesTool(std::shared_ptr<const PathPolicy> policy,
                                        FileToolLimits limits = {});
std::unique_ptr<Tool> MakeGrepTool(std::shared_ptr<const PathPolicy> policy,
                                   FileToolLimits limits = {});

// Adds read_file, list_files, grep, and write_file when some root is writable.
void AddFileTools(ToolSet& tools, std::shared_ptr<const PathPolicy> policy,
                  FileToolLimits limits = {});

}  // namespace sg::tools
