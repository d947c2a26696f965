// `skillgrad summarize RESULTS_ROOT|SWEEP_FILE [--format markdown|csv|json|html] [--out FILE]`: the
// table of every evaluated run of a results root (or of a sweep's runs) over training seeds
// (run/summarize.h). Exit 0 when
// written, 2 when the root or a run's files cannot be read.
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "cli/command.h"
#include "core/file_util.h"
#include "report/summary_html.h"
#include "run/summarize.h"
#include "run/sweep_spec.h"

namespace sg::cli {
namespace fs = std::filesystem;

void RegisterSummarize(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "summarize",
      "Tabulate a results root's evaluated runs: mean, spread and interval over seeds");
  auto root = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("markdown");
  auto out = std::make_shared<std::string>();
  cmd->add_option("RESULTS_ROOT", *root,
                  "The --results-root of the runs, or a sweep file (its runs alone)")
      ->required();
  cmd->add_option("--format", *format,
                  "markdown, csv, json or html (a page with a chart per benchmark)")
      ->capture_default_str();
  cmd->add_option("--out", *out, "Write the table to this file instead of standard output");
  cmd->callback([=] {
    if (*format != "markdown" && *format != "csv" && *format != "json" && *format != "html") {
      Fail(InvalidArgument("--format " + *format + ": use markdown, csv, json or html"), 2);
    }
    fs::path results_root = *root;
    std::set<std::string> sweep_runs;
    const bool sweep = fs::is_regular_file(*root);
    if (sweep) {
      auto spec = run::LoadSweep(*root);
      if (!spec.ok()) Fail(spec.error(), 2);
      results_root = spec->results_root;
      for (const auto& r : spec->runs) sweep_runs.insert(r.run_id);
    }
    auto groups = run::SummarizeRoot(results_root, sweep ? &sweep_runs : nullptr);
    if (!groups.ok()) Fail(groups.error(), 2);
    if (groups->empty()) {
      Fail(NotFound(*root + " holds no evaluated run: run `skillgrad eval --run RUN_ID` first"), 2);
    }
    const std::string text = *format == "csv"    ? run::SummaryCsv(*groups)
                             : *format == "json" ? run::SummaryJson(*groups).dump(2) + "\n"
                             : *format == "html" ? report::RenderSummaryHtml(*groups, *root)
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
