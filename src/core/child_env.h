// The environment of a child process: an allow-list, never this process's own. API keys,
// tokens, secrets and proxy settings cannot pass, even when asked for. The sandbox builds
// agent code's environment with it; graders and LibreOffice, which run on the host, too.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sg {

// True for names that must never reach a child: *_KEY, *_TOKEN, *SECRET*, *PASSWORD*,
// AZURE_*, OPENAI_*, ANTHROPIC_*, AWS_*, and proxy settings (http_proxy, NO_PROXY, ...).
bool IsForbiddenVariable(std::string_view name);

// Builds "NAME=value" entries: a fixed PATH, LANG/LC_*/TZ copied from `host_env` when
// set (LANG defaults to C.UTF-8), HOME and TMPDIR as given, single-threaded numeric
// libraries, then `extra` (forbidden names among them are dropped).
std::vector<std::string> ScrubbedEnvironment(
    const std::vector<std::pair<std::string, std::string>>& host_env,
    const std::filesystem::path& home, const std::filesystem::path& tmpdir,
    const std::vector<std::pair<std::string, std::string>>& extra);

// ScrubbedEnvironment for a program run on the host (a grader, LibreOffice): this
// process's PATH is kept (not a secret, and a grader may rely on tools found there).
std::vector<std::string> ScrubbedHostEnvironment(const std::filesystem::path& home,
                                                 const std::filesystem::path& tmpdir);

// The current process environment as pairs.
std::vector<std::pair<std::string, std::string>> CurrentEnvironment();

}  // namespace sg
