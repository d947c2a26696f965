// `skillgrad compare A B [--json] [--resamples N] [--seed S]`: two evals of skills on the same
// tasks compared as paired samples (run/compare.h, docs/statistics.md). Exit 0 when compared,
// 2 when an input cannot be read or the two task sets differ.
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "run/compare.h"

namespace sg::cli {

void RegisterCompare(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "compare", "Compare two evals on the same tasks: intervals, difference and paired test");
  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto options = std::make_shared<run::CompareOptions>();
  cmd->add_option("A", *a, "A run folder, an eval folder or an eval summary.json")->required();
  cmd->add_option("B", *b, "The same for the other skill")->required();
  cmd->add_flag("--json", *json, "Print the comparison as JSON");
  cmd->add_option("--resamples", options->resamples, "Bootstrap and permutation draws")
      ->capture_default_str()
      ->check(CLI::Range(100, 10000000));
  cmd->add_option("--seed", options->seed, "Seed of those draws")->capture_default_str();
  cmd->callback([=] {
    auto side_a = run::LoadEvalSide(*a);
    if (!side_a.ok()) Fail(side_a.error(), 2);
    auto side_b = run::LoadEvalSide(*b);
    if (!side_b.ok()) Fail(side_b.error(), 2);
    auto compared = run::CompareEvals(*side_a, *side_b, *options);
    if (!compared.ok()) Fail(compared.error(), 2);
    std::cout << (*json ? compared->dump(2) + "\n" : run::FormatComparison(*compared));
    ExitWith(0);
  });
}

}  // namespace sg::cli
