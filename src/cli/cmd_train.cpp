// `skillgrad train`: the SkillGrad loop (DESIGN 2.3).
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/plannable.h"
#include "cli/run_flags.h"
#include "optim/train.h"

namespace sg::cli {

void AddTrainCommand(CLI::App& app, CommandMode mode, run::CostPlan* plan_out) {
  auto* cmd = app.add_subcommand("train", "Optimize a skill on a benchmark's training tasks");
  auto options = std::make_shared<optim::TrainOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  auto schedule = std::make_shared<std::string>("epoch");
  auto accept = std::make_shared<std::string>("always");
  auto accept_rule = std::make_shared<std::string>("point");
  auto projection = std::make_shared<std::string>("on");
  auto ablate = std::make_shared<std::string>();
  AddRunFlags(cmd, options->common, *llm, *flags);
  cmd->add_option("--training-seed", options->training_seed, "Seed of the training-set draw")
      ->capture_default_str();
  cmd->add_option("--n-train", options->n_train, "Training tasks drawn from the failure pool")
      ->capture_default_str();
  cmd->add_option("--batch-size", options->batch_size, "Tasks per iteration")
      ->capture_default_str();
  cmd->add_option("--batch-schedule", *schedule, "epoch or fixed-updates")->capture_default_str();
  cmd->add_option("--n-iterations", options->n_iterations,
                  "Iterations (fixed-updates); with epoch, a cap (0: the whole epoch)");
  cmd->add_option("--batch-seed", options->batch_seed,
                  "Seed of fixed-updates' reshuffle at each new epoch (default: --training-seed)");
  cmd->add_option("--accept", *accept,
                  "always (every patch is kept) or validate (kept only if not worse on the "
                  "validation split)")
      ->capture_default_str();
  cmd->add_option("--accept-rule", *accept_rule,
                  "With --accept validate: point (kept if its validation accuracy is not lower, "
                  "the method's rule), not-worse (kept unless the paired test says worse at "
                  "--alpha) or better (kept only if it says better)")
      ->capture_default_str();
  cmd->add_option("--alpha", options->alpha, "The level of --accept-rule's paired test")
      ->capture_default_str();
  cmd->add_option("--val-rollouts", options->val_rollouts,
                  "Runs of each validation task, for each skill compared")
      ->capture_default_str();
  cmd->add_option("--early-stop", options->early_stop_after,
                  "Stop after this many all-correct batches in a row")
      ->capture_default_str();
  cmd->add_option("--projection", *projection,
                  "on (lint findings a patch introduced go back to the patcher for one repair "
                  "round) or off (no repair round, as in the authors' loop)")
      ->capture_default_str();
  cmd->add_option("--ablate", *ablate,
                  "The paper's ablations, comma-separated: momentum (no momentum stage), "
                  "contrastive (no diagnosis of tasks that passed); tags the run ablate-<names>");
  cmd->add_flag("--resume", options->resume, "Continue the run from its last checkpoint");
  auto json = std::make_shared<bool>(false);
  if (mode == CommandMode::kPlanOnly) AddPlanFlags(cmd, json.get());
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, options->common, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    if (*schedule == "epoch") {
      options->batch_schedule = optim::BatchSchedule::kEpoch;
    } else if (*schedule == "fixed-updates") {
      options->batch_schedule = optim::BatchSchedule::kFixedUpdates;
    } else {
      Fail(InvalidArgument("--batch-schedule " + *schedule + ": use epoch or fixed-updates"));
    }
    if (*accept == "always") {
      options->accept = optim::AcceptMode::kAlways;
    } else if (*accept == "validate") {
      options->accept = optim::AcceptMode::kValidate;
    } else {
      Fail(InvalidArgument("--accept " + *accept + ": use always or validate"));
    }
    auto rule = optim::ParseAcceptRule(*accept_rule);
    if (!rule.ok()) Fail(rule.error());
    options->accept_rule = *rule;
    auto parsed = optim::ParseProjection(*projection);
    if (!parsed.ok()) Fail(parsed.error());
    options->projection = *parsed;
    Status ablated = optim::SetAblations(*options, *ablate);
    if (!ablated.ok()) Fail(ablated.error());
    if (mode == CommandMode::kPlanOnly)
      PrintPlan(optim::PlanTrainCommand(*options, *llm), *json, plan_out);
    auto result = optim::RunTrain(*options, *llm);
    if (!result.ok()) Fail(result.error(), 1);
    std::cout << "run: " << result->run_dir.string() << "\n"
              << "status: " << optim::RunStatusName(result->state.status) << " ("
              << result->state.stop_reason << ")\n"
              << "iterations done: " << result->state.iteration - 1 << " of "
              << result->state.iterations_total << "\n"
              << fmt::format("cost: ${:.4f}\n", result->cost_usd);
    if (result->state.status == optim::RunStatus::kCompleted) {
      std::cout << "final skill: " << result->final_skills.string() << "\n";
    }
    ExitWith(result->state.status == optim::RunStatus::kCompleted ? 0 : 3);
  });
}

void RegisterTrain(CLI::App& app) { AddTrainCommand(app, CommandMode::kRun); }

}  // namespace sg::cli
