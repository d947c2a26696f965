// `skillgrad eval`: a skill (a run's final skill, or any --skills-dir) on the test split.
#include <iostream>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "run/eval.h"
#include "run/results_root.h"
#include "run/run_layout.h"

namespace sg::cli {

void RegisterEval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "Evaluate a skill on the test split");
  auto options = std::make_shared<run::CommonOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  auto run_id = std::make_shared<std::string>();
  AddRunFlags(cmd, *options, *llm, *flags);
  cmd->add_option("--run", *run_id,
                  "Evaluate this run's final skill (runs/<run>/train/final_skill) and write "
                  "runs/<run>/eval; without it, --skills-dir is evaluated as its own run");
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, *options, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    const std::string rerun = "rerun the same skillgrad eval command";
    Status writable = run::CheckResultsRootWritable(options->results_root, rerun);
    if (!writable.ok()) Fail(writable.error(), 1);
    run::ResultsLayout layout(options->results_root);
    std::string id = *run_id;
    if (!id.empty()) {
      run::RunLayout run(layout.RunDir(id));
      if (!std::filesystem::is_directory(run.FinalSkillsDir())) {
        Fail(NotFound("--run " + id + ": " + run.FinalSkillsDir().string() +
                      " does not exist; finish the run with `skillgrad train --resume` first"));
      }
      if (options->skills_dir.empty()) options->skills_dir = run.FinalSkillsDir();
    } else {
      options->method = "eval";
      id = "";  // decided below, once the model is known
    }
    auto engine = run::Engine::Open(*options, *llm);
    if (!engine.ok()) Fail(engine.error());
    if (id.empty()) id = run::MakeRunId("eval", options->models.executor, options->config_tag);
    run::RunLayout run(layout.RunDir(id));
    Status started = (*engine)->StartClient(run.Ledger());
    if (!started.ok()) Fail(started.error());
    auto result =
        run::RunEval(**engine, *options, options->skills_dir, run.EvalDir(), run.Ledger());
    if (!result.ok()) Fail(run::WithDiskAdvice(result.error(), options->results_root, rerun), 1);
    std::cout << fmt::format("hard accuracy: {:.3f}\nsoft accuracy: {:.3f}\ntasks: {}\n",
                             result->hard_accuracy, result->soft_accuracy, result->tasks)
              << "summary: " << result->summary_path.string() << "\n";
    ExitWith(0);
  });
}

}  // namespace sg::cli
