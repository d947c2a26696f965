#include "run/engine.h"

#include <fmt/format.h>

#include "core/log.h"
#include "core/temp_files.h"
#include "llm/client.h"
#include "llm/cost_ledger.h"
#include "llm/inflight_limiter.h"
#include "sandbox/capabilities.h"
#include "sandbox/process_sandbox.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

// A client given by a test (LlmSettings::test_client), with each call appended to the run's
// ledger as LlmClient appends its own.
class LedgeredClient final : public llm::ChatClient {
 public:
  LedgeredClient(std::unique_ptr<llm::ChatClient> inner,
                 std::shared_ptr<const llm::CostLedger> ledger, const Clock& clock)
      : inner_(std::move(inner)), ledger_(std::move(ledger)), clock_(clock) {}

  Result<llm::ChatResponse> Complete(const llm::ChatRequest& request,
                                     const llm::CallContext& context) override {
    llm::LedgerEntry entry;
    entry.time_ms = clock_.WallMillis();
    Result<llm::ChatResponse> response = inner_->Complete(request, context);
    entry.context = context;
    entry.model = request.model;
    if (response.ok()) {
      entry.usage = response->usage;
      entry.cost_usd = response->cost_usd;
      entry.cache_hit = response->cache_hit;
      entry.attempts = response->attempts;
      entry.latency_ms = response->latency_ms;
    } else {
      entry.error = ErrorCodeName(response.error().code);
    }
    SG_RETURN_IF_ERROR(ledger_->Append(entry));
    return response;
  }

 private:
  std::unique_ptr<llm::ChatClient> inner_;
  std::shared_ptr<const llm::CostLedger> ledger_;
  const Clock& clock_;
};

}  // namespace

Result<std::unique_ptr<Engine>> Engine::Start(RunInputs inputs, const fs::path& ledger_path) {
  std::unique_ptr<Engine> engine(new Engine(std::move(inputs)));
  SG_RETURN_IF_ERROR(engine->StartClient(ledger_path));
  return engine;
}

Status Engine::StartClient(const fs::path& ledger_path) {
  if (int removed = RemoveStaleTempFiles(inputs_.results_root_); removed > 0) {
    log::Info(fmt::format("removed {} temporary file(s) left in {} by an interrupted run", removed,
                          inputs_.results_root_.string()));
  }
  if (inputs_.llm_.test_client) {
    ledger_ = std::make_shared<llm::CostLedger>(ledger_path);
    client_ = std::make_unique<LedgeredClient>(inputs_.llm_.test_client(), ledger_, clock_);
    return Ok();
  }
  llm::ClientParts parts;
  parts.limiter = std::make_shared<llm::InFlightLimiter>(inputs_.llm_.llm_concurrency);
  parts.ledger = std::make_shared<llm::CostLedger>(ledger_path);
  ledger_ = parts.ledger;
  if (inputs_.llm_.cache_mode != llm::CacheMode::kOff) {
    SG_ASSIGN_OR_RETURN(std::unique_ptr<llm::ResponseCache> cache,
                        llm::ResponseCache::Open(inputs_.llm_.cache_path, inputs_.llm_.cache_mode));
    parts.cache = std::move(cache);
  }
  parts.prices = inputs_.prices_;  // loaded and checked by RunInputs::Open
  if (inputs_.max_cost_usd_ > 0) {
    // The cap holds the command's whole ledger: a resumed run's earlier spend counts.
    parts.spend_cap =
        std::make_shared<llm::SpendCap>(inputs_.max_cost_usd_, ledger_->totals().RunCostUsd());
    spend_cap_ = parts.spend_cap;
  }
  llm::ClientOptions client_options;
  client_options.request_timeout = inputs_.llm_.llm_timeout;
  client_options.retry.max_attempts = inputs_.llm_.llm_attempts;
  // The whole call's deadline leaves room for at least one full attempt.
  client_options.deadline =
      std::max<std::chrono::milliseconds>(client_options.deadline, inputs_.llm_.llm_timeout);
  client_ = std::make_unique<llm::LlmClient>(inputs_.provider_, std::move(parts), client_options);
  return Ok();
}

Json Engine::ProviderJson() const {
  return Json{{"kind", llm::ProviderKindName(inputs_.provider_.kind)},
              {"base_url", inputs_.provider_.base_url},
              {"origin", inputs_.provider_.origin},
              {"cache", llm::CacheModeName(inputs_.llm_.cache_mode)},
              {"llm_concurrency", inputs_.llm_.llm_concurrency},
              {"llm_timeout_s", static_cast<double>(inputs_.llm_.llm_timeout.count()) / 1000.0},
              {"llm_attempts", inputs_.llm_.llm_attempts}};
}

Json Engine::SandboxJson() const {
  sandbox::Capabilities caps = sandbox::HostCapabilities();
  caps.unsafe = inputs_.unsafe_sandbox_ && !caps.Isolated();
  return caps.ToJson();
}

Json Engine::LimitsJson(const CommonOptions& options) {
  const RoleEnv roles = MakeRoleEnv(options.models);
  const ExecutorEnv executor = MakeExecutorEnv(options.models.executor, options.max_turns);
  const sandbox::Limits& box = executor.settings.sandbox_limits;
  return Json{{"turn_caps",
               {{"executor", options.max_turns},
                {"collect_executor", options.collect_max_turns},
                {"diagnoser", roles.diagnoser_max_turns},
                {"momentum", roles.momentum_max_turns},
                {"patcher", roles.patcher_max_turns}}},
              {"tool_timeout_ms", executor.settings.tool_timeout.count()},
              {"sandbox_limits",
               {{"address_space_bytes", box.address_space_bytes},
                {"cpu_seconds", box.cpu_seconds},
                {"file_size_bytes", box.file_size_bytes},
                {"max_processes", box.max_processes},
                {"tree_memory_bytes", box.tree_memory_bytes},
                {"tmp_bytes", box.tmp_bytes},
                {"dev_shm_bytes", box.dev_shm_bytes},
                {"workspace_bytes", box.workspace_bytes},
                {"output_cap_bytes", box.output_cap_bytes}}}};
}

ExecutorEnv Engine::MakeExecutorEnv(const std::string& model, int max_turns) {
  ExecutorEnv env;
  env.client = client_.get();
  env.clock = &clock_;
  env.redactor = &inputs_.redactor_;
  env.benchmark = inputs_.benchmark_.get();
  env.prompts = &inputs_.prompts_;
  env.settings.model = model;
  env.settings.max_turns = max_turns;
  env.settings.unsafe_sandbox = inputs_.unsafe_sandbox_;
  env.settings.optional_tools = inputs_.executor_tools_;
  env.settings.task_hints = inputs_.task_hints_;
  return env;
}

RoleEnv Engine::MakeRoleEnv(const RoleModels& models) {
  RoleEnv env;
  env.client = client_.get();
  env.clock = &clock_;
  env.redactor = &inputs_.redactor_;
  env.prompts = &inputs_.prompts_;
  env.models = models;
  return env;
}

}  // namespace sg::run
