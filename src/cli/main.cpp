#include <unistd.h>

#include <iostream>

#include "cli/command.h"
#include "core/log.h"
#include "core/progress.h"
#include "sandbox/workspace_volume.h"

int main(int argc, char** argv) {
  // Before any thread exists: the workspaces' size-limited tmpfs mounts stay in this
  // process's own mount namespace and vanish with it (sandbox/workspace_volume.h).
  sg::sandbox::EnterPrivateMountNamespace();
  CLI::App app{
      "skillgrad: optimize an LLM agent skill (SKILL.md and resources) with textual gradients"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("skillgrad ") + SKILLGRAD_VERSION);
  sg::cli::GlobalOptions global;
  sg::SystemClock clock;
  struct ProgressGuard {  // clears the live line however main returns
    ~ProgressGuard() { sg::progress::Install(nullptr); }
  } progress_guard;
  app.add_flag("-q,--quiet", global.quiet, "Only warnings and errors on stderr");
  app.add_flag("-v,--verbose", global.verbose, "Debug-level logs");
  app.parse_complete_callback([&] {
    if (global.quiet) sg::log::SetLevel(sg::log::Level::kWarn);
    if (global.verbose) sg::log::SetLevel(sg::log::Level::kDebug);
    // A live status line on a terminal; plain stage lines otherwise (and with --quiet,
    // where they reach only the run's log file).
    const bool live = !global.quiet && isatty(STDERR_FILENO);
    sg::progress::Install(std::make_shared<sg::progress::Reporter>(
        live ? sg::progress::Mode::kLive : sg::progress::Mode::kPlain, STDERR_FILENO, clock,
        std::chrono::seconds(1)));
  });
  sg::cli::RegisterAllCommands(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command's ExitWith: it has already reported
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
