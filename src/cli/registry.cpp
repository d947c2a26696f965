// The list of commands. Add one line per new cmd_<name>.cpp.
#include "cli/command.h"

namespace sg::cli {

void RegisterVersion(CLI::App& app);
void RegisterGrade(CLI::App& app);
void RegisterMockLlm(CLI::App& app);
void RegisterSplit(CLI::App& app);
void RegisterTrainingSet(CLI::App& app);
void RegisterLint(CLI::App& app);
void RegisterCollect(CLI::App& app);
void RegisterTrain(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterExec(CLI::App& app);
void RegisterDemo(CLI::App& app);
void RegisterChat(CLI::App& app);
void RegisterReport(CLI::App& app);
void RegisterCompare(CLI::App& app);
void RegisterSummarize(CLI::App& app);
void RegisterPlan(CLI::App& app);
void RegisterSweep(CLI::App& app);
void RegisterDoctor(CLI::App& app);

void RegisterAllCommands(CLI::App& app, GlobalOptions& global) {
  (void)global;
  RegisterVersion(app);
  RegisterGrade(app);
  RegisterMockLlm(app);
  RegisterSplit(app);
  RegisterTrainingSet(app);
  RegisterLint(app);
  RegisterCollect(app);
  RegisterTrain(app);
  RegisterEval(app);
  RegisterExec(app);
  RegisterDemo(app);
  RegisterChat(app);
  RegisterReport(app);
  RegisterCompare(app);
  RegisterSummarize(app);
  RegisterPlan(app);
  RegisterSweep(app);
  RegisterDoctor(app);
}

}  // namespace sg::cli
