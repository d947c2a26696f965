#include "run/engine.h"

#include <fmt/format.h>

#include <cassert>

#include "core/log.h"
#include "core/temp_files.h"
#include "llm/client.h"
#include "llm/cost_ledger.h"
#include "llm/env_config.h"
#include "llm/inflight_limiter.h"
#include "llm/price_table.h"
#include "sandbox/capabilities.h"
#include "sandbox/process_sandbox.h"
#include "skill/skill_package.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

void FillModels(RoleModels& models, const std::string& fallback) {
  for (std::string* m : {&models.executor, &models.diagnoser, &models.momentum, &models.patcher}) {
    if (m->empty()) *m = fallback;
  }
}

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

Status LlmSettings::Validate() const {
  if (llm_timeout <= std::chrono::milliseconds(0)) {
    return InvalidArgument(fmt::format(
        "--llm-timeout: {} ms is not a timeout; give the seconds one attempt may take (e.g. 300)",
        llm_timeout.count()));
  }
  if (llm_attempts < 1) {
    return InvalidArgument(
        fmt::format("--llm-attempts {}: a call needs at least 1 attempt (1: no retry; default 6)",
                    llm_attempts));
  }
  return Ok();
}

Result<std::unique_ptr<Engine>> Engine::Open(CommonOptions& options, const LlmSettings& llm) {
  SG_RETURN_IF_ERROR(llm.Validate());
  std::unique_ptr<Engine> engine(new Engine());
  engine->llm_ = llm;
  engine->results_root_ = options.results_root;
  engine->unsafe_sandbox_ = options.unsafe_sandbox;
  if (llm.provider) {
    engine->provider_ = *llm.provider;
  } else {
    SG_ASSIGN_OR_RETURN(engine->provider_, llm::LoadProviderConfig(llm.env_file));
  }
  engine->redactor_.AddSecret(engine->provider_.api_key);
  FillModels(options.models, engine->provider_.model);
  SG_RETURN_IF_ERROR(options.Validate());
  // A host that cannot isolate agent code is refused here, before any call is paid for.
  SG_RETURN_IF_ERROR(sandbox::CheckHostIsolation(options.unsafe_sandbox));

  if (llm.test_benchmark) {
    engine->benchmark_ = llm.test_benchmark();
  } else {
    SG_ASSIGN_OR_RETURN(engine->benchmark_,
                        tasks::OpenBenchmark(options.benchmark, options.data_dir));
  }
  if (engine->benchmark_->tasks().empty()) {
    return InvalidArgument(fmt::format("--data-dir {} holds no valid {} task",
                                       options.data_dir.string(), options.benchmark));
  }
  // The seed skill must be readable as a skill, frontmatter included, before any call.
  SG_ASSIGN_OR_RETURN(std::vector<skill::SkillPackage> seeds,
                      skill::LoadSkillsDir(options.skills_dir));
  for (const auto& seed : seeds) {
    if (!seed.has_frontmatter) {
      return InvalidArgument(fmt::format(
          "--skills-dir: {} has no YAML frontmatter; start SKILL.md with a '---' block holding "
          "name and description (see docs/skills.md)",
          (seed.root / "SKILL.md").string()));
    }
  }
  SG_ASSIGN_OR_RETURN(engine->prompts_, PromptLibrary::Load(options.prompts_dir));
  return engine;
}

Status Engine::StartClient(const fs::path& ledger_path) {
  if (int removed = RemoveStaleTempFiles(results_root_); removed > 0) {
    log::Info(fmt::format("removed {} temporary file(s) left in {} by an interrupted run", removed,
                          results_root_.string()));
  }
  if (llm_.test_client) {
    ledger_ = std::make_shared<llm::CostLedger>(ledger_path);
    client_ = std::make_unique<LedgeredClient>(llm_.test_client(), ledger_, clock_);
    return Ok();
  }
  llm::ClientParts parts;
  parts.limiter = std::make_shared<llm::InFlightLimiter>(llm_.llm_concurrency);
  parts.ledger = std::make_shared<llm::CostLedger>(ledger_path);
  ledger_ = parts.ledger;
  if (llm_.cache_mode != llm::CacheMode::kOff) {
    SG_ASSIGN_OR_RETURN(std::unique_ptr<llm::ResponseCache> cache,
                        llm::ResponseCache::Open(llm_.cache_path, llm_.cache_mode));
    parts.cache = std::move(cache);
  }
  auto prices = std::make_shared<llm::PriceTable>(llm::PriceTable::BuiltIn());
  if (!llm_.prices_file.empty()) SG_RETURN_IF_ERROR(prices->LoadOverrides(llm_.prices_file));
  parts.prices = prices;
  llm::ClientOptions client_options;
  client_options.request_timeout = llm_.llm_timeout;
  client_options.retry.max_attempts = llm_.llm_attempts;
  // The whole call's deadline leaves room for at least one full attempt.
  client_options.deadline =
      std::max<std::chrono::milliseconds>(client_options.deadline, llm_.llm_timeout);
  client_ = std::make_unique<llm::LlmClient>(provider_, std::move(parts), client_options);
  return Ok();
}

const llm::CostTotals& Engine::costs() const {
  assert(ledger_ && "Engine::costs() before StartClient");
  return ledger_->totals();
}

Json Engine::ProviderJson() const {
  return Json{{"kind", llm::ProviderKindName(provider_.kind)},
              {"base_url", provider_.base_url},
              {"origin", provider_.origin},
              {"cache", llm::CacheModeName(llm_.cache_mode)},
              {"llm_concurrency", llm_.llm_concurrency},
              {"llm_timeout_s", static_cast<double>(llm_.llm_timeout.count()) / 1000.0},
              {"llm_attempts", llm_.llm_attempts}};
}

Json Engine::SandboxJson() const {
  sandbox::Capabilities caps = sandbox::HostCapabilities();
  caps.unsafe = unsafe_sandbox_ && !caps.Isolated();
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
  env.redactor = &redactor_;
  env.benchmark = benchmark_.get();
  env.prompts = &prompts_;
  env.settings.model = model;
  env.settings.max_turns = max_turns;
  env.settings.unsafe_sandbox = unsafe_sandbox_;
  return env;
}

RoleEnv Engine::MakeRoleEnv(const RoleModels& models) {
  RoleEnv env;
  env.client = client_.get();
  env.clock = &clock_;
  env.redactor = &redactor_;
  env.prompts = &prompts_;
  env.models = models;
  return env;
}

}  // namespace sg::run
