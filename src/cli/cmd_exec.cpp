// `skillgrad exec`: one executor on one task against the configured provider; prints
// where the trajectory and the output are, and the grade.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "core/clock.h"
#include "run/engine.h"
#include "run/run_layout.h"

namespace sg::cli {

void RegisterExec(CLI::App& app) {
  auto* cmd = app.add_subcommand("exec", "Run one executor on one task and grade it");
  auto options = std::make_shared<run::CommonOptions>();
  auto llm = std::make_shared<run::LlmSettings>();
  auto flags = std::make_shared<RunFlags>();
  auto task_id = std::make_shared<std::string>();
  auto out_dir = std::make_shared<std::string>();
  AddRunFlags(cmd, *options, *llm, *flags);
  cmd->add_option("--task", *task_id, "The task id")->required();
  cmd->add_option("--out", *out_dir,
                  "Task folder to write (default: <results-root>/exec/<model>/<task>; it is "
                  "replaced)");
  cmd->callback([=] {
    Status finished = FinishRunFlags(cmd, *options, *llm, *flags);
    if (!finished.ok()) Fail(finished.error());
    auto engine = run::Engine::Open(*options, *llm);
    if (!engine.ok()) Fail(engine.error());
    const tasks::Task* task = (*engine)->benchmark().FindTask(*task_id);
    if (task == nullptr) {
      Fail(NotFound("--task " + *task_id + " is not a task of " + options->data_dir.string()));
    }
    std::filesystem::path dir = out_dir->empty()
                                    ? options->results_root / "exec" /
                                          run::SafePathComponent(options->models.executor) /
                                          run::SafePathComponent(*task_id)
                                    : std::filesystem::path(*out_dir);
    std::error_code ec;
    // The task folder is redone from scratch; never wipe a folder that is not one.
    if (!out_dir->empty() && !std::filesystem::is_empty(dir, ec) && !ec &&
        !std::filesystem::exists(dir / "workspace") &&
        !std::filesystem::exists(dir / "trajectory.json")) {
      Fail(InvalidArgument("--out " + dir.string() +
                           " is a folder that is not empty and holds no earlier task run; "
                           "exec replaces the folder's content: pass a new or empty folder"));
    }
    ec.clear();
    std::filesystem::remove_all(dir, ec);
    Status started = (*engine)->StartClient(dir.parent_path() / "ledger.jsonl");
    if (!started.ok()) Fail(started.error());
    run::ExecutorEnv env =
        (*engine)->MakeExecutorEnv(options->models.executor, options->max_turns);
    llm::CallContext context;
    context.role = "executor";
    context.stage = "exec";
    auto assessment = run::RunTask(env, *task, options->skills_dir, dir, context);
    if (!assessment.ok()) Fail(assessment.error(), 1);
    std::cout << "trajectory: " << (dir / "trajectory.json").string() << "\n"
              << "output: " << (dir / "workspace").string() << "\n"
              << "stop: " << assessment->stop_reason << "\n";
    if (assessment->graded) {
      std::cout << "grade: " << (assessment->pass ? "pass" : "fail")
                << fmt::format(" (score {:.3f})\n", assessment->score);
    } else {
      std::cout << "grade: not graded: " << assessment->error << "\n";
    }
    ExitWith(0);
  });
}

}  // namespace sg::cli
