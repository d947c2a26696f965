// The sandbox escape suite: each case of tests/data/escape/ (written by make_cases.py) scripts
// the executor of one `skillgrad exec` run against the mock, its tool calls being the attack,
// over the real sandbox. The run must end normally and every containment check of the case's
// `expect` block must hold. Run as root in CI, where the red team's escapes worked.
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

fs::path EscapeData() { return testing::SourceDir() / "tests" / "data" / "escape"; }

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(EscapeData())) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Every tool result of the trajectory, one after the other.
std::string ToolResults(const Json& trajectory) {
  std::string all;
  for (const auto& message : trajectory.value("messages", Json::array())) {
    if (message.value("role", "") != "tool") continue;
    const Json& content = message["content"];
    all += (content.is_string() ? content.get<std::string>() : content.dump()) + "\n";
  }
  return all;
}

std::vector<std::string> Strings(const Json& expect, const char* key) {
  std::vector<std::string> out;
  for (const auto& item : expect.value(key, Json::array())) out.push_back(item.get<std::string>());
  return out;
}

class EscapeSuite : public ::testing::TestWithParam<std::string> {};

TEST_P(EscapeSuite, AttackIsContained) {
  testing::TempDir work;
  const fs::path root = fs::canonical(work.path());
  const fs::path out = root / "exec-out";
  const fs::path outside = root / "outside";
  fs::create_directories(outside);
  std::ofstream(outside / ".env") << "OPENAI_API_KEY=sk-escape-planted-0123456789\n";
  auto substitute = [&](const std::string& text) {
    return Replace(Replace(text, "@WORKSPACE@", (out / "workspace").string()), "@OUTSIDE@",
                   outside.string());
  };
  Json spec = ParseJson(substitute(ReadText(EscapeData() / (GetParam() + ".json"))), GetParam())
                  .value_or(Json());
  ASSERT_TRUE(spec.is_object()) << GetParam();
  const Json& expect = spec["expect"];

  Json scenario = ReadJson(E2eData() / "scenarios" / "base.json");
  Json rules = spec["rules"];
  for (const auto& rule : scenario["rules"]) rules.push_back(rule);
  scenario["rules"] = rules;
  auto parsed = mock::ParseScenario(DumpJson(scenario), GetParam());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto mock = StartMockPlaying(*parsed);
  ASSERT_NE(mock, nullptr);

  std::map<std::string, std::string> unchanged;
  for (const auto& path : Strings(expect, "host_files_unchanged")) unchanged[path] = ReadText(path);

  std::vector<std::string> args = CommonArgs(root / "results");
  args.insert(args.begin(), "exec");
  // The attacks use every tool the executor can be given, the opt-in ones included.
  for (const std::string& a : std::vector<std::string>{
           "--task", "nu-0", "--out", out.string(), "--executor-tools", "python,grep,list_files"}) {
    args.push_back(a);
  }
  Outcome exec = RunSkillgrad(*mock, root, args);
  ASSERT_EQ(exec.exit_code, expect.value("exit_code", 0)) << exec.output;
  EXPECT_EQ(mock->counters().rule_uses[GetParam() + "-submit"], 1) << exec.output;

  const Json trajectory = ReadJson(out / "trajectory.json");
  const std::string results = ToolResults(trajectory);
  // Every attack's calls ran (an empty record would make every "lack" check pass).
  ASSERT_FALSE(results.empty()) << trajectory.dump(1).substr(0, 4000);
  if (std::getenv("SKILLGRAD_TEST_VERBOSE")) std::cout << results;
  for (const auto& needle : Strings(expect, "tool_results_contain")) {
    EXPECT_NE(results.find(needle), std::string::npos) << "missing '" << needle << "' in\n"
                                                       << results;
  }
  for (const auto& needle : Strings(expect, "tool_results_lack")) {
    EXPECT_EQ(results.find(needle), std::string::npos) << "found '" << needle << "' in\n"
                                                       << results;
  }
  for (const auto& path : Strings(expect, "host_paths_absent")) {
    EXPECT_FALSE(fs::exists(path)) << path << " was created on the host";
  }
  for (const auto& path : Strings(expect, "host_paths_present")) {
    EXPECT_TRUE(fs::exists(path)) << path << " is missing after the run";
  }
  for (const auto& [path, before] : unchanged) {
    EXPECT_EQ(ReadText(path), before) << path << " changed";
  }
  for (const auto& needle : Strings(expect, "written_files_lack")) {
    for (const auto& [rel, content] : TreeContents(root)) {
      if (fs::path(rel).filename() == ".env") continue;
      EXPECT_EQ(content.find(needle), std::string::npos) << "'" << needle << "' in " << rel;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, EscapeSuite, ::testing::ValuesIn(CaseNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace sg::e2e
