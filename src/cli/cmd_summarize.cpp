// `skillgrad summarize RESULTS_ROOT [--format markdown|csv|json] [--out FILE]`: the table of
// every evaluated run of a results root over training seeds (run/summarize.h). Exit 0 when
// written, 2 when the root or a run's files cannot be read.
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "core/file_util.h"
#include "run/summarize.h"

namespace sg::cli {

void RegisterSummarize(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "summarize",
      "Tabulate a results root's evaluated runs: mean, spread and interval over seeds");
  auto root = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("markdown");
  auto out = std::make_shared<std::string>();
  cmd->add_option("RESULTS_ROOT", *root, "The --results-root of the runs")->required();
  cmd->add_option("--format", *format, "markdown, csv or json")->capture_default_str();
  cmd->add_option("--out", *out, "Write the table to this file instead of standard output");
  cmd->callback([=] {
    if (*format != "markdown" && *format != "csv" && *format != "json") {
      Fail(InvalidArgument("--format " + *format + ": use markdown, csv or json"), 2);
    }
    auto groups = run::SummarizeRoot(*root);
    if (!groups.ok()) Fail(groups.error(), 2);
    if (groups->empty()) {
      Fail(NotFound(*root + " holds no evaluated run: run `skillgrad eval --run RUN_ID` first"), 2);
    }
    const std::string text = *format == "csv"    ? run::SummaryCsv(*groups)
                             : *format == "json" ? run::SummaryJson(*groups).dump(2) + "\n"
                                                 : run::SummaryMarkdown(*groups);
    if (out->empty()) {
      std::cout << text;
    } else if (Status written = WriteFileAtomic(*out, text); !written.ok()) {
      Fail(written.error(), 2);
    }
    ExitWith(0);
  });
}

}  // namespace sg::cli
