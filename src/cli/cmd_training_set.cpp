// `skillgrad training-set`: the training set and batch schedule a train run would draw, without
// running anything (the authors' `training-set` helper). The failure ids come from a JSON file
// (a list of ids in evolution-pool order) or from a collected base run.
#include <fmt/format.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/json.h"
#include "optim/training_set.h"
#include "run/collect.h"
#include "run/run_layout.h"

namespace sg::cli {
namespace {

struct Flags {
  std::string failure_ids;
  std::string results_root = "results";
  std::string model;
  int64_t master_seed = 0;
  int64_t heldout_seed = 42;
  int64_t training_seed = 0;
  int64_t n_train = 40;
  int64_t batch_size = 4;
  std::string schedule = "epoch";
  std::optional<int64_t> n_iterations;
  std::optional<int64_t> batch_seed;
  bool json = false;
};

Result<std::vector<std::string>> ReadFailureIds(const std::string& file) {
  SG_ASSIGN_OR_RETURN(Json json, ReadJsonFile(file));
  std::vector<std::string> ids;
  if (json.is_array()) {
    for (const Json& id : json) {
      if (id.is_string()) {
        ids.push_back(id.get<std::string>());
      } else if (id.is_number_integer()) {
        ids.push_back(std::to_string(id.get<int64_t>()));
      } else {
        return InvalidArgument("--failure-ids " + file + ": " + id.dump() +
                               " is not a task id; give a JSON list of ids (strings)");
      }
    }
    return ids;
  }
  return InvalidArgument("--failure-ids " + file +
                         " must hold a JSON list of task ids in evolution-pool order");
}

Result<std::vector<std::string>> FailureIds(const Flags& f) {
  if (!f.failure_ids.empty()) {
    if (!f.model.empty()) {
      return InvalidArgument("give --failure-ids FILE or --model (with --results-root), not both");
    }
    return ReadFailureIds(f.failure_ids);
  }
  if (f.model.empty()) {
    return InvalidArgument(
        "give --failure-ids FILE (a JSON list of ids) or --model M to read the failure pool "
        "that collect left under --results-root");
  }
  const auto base =
      run::ResultsLayout(f.results_root).BaseDir(f.master_seed, f.heldout_seed, f.model);
  SG_ASSIGN_OR_RETURN(std::optional<run::CollectResult> collected, run::LoadCollectResult(base));
  if (!collected) {
    return NotFound("no collected failure pool in " + base.string() +
                    ": run skillgrad collect for that model and split first, or pass "
                    "--failure-ids FILE");
  }
  return collected->failure_pool;
}

Result<optim::TrainingOptions> Options(const Flags& f) {
  optim::TrainingOptions o;
  SG_ASSIGN_OR_RETURN(o.schedule, optim::ParseScheduleKind(f.schedule));
  if (f.n_train < 1) return InvalidArgument("--n-train must be at least 1");
  if (f.batch_size < 1) return InvalidArgument("--batch-size must be at least 1");
  o.training_seed = f.training_seed;
  o.n_train = static_cast<size_t>(f.n_train);
  o.batch_size = static_cast<size_t>(f.batch_size);
  if (o.schedule == optim::ScheduleKind::kFixedUpdates) {
    if (!f.n_iterations || *f.n_iterations < 1) {
      return InvalidArgument("--batch-schedule fixed-updates needs --n-iterations N (N >= 1)");
    }
    o.iterations = static_cast<size_t>(*f.n_iterations);
    o.batch_seed = f.batch_seed;
  } else if (f.n_iterations || f.batch_seed) {
    return InvalidArgument(
        "--n-iterations and --batch-seed belong to --batch-schedule fixed-updates");
  }
  return o;
}

void Print(const optim::TrainingSchedule& s) {
  std::cout << fmt::format("training set (training seed {}): {} of {} failures\n", s.training_seed,
                           s.train_ids.size(), s.n_failures_available)
            << fmt::format("schedule: {}, batch size {}, {} iterations\n",
                           optim::ScheduleKindName(s.schedule), s.batch_size, s.batches.size());
  for (size_t i = 0; i < s.batches.size(); ++i) {
    std::string line;
    for (const std::string& id : s.batches[i]) line += (line.empty() ? "" : " ") + id;
    std::cout << fmt::format("batch {}: {}\n", i + 1, line);
  }
}

}  // namespace

void RegisterTrainingSet(CLI::App& app) {
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "training-set",
      "Print the training set and batches a train run would draw, without running anything");
  cmd->add_option("--failure-ids", f->failure_ids,
                  "JSON file: a list of failed task ids in evolution-pool order");
  cmd->add_option("--results-root", f->results_root, "Results folder (with --model)")
      ->capture_default_str();
  cmd->add_option("--model", f->model, "Executor model whose collected failure pool to read");
  cmd->add_option("--master-seed", f->master_seed, "Split's master seed (with --model)")
      ->capture_default_str();
  cmd->add_option("--heldout-seed", f->heldout_seed, "Split's held-out seed (with --model)")
      ->capture_default_str();
  cmd->add_option("--training-seed", f->training_seed, "Seed of the training-set draw")
      ->capture_default_str();
  cmd->add_option("--n-train", f->n_train, "Training tasks drawn from the failure pool")
      ->capture_default_str();
  cmd->add_option("--batch-size", f->batch_size, "Tasks per iteration")->capture_default_str();
  cmd->add_option("--batch-schedule", f->schedule, "epoch or fixed-updates")->capture_default_str();
  cmd->add_option("--n-iterations", f->n_iterations, "Iterations (fixed-updates)");
  cmd->add_option("--batch-seed", f->batch_seed,
                  "Seed of the epoch reshuffles (fixed-updates; default: the training seed)");
  cmd->add_flag("--json", f->json, "Print the schedule as JSON (train_ids, batches, ...)");
  cmd->callback([f] {
    auto options = Options(*f);
    if (!options.ok()) Fail(options.error());
    auto ids = FailureIds(*f);
    if (!ids.ok()) Fail(ids.error());
    auto schedule = optim::MakeTrainingSchedule(*ids, *options);
    if (!schedule.ok()) Fail(schedule.error());
    if (f->json) {
      std::cout << schedule->ToJson().dump(2) << "\n";
    } else {
      Print(*schedule);
    }
    ExitWith(0);
  });
}

}  // namespace sg::cli
