// `skillgrad demo`: the whole method offline. Starts the mock LLM server with the bundled
// scenario, runs collect -> train -> eval (seed and final) -> report on the bundled
// benchmark, stops the server, and prints what happened.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/demo.h"
#include "core/clock.h"
#include "mock/mock_server.h"
#include "report/report_html.h"

namespace sg::cli {

namespace {

constexpr const char* kScriptedNotice =
    "This demo runs against skillgrad's own mock LLM server playing a scripted model\n"
    "(demo/scenario.json). Every stage runs the real code: HTTP client, agent loop,\n"
    "sandbox, graders, artifacts. The accuracy figures demonstrate the pipeline, not\n"
    "any model's ability.\n";

}  // namespace

void RegisterDemo(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "Run the whole method offline against a scripted model");
  auto options = std::make_shared<DemoOptions>();
  options->demo_dir = std::filesystem::path(SKILLGRAD_SOURCE_DIR) / "demo";
  options->results_root = "results/demo";
  cmd->add_option("--results-root", options->results_root, "Where the demo's results go")
      ->capture_default_str();
  cmd->add_option("--demo-dir", options->demo_dir, "The bundled demo (benchmark, skill, scenario)")
      ->capture_default_str();
  cmd->add_flag("--resume", options->resume, "Continue an interrupted demo run");
  cmd->add_option("--concurrency", options->concurrency, "Agents in parallel")
      ->capture_default_str();
  cmd->callback([=] {
    std::cout << kScriptedNotice << std::endl;
    auto scenario = mock::LoadScenario(options->demo_dir / "scenario.json");
    if (!scenario.ok()) Fail(scenario.error());
    mock::MockOptions mock_options;
    mock_options.scenario = std::move(scenario).value();
    auto server = mock::MockServer::Start(std::move(mock_options));
    if (!server.ok()) Fail(server.error());

    llm::ProviderConfig provider;
    provider.kind = llm::ProviderKind::kOpenAI;
    provider.api_key = "demo-key-not-a-secret";
    provider.base_url = (*server)->base_url() + "/v1";
    provider.model = kDemoModel;
    provider.origin = "skillgrad demo (mock server at " + (*server)->base_url() + ")";

    auto result = RunDemo(*options, provider);
    (*server)->Stop();
    if (!result.ok()) Fail(result.error(), 1);
    auto report = report::WriteRunReport(result->run_dir, result->run_dir / "report.html");
    const auto& r = *result;
    // "0.400 [0.000, 0.800]": an accuracy over tasks x rollouts with its 95% interval.
    auto with_interval = [](const Json& a) {
      if (!a.is_object() || !a.contains("interval")) return std::string("?");
      return fmt::format("{:.3f} [{:.3f}, {:.3f}]", a["accuracy"].get<double>(),
                         a["interval"][0].get<double>(), a["interval"][1].get<double>());
    };
    std::cout << "\n== skillgrad demo: summary (scripted model) ==\n"
              << fmt::format(
                     "test accuracy (hard) before: {:.2f}  after: {:.2f}  ({} test tasks)\n",
                     r.seed_hard_accuracy, r.final_hard_accuracy, r.test_tasks)
              << fmt::format(
                     "  over {} tasks x {} rollouts: before {}  after {}  (95% intervals, "
                     "bootstrap over tasks)\n",
                     r.test_tasks, r.rollouts, with_interval(r.seed_accuracy),
                     with_interval(r.final_accuracy))
              << (r.versus_seed.is_object()
                      ? fmt::format("  after - before: {:+.2f}, 95% interval [{:+.2f}, {:+.2f}], "
                                    "{} p = {:.2f} (docs/statistics.md)\n",
                                    r.versus_seed["difference"].get<double>(),
                                    r.versus_seed["difference_interval"][0].get<double>(),
                                    r.versus_seed["difference_interval"][1].get<double>(),
                                    r.versus_seed["test"]["name"].get<std::string>(),
                                    r.versus_seed["test"]["p_value"].get<double>())
                      : std::string())
              << fmt::format("training: {} iterations, status {}\n", r.train.state.iteration - 1,
                             optim::RunStatusName(r.train.state.status))
              << fmt::format(
                     "LLM calls: {}, cost as the ledger counted it: ${:.4f}\n"
                     "  (illustrative: the scripted model is priced in demo/prices.json)\n",
                     r.llm_calls, r.cost_usd)
              << fmt::format("time: {:.1f} s\n", r.seconds) << "run: " << r.run_dir.string() << "\n"
              << "final skill: " << r.train.final_skills.string() << "\n";
    if (report.ok()) {
      std::cout << "report: " << report->string() << "\n";
    } else {
      std::cout << "report: not written: " << report.error().message << "\n";
    }
    std::cout << "\nThe model was scripted; to run against a real one, see README.md, "
                 "'Running against a real model'.\n";
    ExitWith(0);
  });
}

}  // namespace sg::cli
