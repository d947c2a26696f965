#include "run/run_inputs.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "llm/env_config.h"
#include "sandbox/process_sandbox.h"
#include "skill/skill_package.h"

namespace sg::run {

namespace {

void FillModels(RoleModels& models, const std::string& fallback) {
  for (std::string* m : {&models.executor, &models.diagnoser, &models.momentum, &models.patcher}) {
    if (m->empty()) *m = fallback;
  }
}

Result<std::shared_ptr<const llm::PriceTable>> LoadPrices(const LlmSettings& llm) {
  auto prices = std::make_shared<llm::PriceTable>(llm::PriceTable::BuiltIn());
  if (!llm.prices_file.empty()) SG_RETURN_IF_ERROR(prices->LoadOverrides(llm.prices_file));
  return std::shared_ptr<const llm::PriceTable>(std::move(prices));
}

// The budget counts only calls whose price is known, so a cap over an unpriced model would
// never stop the run: such a run is refused, naming each unpriced model and its roles.
Status CheckCapIsPriced(const CommonOptions& options, const llm::PriceTable& prices) {
  if (options.max_cost_usd <= 0) return Ok();
  const std::pair<const char*, const std::string*> roles[] = {
      {"executor", &options.models.executor},
      {"diagnoser", &options.models.diagnoser},
      {"momentum", &options.models.momentum},
      {"patcher", &options.models.patcher}};
  std::vector<std::pair<std::string, std::vector<std::string>>> unpriced;  // model, roles
  for (const auto& [role, model_ptr] : roles) {
    const std::string& model = *model_ptr;  // a plain reference: lambdas capture it on clang 14
    if (prices.Find(model)) continue;
    auto it = std::find_if(unpriced.begin(), unpriced.end(),
                           [&](const auto& entry) { return entry.first == model; });
    if (it == unpriced.end()) it = unpriced.insert(unpriced.end(), {model, {}});
    it->second.push_back(role);
  }
  if (unpriced.empty()) return Ok();
  std::vector<std::string> named;
  for (const auto& [model, model_roles] : unpriced) {
    named.push_back(fmt::format("\"{}\" ({})", model, fmt::join(model_roles, ", ")));
  }
  return InvalidArgument(fmt::format(
      "--max-cost-usd {}: no price is known for model {}, so the cost of {} calls would be "
      "unknown and the cap could not be kept; add {} prices to a --prices FILE ({{\"{}\": "
      "{{\"input\": <USD per million input tokens>, \"output\": <USD per million output "
      "tokens>}}}}, see docs/providers.md), or drop --max-cost-usd",
      options.max_cost_usd, fmt::join(named, ", model "), unpriced.size() == 1 ? "its" : "their",
      unpriced.size() == 1 ? "the model's" : "each model's", unpriced.front().first));
}

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

Result<RunInputs> RunInputs::Open(CommonOptions& options, const LlmSettings& llm) {
  SG_RETURN_IF_ERROR(llm.Validate());
  RunInputs inputs;
  inputs.llm_ = llm;
  inputs.results_root_ = options.results_root;
  inputs.unsafe_sandbox_ = options.unsafe_sandbox;
  inputs.executor_tools_ = options.executor_tools;
  inputs.task_hints_ = options.task_hints;
  inputs.max_cost_usd_ = options.max_cost_usd;
  if (llm.provider) {
    inputs.provider_ = *llm.provider;
  } else {
    SG_ASSIGN_OR_RETURN(inputs.provider_, llm::LoadProviderConfig(llm.env_file));
  }
  inputs.redactor_.AddSecret(inputs.provider_.api_key);
  FillModels(options.models, inputs.provider_.model);
  SG_RETURN_IF_ERROR(options.Validate());
  SG_ASSIGN_OR_RETURN(inputs.prices_, LoadPrices(llm));
  SG_RETURN_IF_ERROR(CheckCapIsPriced(options, *inputs.prices_));
  // A host that cannot isolate agent code is refused here, before any call is paid for.
  SG_RETURN_IF_ERROR(sandbox::CheckHostIsolation(options.unsafe_sandbox));

  if (llm.test_benchmark) {
    inputs.benchmark_ = llm.test_benchmark();
  } else {
    SG_ASSIGN_OR_RETURN(
        inputs.benchmark_,
        tasks::OpenBenchmark(options.benchmark, options.data_dir,
                             tasks::OpenOptions{options.honor_exclude, options.grader}));
  }
  if (inputs.benchmark_->tasks().empty()) {
    return InvalidArgument(fmt::format("--data-dir {} holds no valid {} task",
                                       options.data_dir.string(), options.benchmark));
  }
  // The seed skill must be readable as a skill, frontmatter included, before any call.
  SG_ASSIGN_OR_RETURN(inputs.seeds_, skill::LoadSkillsDir(options.skills_dir));
  for (const auto& seed : inputs.seeds_) {
    if (!seed.has_frontmatter) {
      return InvalidArgument(fmt::format(
          "--skills-dir: {} has no YAML frontmatter; start SKILL.md with a '---' block holding "
          "name and description (see docs/skills.md)",
          (seed.root / "SKILL.md").string()));
    }
  }
  SG_ASSIGN_OR_RETURN(inputs.prompts_, PromptLibrary::Load(options.prompts_dir));
  return inputs;
}

}  // namespace sg::run
