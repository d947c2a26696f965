// The inputs of one command, opened and checked before anything is written or paid for: the
// provider configuration, the options (each role's model filled in), the benchmark, the seed
// skills and the prompts. An Engine (engine.h) is started from them once the command knows
// where its ledger goes.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/error.h"
#include "core/redact.h"
#include "llm/chat_client.h"
#include "llm/price_table.h"
#include "llm/provider_config.h"
#include "llm/response_cache.h"
#include "run/options.h"
#include "run/prompt_library.h"
#include "skill/skill_package.h"
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
  // In-process tests only (no flag sets them). When set, RunInputs::Open takes its benchmark
  // from `test_benchmark` instead of opening --benchmark in --data-dir, and Engine::Start takes
  // its client from `test_client` instead of building the provider's; every call that client
  // answers is still appended to the run's ledger, so costs() and the budget count it.
  std::function<std::unique_ptr<tasks::Benchmark>()> test_benchmark;
  std::function<std::unique_ptr<llm::ChatClient>()> test_client;

  // Checks the timeout and attempts; errors name the flag.
  Status Validate() const;
};

class RunInputs {
 public:
  // Reads the provider configuration (filling empty model names in `options` from MODEL),
  // validates `options` and `llm`, loads the price table (built-in and --prices), refuses a
  // cost cap (--max-cost-usd) when a role's model has no price (its calls' cost would be
  // unknown, so the cap could not be kept), refuses a host that cannot isolate agent code,
  // opens the benchmark, loads the seed skills (each must have frontmatter) and the prompts.
  // No LLM call is made, and nothing is written. The one place where a command's inputs are
  // checked.
  static Result<RunInputs> Open(CommonOptions& options, const LlmSettings& llm);

  const tasks::Benchmark& benchmark() const { return *benchmark_; }
  // The skills of --skills-dir, as loaded once by Open.
  const std::vector<skill::SkillPackage>& seeds() const { return seeds_; }
  const llm::ProviderConfig& provider() const { return provider_; }
  // The built-in prices with --prices applied; the engine's client costs its calls with it.
  const std::shared_ptr<const llm::PriceTable>& prices() const { return prices_; }
  const PromptLibrary& prompts() const { return prompts_; }

 private:
  friend class Engine;
  RunInputs() = default;
  std::unique_ptr<tasks::Benchmark> benchmark_;
  std::vector<skill::SkillPackage> seeds_;
  PromptLibrary prompts_;
  SecretRedactor redactor_;
  llm::ProviderConfig provider_;
  std::shared_ptr<const llm::PriceTable> prices_;
  LlmSettings llm_;
  std::filesystem::path results_root_;
  bool unsafe_sandbox_ = false;
  std::vector<std::string> executor_tools_;  // CommonOptions::executor_tools
  bool task_hints_ = false;                  // CommonOptions::task_hints
  double max_cost_usd_ = 0;                  // CommonOptions::max_cost_usd; 0: no cap
};

}  // namespace sg::run
