// Secrets end to end: recognizable API keys are planted in the environment and in a .env in
// the working directory; then a full `skillgrad demo`, and a train + eval against the mock
// for each provider kind (OpenAI from the environment, Anthropic from .env, Azure from the
// environment) in which the planted key is the one the mock requires. The executor of those
// runs prints its sandbox's environment three ways (python os.environ, shell env, the
// environ of every process under /proc: scenarios/print_env.json), so the environment lands
// in the trajectories. Then every file the runs wrote, and everything they printed, is
// searched for each planted key and for a distinctive 12-character piece of it.
#include <fstream>

#include "tests/e2e/e2e_launch.h"

namespace sg::e2e {
namespace {

// Recognizable, and distinct in their last 12 characters.
const std::string kOpenAiKey = "sk-PLANTEDopenai-Xq7LmZ2vB9nR4tK8wJ3e";
const std::string kAnthropicKey = "sk-ant-PLANTEDanthropic-Hd5Pq2Wz8Lx3Vn6Cm";
const std::string kAzureKey = "PLANTEDazure5f3c9a1e7b2d4f6a8c0e1b3d";
const std::string kDotenvKey = "sk-PLANTEDdotenv-Gt4Ry8Ub1Jo6Ik3Nl9Ma";
const std::string kGithubToken = "ghp_PLANTEDgithub0Tq4Wm8Ez2Rx6Yc1Vb5";

std::vector<std::string> Needles() {
  std::vector<std::string> needles;
  for (const std::string& key : {kOpenAiKey, kAnthropicKey, kAzureKey, kDotenvKey, kGithubToken}) {
    needles.push_back(key);
    needles.push_back(key.substr(key.size() - 12));
  }
  return needles;
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every regular file under `dir` (binary ones too: the SQLite cache), but the planted .env
// files themselves. Returns how many files were searched.
int ExpectNoSecretUnder(const fs::path& dir) {
  int searched = 0;
  for (const auto& [rel, content] : TreeContents(dir)) {
    if (fs::path(rel).filename() == ".env") continue;
    ++searched;
    for (const std::string& needle : Needles()) {
      EXPECT_EQ(content.find(needle), std::string::npos)
          << "'" << needle << "' leaked into " << rel;
    }
  }
  return searched;
}

// All the executor trajectories under `results`, concatenated.
std::string ExecutorTrajectories(const fs::path& results) {
  std::string all;
  for (const auto& [rel, content] : TreeContents(results)) {
    if (fs::path(rel).filename() == "trajectory.json" &&
        content.find("\"role\": \"executor\"") != std::string::npos) {
      all += content;
    }
  }
  return all;
}

struct ProviderCase {
  const char* name;
  std::string key;               // the key the mock requires
  std::string auth;              // how the mock saw it sent: bearer, x-api-key, api-key
  std::vector<std::string> env;  // besides the provider's URL variable
  std::string dotenv;            // the .env of the working directory
  std::string url_variable;      // OPENAI_BASE_URL, ANTHROPIC_BASE_URL, AZURE_OPENAI_ENDPOINT
  std::string url_suffix;
};

std::vector<ProviderCase> Cases() {
  return {
      {"openai-from-environment",
       kOpenAiKey,
       "bearer",
       {"OPENAI_API_KEY=" + kOpenAiKey, "SG_PLANTED_ANTHROPIC=" + kAnthropicKey,
        "SG_PLANTED_AZURE=" + kAzureKey, "GITHUB_TOKEN=" + kGithubToken},
       // The environment wins over .env: this key is planted but not used.
       "OPENAI_API_KEY=" + kDotenvKey + "\n",
       "OPENAI_BASE_URL",
       "/v1"},
      {"anthropic-from-dotenv",
       kAnthropicKey,
       "x-api-key",
       {"SG_PLANTED_OPENAI=" + kOpenAiKey, "SG_PLANTED_AZURE=" + kAzureKey,
        "GITHUB_TOKEN=" + kGithubToken},
       "ANTHROPIC_API_KEY=\"" + kAnthropicKey + "\"\nSG_PLANTED_DOTENV=" + kDotenvKey + "\n",
       "ANTHROPIC_BASE_URL",
       ""},
      {"azure-from-environment",
       kAzureKey,
       "api-key",
       {"AZURE_OPENAI_API_KEY=" + kAzureKey, "SG_PLANTED_OPENAI=" + kOpenAiKey,
        "SG_PLANTED_ANTHROPIC=" + kAnthropicKey, "GITHUB_TOKEN=" + kGithubToken},
       "SG_PLANTED_DOTENV=" + kDotenvKey + "\n",
       "AZURE_OPENAI_ENDPOINT",
       ""},
  };
}

TEST(E2eSecrets, DemoWritesNoPlantedKey) {
  testing::TempDir work;
  WriteText(work.path() / ".env",
            "OPENAI_API_KEY=" + kDotenvKey + "\nANTHROPIC_API_KEY=" + kAnthropicKey + "\n");
  LaunchSpec spec;
  spec.work_dir = work.path();
  spec.output = work.path() / "demo.log";
  spec.env = {"OPENAI_API_KEY=" + kOpenAiKey, "AZURE_OPENAI_API_KEY=" + kAzureKey,
              "ANTHROPIC_API_KEY=" + kAnthropicKey, "GITHUB_TOKEN=" + kGithubToken};
  const fs::path results = work.path() / "demo-results";
  LaunchOutcome demo = Launch(spec, {"demo", "--results-root", results.string()});
  ASSERT_FALSE(demo.timed_out);
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  // The search covers a whole demo: ledger, cache, trajectories, report, run.log.
  const fs::path run = results / "runs" / "demo_scripted-demo-model";
  for (const char* artifact : {"ledger.jsonl", "run.log", "report.html", "eval/summary.json"}) {
    EXPECT_TRUE(fs::exists(run / artifact)) << artifact << "\n" << demo.output;
  }
  EXPECT_TRUE(fs::exists(results / "cache.sqlite"));
  EXPECT_FALSE(ExecutorTrajectories(results).empty());
  EXPECT_GT(ExpectNoSecretUnder(work.path()), 20);
}

TEST(E2eSecrets, TrainAndEvalWithEachProviderWriteNoPlantedKey) {
  for (const ProviderCase& c : Cases()) {
    SCOPED_TRACE(c.name);
    testing::TempDir work;
    mock::MockOptions options;
    options.scenario = LoadScenario({"print_env.json"});
    options.required_api_key = c.key;
    auto started = mock::MockServer::Start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.error().message;
    auto mock = std::move(started).value();

    WriteText(work.path() / ".env", c.dotenv + (c.url_variable == "ANTHROPIC_BASE_URL"
                                                    ? c.url_variable + "=" + mock->base_url() + "\n"
                                                    : ""));
    LaunchSpec spec;
    spec.work_dir = work.path();
    spec.env = c.env;
    if (c.url_variable != "ANTHROPIC_BASE_URL") {
      spec.env.push_back(c.url_variable + "=" + mock->base_url() + c.url_suffix);
    }
    const fs::path results = work.path() / "results";
    spec.output = work.path() / "train.log";
    LaunchOutcome train = Launch(spec, TrainArgs(results));
    ASSERT_FALSE(train.timed_out);
    ASSERT_EQ(train.exit_code, 0) << train.output;
    EXPECT_NE(train.output.find("status: completed"), std::string::npos) << train.output;
    spec.output = work.path() / "eval.log";
    LaunchOutcome eval = Launch(spec, EvalArgs(results, kRunId));
    ASSERT_EQ(eval.exit_code, 0) << eval.output;

    // The planted key is the key that was sent: the mock refuses any other with a 401.
    const mock::MockCounters counters = mock->counters();
    EXPECT_GT(counters.requests, 20);
    EXPECT_EQ(counters.by_status.count(401), 0u);
    for (const Json& request : mock->request_log()) {
      EXPECT_EQ(request.value("auth", ""), c.auth) << request.dump();
    }

    // The sandbox's environment really is in the trajectories, listed three ways: the search
    // below is not vacuous. Its allow-list passes no variable of the host's but the locale.
    const std::string trajectories = ExecutorTrajectories(results);
    for (const char* listed : {"PYENV OMP_NUM_THREADS=1", "SHELLENV OMP_NUM_THREADS=1",
                               "PROCENV OMP_NUM_THREADS=1", "PYENV HOME=", "SHELLENV PATH="}) {
      EXPECT_NE(trajectories.find(listed), std::string::npos) << listed;
    }
    for (const char* name : {"OPENAI_", "ANTHROPIC_", "AZURE_", "GITHUB_TOKEN", "SG_PLANTED"}) {
      EXPECT_EQ(trajectories.find(std::string("ENV ") + name), std::string::npos) << name;
    }
    EXPECT_GT(ExpectNoSecretUnder(work.path()), 30);
  }
}

}  // namespace
}  // namespace sg::e2e
