#include "core/child_env.h"

#include <cctype>
#include <cstdlib>

extern char** environ;

namespace sg {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool IsForbiddenVariable(std::string_view name) {
  std::string up = Upper(name);
  std::string_view u = up;
  static constexpr std::string_view kPrefixes[] = {"AZURE_",  "OPENAI_", "ANTHROPIC_", "AWS_",
                                                   "GOOGLE_", "GH_",     "GITHUB_"};
  for (auto p : kPrefixes) {
    if (u.substr(0, p.size()) == p) return true;
  }
  static constexpr std::string_view kSuffixes[] = {"_KEY", "_TOKEN", "_PROXY", "APIKEY"};
  for (auto s : kSuffixes) {
    if (EndsWith(u, s)) return true;
  }
  static constexpr std::string_view kInfixes[] = {"SECRET",     "PASSWORD", "PASSWD",
                                                  "CREDENTIAL", "API_KEY",  "AUTH"};
  for (auto s : kInfixes) {
    if (u.find(s) != std::string_view::npos) return true;
  }
  return u == "PROXY" || u == "NO_PROXY" || u == "ALL_PROXY";
}

std::vector<std::string> ScrubbedEnvironment(
    const std::vector<std::pair<std::string, std::string>>& host_env,
    const std::filesystem::path& home, const std::filesystem::path& tmpdir,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::pair<std::string, std::string>> env;
  auto set = [&env](const std::string& name, const std::string& value) {
    if (IsForbiddenVariable(name)) return;
    for (auto& [k, v] : env) {
      if (k == name) {
        v = value;
        return;
      }
    }
    env.emplace_back(name, value);
  };
  set("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
  set("LANG", "C.UTF-8");
  for (const auto& [name, value] : host_env) {
    if (name == "LANG" || name == "LANGUAGE" || name == "TZ" || name.rfind("LC_", 0) == 0) {
      set(name, value);
    }
  }
  set("HOME", home.string());
  set("TMPDIR", tmpdir.string());
  set("PYTHONDONTWRITEBYTECODE", "1");
  set("PYTHONIOENCODING", "utf-8");
  set("MPLBACKEND", "Agg");
  // One thread per numeric library: threads count against the process limit.
  set("OMP_NUM_THREADS", "1");
  set("OPENBLAS_NUM_THREADS", "1");
  set("MKL_NUM_THREADS", "1");
  set("NUMEXPR_NUM_THREADS", "1");
  for (const auto& [name, value] : extra) set(name, value);
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<std::pair<std::string, std::string>> CurrentEnvironment() {
  std::vector<std::pair<std::string, std::string>> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    out.emplace_back(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

std::vector<std::string> ScrubbedHostEnvironment(const std::filesystem::path& home,
                                                 const std::filesystem::path& tmpdir) {
  std::vector<std::pair<std::string, std::string>> extra;
  if (const char* path = std::getenv("PATH"); path != nullptr && *path != '\0') {
    extra.emplace_back("PATH", path);
  }
  return ScrubbedEnvironment(CurrentEnvironment(), home, tmpdir, extra);
}

}  // namespace sg
