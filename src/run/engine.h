// What collect, train and eval share for one command: the benchmark, the prompts, the
// LLM client (provider, retries, in-flight limit, cache, ledger), the clock and the
// redactor. Opening it checks every input that can be checked without an LLM call.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "core/clock.h"
#include "core/json.h"
#include "core/redact.h"
#include "llm/chat_client.h"
#include "llm/cost_ledger.h"
#include "llm/cost_totals.h"
#include "llm/provider_config.h"
#include "llm/response_cache.h"
#include "run/options.h"
#include "run/prompt_library.h"
#include "run/role_runner.h"
#include "run/task_runner.h"
#include "tasks/benchmark.h"

namespace sg::run {

struct LlmSettings {
  std::optional<std::filesystem::path> env_file;           // --env-file
  int llm_concurrency = 16;                                // --llm-concurrency
  llm::CacheMode cache_mode = llm::CacheMode::kReadWrite;  // --cache
  std::filesystem::path cache_path;                        // default <results-root>/cache.sqlite
  std::filesystem::path prices_file;                       // --prices: overrides of the price table
  // When set, used instead of .env and the environment (the demo points it at its mock).
  std::optional<llm::ProviderConfig> provider;
  std::chrono::milliseconds llm_timeout{std::chrono::minutes(5)};  // --llm-timeout, per attempt
  int llm_attempts = 6;  // --llm-attempts: tries per call, the first included
  // In-process tests only (no flag sets them). When set, Open takes its benchmark from
  // `test_benchmark` instead of opening --benchmark in --data-dir, and StartClient takes its
  // client from `test_client` instead of building the provider's; every call that client
  // answers is still appended to the run's ledger, so costs() and the budget count it.
  std::function<std::unique_ptr<tasks::Benchmark>()> test_benchmark;
  std::function<std::unique_ptr<llm::ChatClient>()> test_client;

  // Checks the timeout and attempts; errors name the flag.
  Status Validate() const;
};

class Engine {
 public:
  // Reads the provider configuration (filling empty model names from MODEL), validates
  // `options`, opens the benchmark, checks the seed skills and loads the prompts. No LLM
  // call is made, and nothing is written.
  static Result<std::unique_ptr<Engine>> Open(CommonOptions& options, const LlmSettings& llm);

  // Creates the LLM client, appending to `ledger_path` (the run's ledger.jsonl). First
  // removes the temporary files that killed earlier commands left under the results root
  // (those of live processes are kept; see core/temp_files.h).
  Status StartClient(const std::filesystem::path& ledger_path);

  // For config.json: provider kind, base URL and origin (never the key); sandbox isolation.
  Json ProviderJson() const;
  Json SandboxJson() const;
  // For config.json: each role's turn cap, the tool timeout and the sandbox's limits.
  Json LimitsJson(const CommonOptions& options);

  const tasks::Benchmark& benchmark() const { return *benchmark_; }
  const PromptLibrary& prompts() const { return prompts_; }
  llm::ChatClient& client() { return *client_; }
  // The run's cost so far: the ledger's rows when StartClient opened it plus every call since.
  // Only after StartClient has succeeded.
  const llm::CostTotals& costs() const;
  Clock& clock() { return clock_; }
  const SecretRedactor& redactor() const { return redactor_; }
  const llm::ProviderConfig& provider() const { return provider_; }

  ExecutorEnv MakeExecutorEnv(const std::string& model, int max_turns);
  RoleEnv MakeRoleEnv(const RoleModels& models);

 private:
  Engine() = default;
  std::unique_ptr<tasks::Benchmark> benchmark_;
  PromptLibrary prompts_;
  std::unique_ptr<llm::ChatClient> client_;
  std::shared_ptr<const llm::CostLedger> ledger_;  // the client's, for costs()
  SystemClock clock_;
  SecretRedactor redactor_;
  llm::ProviderConfig provider_;
  LlmSettings llm_;
  std::filesystem::path results_root_;
  bool unsafe_sandbox_ = false;
};

}  // namespace sg::run
