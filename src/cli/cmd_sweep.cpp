// `skillgrad sweep SWEEP.yaml [--dry-run] [--concurrency N] [--max-cost-usd X] [--force]`: the
// runs of a sweep file (run/sweep_spec.h), one after the other in this process: one collect
// per executor model and split, then each run's train and eval. Before anything runs it plans
// every step (the commands' own cost plans) and refuses a cap below the sum of their low
// figures unless --force; each step then gets the part of the cap the sweep has not spent.
// Rerunning the same command resumes: finished steps cost nothing again. Progress is kept in
// <results-root>/sweeps/<name>.json, the comparison page in <name>.html. Exit 0 when every
// run is done, 3 when the cap stopped the sweep, 1 when a step failed (the others still ran),
// 2 for a bad file or flag.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/plannable.h"
#include "core/file_util.h"
#include "core/log.h"
#include "llm/ledger_totals.h"
#include "report/summary_html.h"
#include "run/run_layout.h"
#include "run/summarize.h"
#include "run/sweep_spec.h"

namespace sg::cli {
namespace fs = std::filesystem;

namespace {

struct SweepFlags {
  std::string file;
  bool dry_run = false;
  int concurrency = 0;  // 0: each run's own
  double max_cost_usd = 0;
  bool force = false;
};

// Runs one command line in this process, as `skillgrad ARGS...` would; its exit code.
int Invoke(const std::vector<std::string>& args, CommandMode mode, run::CostPlan* plan_out) {
  CLI::App app{"skillgrad"};
  app.require_subcommand(1);
  AddCollectCommand(app, mode, plan_out);
  AddEvalCommand(app, mode, plan_out);
  AddTrainCommand(app, mode, plan_out);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  int code = 0;
  try {
    app.parse(reversed);
  } catch (const CLI::RuntimeError& e) {
    code = e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\n";
    code = 2;
  }
  log::SetLogFile({});  // a train sets its run's log; the next step must not write there
  return code;
}

std::string FlagValue(const std::vector<std::string>& args, const std::string& flag) {
  auto it = std::find(args.begin(), args.end(), flag);
  return it != args.end() && it + 1 != args.end() ? *(it + 1) : "";
}

std::string CommandLine(const std::vector<std::string>& args) {
  return fmt::format("skillgrad {}", fmt::join(args, " "));
}

// One step of the sweep: a command line, the ledger it spends into, its plan.
struct Step {
  std::string kind;  // collect, train, eval
  size_t run = 0;    // index in spec.runs (train, eval)
  std::vector<std::string> args;
  fs::path ledger;
  run::CostPlan plan;
  std::string status = "pending";
};

// The eval plan of a run not trained yet: its seed skill on the same test tasks.
std::vector<std::string> EvalPlanArgs(const run::SweepSpec& spec, const run::SweepRun& r) {
  const run::RunLayout layout(run::ResultsLayout(spec.results_root).RunDir(r.run_id));
  if (fs::is_directory(layout.FinalSkillsDir())) return r.eval_args;
  std::vector<std::string> args = {
      "eval", "--skills-dir", FlagValue(r.collect_args, "--skills-dir"), "--config-tag", r.tag};
  for (size_t i = 3; i < r.eval_args.size(); ++i) args.push_back(r.eval_args[i]);
  return args;
}

Result<std::vector<Step>> PlanSteps(const run::SweepSpec& spec) {
  std::vector<Step> steps;
  auto plan = [&](Step step, const std::vector<std::string>& plan_args) -> Status {
    if (Invoke(plan_args, CommandMode::kPlanOnly, &step.plan) != 0) {
      return InvalidArgument(fmt::format("{}: cannot plan `{}` (the error above)",
                                         spec.file.string(), CommandLine(step.args)));
    }
    steps.push_back(std::move(step));
    return Ok();
  };
  for (const auto& collect : spec.collects) {
    Step step{"collect", 0, collect, {}, {}, "pending"};
    SG_RETURN_IF_ERROR(plan(step, collect));
    steps.back().ledger = run::BaseLedgerIn(steps.back().plan.target);
  }
  const run::ResultsLayout layout(spec.results_root);
  for (size_t i = 0; i < spec.runs.size(); ++i) {
    const run::SweepRun& r = spec.runs[i];
    const fs::path ledger = run::RunLayout(layout.RunDir(r.run_id)).Ledger();
    SG_RETURN_IF_ERROR(plan(Step{"train", i, r.train_args, ledger, {}, "pending"}, r.train_args));
    auto& rows = steps.back().plan.rows;  // the collect is planned once, above
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [](const run::PlanRow& row) { return row.stage == "collect"; }),
               rows.end());
    if (!r.eval_args.empty()) {
      SG_RETURN_IF_ERROR(
          plan(Step{"eval", i, r.eval_args, ledger, {}, "pending"}, EvalPlanArgs(spec, r)));
    }
  }
  return steps;
}

