// The run context of one command: its checked inputs (run_inputs.h) and the started LLM client
// (provider, retries, in-flight limit, cache, ledger), the clock and the redactor. It exists
// only with a client: collect, eval, exec, train and the demo build it with Engine::Start once
// they know where the run's ledger goes.
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
#include "llm/spend_cap.h"
#include "run/options.h"
#include "run/prompt_library.h"
#include "run/role_runner.h"
#include "run/run_inputs.h"
#include "run/task_runner.h"
#include "tasks/benchmark.h"

namespace sg::run {

class Engine {
 public:
  // Creates the LLM client over `inputs`, appending to `ledger_path` (the run's ledger.jsonl;
  // its rows so far are read into costs()). First removes the temporary files that killed
  // earlier commands left under the results root (those of live processes are kept; see
  // core/temp_files.h).
  static Result<std::unique_ptr<Engine>> Start(RunInputs inputs,
                                               const std::filesystem::path& ledger_path);

  // For config.json: provider kind, base URL and origin (never the key); sandbox isolation.
  Json ProviderJson() const;
  Json SandboxJson() const;
  // For config.json: each role's turn cap, the tool timeout and the sandbox's limits.
  Json LimitsJson(const CommonOptions& options);

  const RunInputs& inputs() const { return inputs_; }
  const tasks::Benchmark& benchmark() const { return inputs_.benchmark(); }
  const PromptLibrary& prompts() const { return inputs_.prompts_; }
  llm::ChatClient& client() { return *client_; }
  // The run's cost so far: the ledger's rows when Start opened it plus every call since.
  const llm::CostTotals& costs() const { return ledger_->totals(); }
  Clock& clock() { return clock_; }
  // The hard cost cap of --max-cost-usd (llm/spend_cap.h); null without a cap or with a
  // test client.
  const llm::SpendCap* spend_cap() const { return spend_cap_.get(); }
  const SecretRedactor& redactor() const { return inputs_.redactor_; }
  const llm::ProviderConfig& provider() const { return inputs_.provider(); }

  ExecutorEnv MakeExecutorEnv(const std::string& model, int max_turns);
  RoleEnv MakeRoleEnv(const RoleModels& models);

 private:
  explicit Engine(RunInputs inputs) : inputs_(std::move(inputs)) {}
  Status StartClient(const std::filesystem::path& ledger_path);

  RunInputs inputs_;
  std::unique_ptr<llm::ChatClient> client_;
  std::shared_ptr<const llm::CostLedger> ledger_;  // the client's, for costs()
  std::shared_ptr<llm::SpendCap> spend_cap_;
  SystemClock clock_;
};

}  // namespace sg::run
