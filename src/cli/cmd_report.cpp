// `skillgrad report RUN_DIR [--out FILE]`: one self-contained HTML report of a run
// (docs/report.md). Exit 0 when written, 2 when RUN_DIR cannot be read as a run.
#include <iostream>

#include "cli/command.h"
#include "report/report_html.h"

namespace sg::cli {

void RegisterReport(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "report", "Write a self-contained HTML report of a run (charts, task grid, diffs, momentum)");
  auto run_dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("RUN_DIR", *run_dir, "A run directory, results/runs/<run_id>")->required();
  cmd->add_option("--out", *out, "Where to write the HTML (default RUN_DIR/report.html)");
  cmd->callback([=] {
    auto written = report::WriteRunReport(*run_dir, *out);
    if (!written.ok()) Fail(written.error(), 2);
    std::cout << written->string() << "\n";
    ExitWith(0);
  });
}

}  // namespace sg::cli