std::string Usd(const std::optional<double>& usd) {
  return usd ? fmt::format("${:.4f}", *usd) : std::string("unknown");
}

double Spent(const std::vector<Step>& steps) {
  std::vector<fs::path> seen;
  double total = 0;
  for (const auto& step : steps) {
    if (std::find(seen.begin(), seen.end(), step.ledger) != seen.end()) continue;
    seen.push_back(step.ledger);
    auto summary = llm::SummarizeLedger(step.ledger);
    if (summary.ok()) total += summary->total.cost_usd;
  }
  return total;
}

// The steps' low or high dollar figures summed; nullopt when a step's is unknown.
std::optional<double> TotalUsd(const std::vector<Step>& steps,
                               std::optional<double> (run::CostPlan::*figure)() const) {
  double sum = 0;
  for (const auto& step : steps) {
    const std::optional<double> usd = (step.plan.*figure)();
    if (!usd) return std::nullopt;
    sum += *usd;
  }
  return sum;
}

void PrintSweepPlan(const run::SweepSpec& spec, const std::vector<Step>& steps) {
  std::cout << fmt::format("sweep {}: {} runs, {} collections\n", spec.name, spec.runs.size(),
                           spec.collects.size());
  for (const auto& step : steps) {
    const std::string what = step.kind == "collect" ? step.plan.target : spec.runs[step.run].run_id;
    std::cout << fmt::format("  {:<8} {:<60} {} - {}\n", step.kind, what, Usd(step.plan.LowUsd()),
                             Usd(step.plan.HighUsd()));
  }
  const std::optional<double> low = TotalUsd(steps, &run::CostPlan::LowUsd);
  const std::optional<double> high = TotalUsd(steps, &run::CostPlan::HighUsd);
  std::cout << (low && high ? fmt::format("  total: ${:.4f} - ${:.4f}\n", *low, *high)
                            : std::string("  total: unknown (a model has no price)\n"));
  if (const double spent = Spent(steps); spent > 0) {
    std::cout << fmt::format("  spent already: ${:.4f}\n", spent);
  }
}

Status SaveState(const run::SweepSpec& spec, const std::vector<Step>& steps,
                 const std::string& status) {
  Json runs = Json::array();
  for (const auto& r : spec.runs) {
    runs.push_back({{"run_id", r.run_id}, {"tag", r.tag}, {"cell", r.cell}});
  }
  Json list = Json::array();
  for (const auto& step : steps) {
    list.push_back({{"kind", step.kind},
                    {"command", CommandLine(step.args)},
                    {"ledger", step.ledger.string()},
                    {"status", step.status}});
  }
  const Json state = {{"name", spec.name}, {"file", fs::absolute(spec.file).string()},
                      {"status", status},  {"runs", runs},
                      {"steps", list},     {"spent_usd", Spent(steps)}};
  return WriteJsonFile(spec.results_root / "sweeps" / (run::SafePathComponent(spec.name) + ".json"),
                       state);
}

// True when the step has nothing left to do: an eval whose summary exists.
bool AlreadyDone(const run::SweepSpec& spec, const Step& step) {
  if (step.kind != "eval") return false;
  const run::RunLayout run(
      run::ResultsLayout(spec.results_root).RunDir(spec.runs[step.run].run_id));
  return fs::exists(run.EvalDir() / "summary.json");
}

// <results-root>/sweeps/<name>.html: the summary page of the sweep's evaluated runs, when
// there are any (report/summary_html.h).
void WriteComparisonPage(const run::SweepSpec& spec) {
  std::set<std::string> ids;
  for (const auto& r : spec.runs) ids.insert(r.run_id);
  auto groups = run::SummarizeRoot(spec.results_root, &ids);
  if (!groups.ok() || groups->empty()) return;
  const fs::path page =
      spec.results_root / "sweeps" / (run::SafePathComponent(spec.name) + ".html");
  Status written = WriteFileAtomic(page, report::RenderSummaryHtml(*groups, spec.name));
  if (written.ok()) {
    std::cout << "comparison page: " << page.string() << "\n";
  } else {
    log::Warn("sweep: no comparison page: " + written.error().message);
  }
}

