// `skillgrad exec`: one executor on one task against the configured provider; prints
// where the trajectory and the output are, and the grade.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/run_flags.h"
#include "run/commands.h"
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
    run::CommandPhase phase;
    auto result = run::ExecCommand(*options, *llm, *task_id, *out_dir, &phase);
    if (!result.ok()) Fail(result.error(), ExitCodeOf(phase, result.error()));
    const std::filesystem::path& dir = result->task_dir;
    const run::TaskAssessment& assessment = result->assessment;
    std::cout << "trajectory: " << (dir / "trajectory.json").string() << "\n"
              << "output: " << (dir / "workspace").string() << "\n"
              << "stop: " << assessment.stop_reason << "\n";
    if (assessment.graded) {
      std::cout << "grade: " << (assessment.pass ? "pass" : "fail")
                << fmt::format(" (score {:.3f})\n", assessment.score);
    } else {
      std::cout << "grade: not graded: " << assessment.error << "\n";
    }
    ExitWith(0);
  });
}

}  // namespace sg::cli
