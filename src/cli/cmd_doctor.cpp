// `skillgrad doctor [--env-file F] [--results-root R] [--no-call]`: checks the provider
// configuration (and one call), Python with openpyxl and pandas, LibreOffice, the
// sandbox's isolation and the results root; prints each with its fix (docs/doctor.md).
// Exit 0 when every check passes, 1 otherwise.
#include <iostream>

#include "cli/command.h"
#include "cli/doctor.h"

namespace sg::cli {

void RegisterDoctor(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "doctor", "Check the provider, Python, LibreOffice, the sandbox and the results root");
  auto options = std::make_shared<DoctorOptions>();
  auto env_file = std::make_shared<std::string>();
  auto no_call = std::make_shared<bool>(false);
  cmd->add_option("--env-file", *env_file,
                  "Read provider variables from this file instead of ./.env");
  cmd->add_option("--results-root", options->results_root, "Where results go")
      ->capture_default_str();
  cmd->add_flag("--no-call", *no_call, "Check the provider configuration without calling it");
  cmd->callback([=] {
    if (!env_file->empty()) options->env_file = *env_file;
    options->call_provider = !*no_call;
    auto checks = RunDoctor(*options);
    std::cout << FormatDoctorReport(checks);
    bool all_ok = std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.ok; });
    ExitWith(all_ok ? 0 : 1);
  });
}

}  // namespace sg::cli