int RunSteps(const run::SweepSpec& spec, std::vector<Step>& steps, const SweepFlags& flags) {
  int failed = 0;
  std::vector<bool> run_failed(spec.runs.size(), false);
  for (auto& step : steps) {
    if (step.kind == "eval" && run_failed[step.run]) {
      step.status = "skipped (train failed)";
      continue;
    }
    if (AlreadyDone(spec, step)) {
      step.status = "done";
      continue;
    }
    std::vector<std::string> args = step.args;
    if (step.kind == "train") args.push_back("--resume");
    if (flags.concurrency > 0) {
      args.insert(args.end(), {"--concurrency", std::to_string(flags.concurrency)});
    }
    if (flags.max_cost_usd > 0) {
      const double left = flags.max_cost_usd - Spent(steps);
      auto own = llm::SummarizeLedger(step.ledger);
      const double mine = own.ok() ? own->total.cost_usd : 0;
      if (left <= 0) {
        step.status = "budget_exhausted";
        (void)SaveState(spec, steps, "budget_exhausted");
        std::cerr << fmt::format(
            "sweep: the cap --max-cost-usd {} is spent; rerun the sweep with "
            "a higher cap to go on\n",
            flags.max_cost_usd);
        return 3;
      }
      // The step's own ledger counts its earlier sessions against its cap.
      args.insert(args.end(), {"--max-cost-usd", fmt::format("{:.9f}", mine + left), "--force"});
    }
    log::Info("sweep: " + CommandLine(args));
    (void)SaveState(spec, steps, "running");
    const int code = Invoke(args, CommandMode::kRun, nullptr);
    step.status = code == 0 ? "done" : code == 3 ? "budget_exhausted" : "failed";
    if (code == 3) {
      (void)SaveState(spec, steps, "budget_exhausted");
      return 3;
    }
    if (code != 0) {
      ++failed;  // a failed collect is retried by each train that needs it
      if (step.kind == "train") run_failed[step.run] = true;
    }
  }
  Status saved = SaveState(spec, steps, failed == 0 ? "completed" : "failed");
  if (!saved.ok()) Fail(saved.error(), 1);
  WriteComparisonPage(spec);
  std::cout << fmt::format("sweep {}: {} of {} steps done{}; spent ${:.4f}\n", spec.name,
                           steps.size() - static_cast<size_t>(failed), steps.size(),
                           failed == 0 ? "" : fmt::format(", {} failed", failed), Spent(steps))
            << "table: skillgrad summarize " << spec.file.string() << "\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

void RegisterSweep(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "sweep", "Run a grid of training runs (seeds, models, ablations) and their evaluations");
  auto flags = std::make_shared<SweepFlags>();
  cmd->add_option("SWEEP_FILE", flags->file, "The sweep file (YAML; docs/statistics.md)")
      ->required();
  cmd->add_flag("--dry-run", flags->dry_run, "Print the runs and the cost plan, run nothing");
  cmd->add_option("--concurrency", flags->concurrency,
                  "Executors and diagnosers in parallel, for every run (default: the file's)");
  cmd->add_option("--max-cost-usd", flags->max_cost_usd,
                  "Hard cap on the whole sweep's spend (0: no limit)");
  cmd->add_flag("--force", flags->force, "Run even when the cap is below the plan's low figure");
  cmd->callback([=] {
    if (flags->max_cost_usd < 0) Fail(InvalidArgument("--max-cost-usd cannot be negative"));
    auto spec = run::LoadSweep(flags->file);
    if (!spec.ok()) Fail(spec.error());
    auto steps = PlanSteps(*spec);
    if (!steps.ok()) Fail(steps.error());
    PrintSweepPlan(*spec, *steps);
    if (flags->dry_run) {
      for (const auto& step : *steps) std::cout << "  " << CommandLine(step.args) << "\n";
      ExitWith(0);
    }
    const std::optional<double> low = TotalUsd(*steps, &run::CostPlan::LowUsd);
    // The cap counts what the sweep's ledgers hold already (an earlier, stopped session).
    const double spent = Spent(*steps);
    if (flags->max_cost_usd > 0 && low && flags->max_cost_usd < spent + *low && !flags->force) {
      Fail(InvalidArgument(fmt::format(
          "--max-cost-usd {} is below the low figure of the sweep's cost plan (${:.6f}, ${:.6f} "
          "of it spent already): raise the cap, or pass --force to run until the cap stops the "
          "sweep",
          flags->max_cost_usd, spent + *low, spent)));
    }
    ExitWith(RunSteps(*spec, *steps, *flags));
  });
}

}  // namespace sg::cli
