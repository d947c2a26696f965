// `skillgrad doctor`: checks that this machine can run skillgrad, each check with the fix
// when it fails (docs/doctor.md): the provider configuration and one call through it,
// Python with openpyxl and pandas, LibreOffice, the sandbox's isolation, and write
// access to the results root.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sg::cli {

struct DoctorOptions {
  std::optional<std::filesystem::path> env_file;  // empty: ./.env if present
  std::filesystem::path results_root = "results";
  bool call_provider = true;                // --no-call: configuration only
  std::string python = "/usr/bin/python3";  // Debian's interpreter, as the python tool uses
};

struct DoctorCheck {
  std::string name;  // "provider", "python", ...
  bool ok = false;
  std::string detail;  // what was found
  std::string fix;     // empty when ok
};

std::vector<DoctorCheck> RunDoctor(const DoctorOptions& options);

// "[ok]   name: detail" / "[FAIL] name: detail\n       fix: ..." lines, and a last line.
std::string FormatDoctorReport(const std::vector<DoctorCheck>& checks);

}  // namespace sg::cli
