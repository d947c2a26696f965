#include "core/temp_files.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace sg {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMarker = ".tmp-";
constexpr size_t kHexDigits = 16;

// The writer's pid when `name` ends in ".tmp-<pid>-<16 hex>".
std::optional<pid_t> WriterOf(const std::string& name) {
  size_t marker = name.rfind(kMarker);
  if (marker == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(name).substr(marker + kMarker.size());
  size_t dash = rest.find('-');
  if (dash == 0 || dash == std::string_view::npos || rest.size() - dash - 1 != kHexDigits) {
    return std::nullopt;
  }
  std::string_view pid_text = rest.substr(0, dash), hex = rest.substr(dash + 1);
  if (pid_text.size() > 9) return std::nullopt;
  int64_t pid = 0;
  for (char c : pid_text) {
    if (c < '0' || c > '9') return std::nullopt;
    pid = pid * 10 + (c - '0');
  }
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  if (pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool Running(pid_t pid) {
  if (pid == ::getpid()) return true;
  return ::kill(pid, 0) == 0 || errno != ESRCH;  // EPERM: it runs, as another user
}

}  // namespace

fs::path TempPathFor(const fs::path& path) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  fs::path tmp = path;
  tmp += fmt::format("{}{}-{:016x}", kMarker, ::getpid(), rng());
  return tmp;
}

int RemoveStaleTempFiles(const fs::path& root) {
  std::vector<fs::path> stale;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    auto pid = WriterOf(it->path().filename().string());
    if (!pid || Running(*pid)) continue;
    stale.push_back(it->path());
    std::error_code type_ec;
    if (it->is_directory(type_ec)) it.disable_recursion_pending();
  }
  int removed = 0;
  for (const auto& path : stale) {
    std::error_code remove_ec;
    if (fs::remove_all(path, remove_ec) > 0 && !remove_ec) ++removed;
  }
  return removed;
}

}  // namespace sg
