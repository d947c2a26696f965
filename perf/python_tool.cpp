// The python tool's overhead: the median round trip of `print(1)` in the persistent
// interpreter (after its first call), against spawning a fresh python3 that imports
// openpyxl and pandas for each call, which is what a spawn-per-call tool pays. Both run
// in the same sandbox. Targets: median <= 20 ms, and >= 50x cheaper than spawn-per-call.
// Exits non-zero on a miss.
#include "tools/python_tool.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <vector>

#include "sandbox/process_sandbox.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  int persistent_calls = argc > 1 ? std::atoi(argv[1]) : 200;
  int spawn_calls = argc > 2 ? std::atoi(argv[2]) : 10;
  fs::path workspace = fs::temp_directory_path() /
                       ("skillgrad-bench-python-" + std::to_string(std::random_device{}()));
  fs::create_directories(workspace);

  sg::sandbox::SandboxConfig config;
  config.workspace = workspace;
  auto created = sg::sandbox::ProcessSandbox::Create(config);
  if (!created.ok()) {
    std::fprintf(stderr, "cannot create the sandbox: %s\n", created.error().ToString().c_str());
    return 2;
  }
  std::shared_ptr<sg::sandbox::Sandbox> sandbox = std::move(created).value();
  std::printf("sandbox: %s\n", sandbox->capabilities().ToJson().dump().c_str());

  sg::tools::PythonTool python(sandbox);
  auto first_start = Clock::now();
  auto first = python.Execute("import openpyxl, pandas\nprint(1)");
  double first_ms = Ms(Clock::now() - first_start);
  if (first.is_error || first.content != "1\n") {
    std::fprintf(stderr, "first call failed: %s\n", first.content.c_str());
    return 2;
  }
  std::vector<double> round_trips;
  for (int i = 0; i < persistent_calls; ++i) {
    auto start = Clock::now();
    auto out = python.Execute("print(1)");
    round_trips.push_back(Ms(Clock::now() - start));
    if (out.is_error || out.content != "1\n") {
      std::fprintf(stderr, "call %d failed: %s\n", i, out.content.c_str());
      return 2;
    }
  }

  std::vector<double> spawns;
  for (int i = 0; i < spawn_calls; ++i) {
    auto start = Clock::now();
    auto run = sandbox->Run({"/usr/bin/python3", "-c", "import openpyxl, pandas\nprint(1)"},
                            std::chrono::seconds(120));
    spawns.push_back(Ms(Clock::now() - start));
    if (!run.ok() || run->exit_code != 0 || run->stdout_text.Text() != "1\n") {
      std::fprintf(stderr, "spawn %d failed\n", i);
      return 2;
    }
  }
  std::error_code ec;
  fs::remove_all(workspace, ec);

  double median = Median(round_trips);
  double spawn_median = Median(spawns);
  double ratio = spawn_median / median;
  std::printf("persistent interpreter: first call (start + import openpyxl, pandas) %.1f ms\n",
              first_ms);
  std::printf(
      "persistent interpreter: print(1) round trip median %.2f ms, p90 %.2f ms over %d calls\n",
      median,
      [&] {
        auto v = round_trips;
        std::sort(v.begin(), v.end());
        return v[v.size() * 9 / 10];
      }(),
      persistent_calls);
  std::printf(
      "spawn per call (python3 + import openpyxl, pandas, in the sandbox): median %.1f ms over "
      "%d\n",
      spawn_median, spawn_calls);
  std::printf("ratio: %.0fx cheaper\n", ratio);
  bool ok = median <= 20.0 && ratio >= 50.0;
  std::printf("target: median <= 20 ms and >= 50x cheaper: %s\n", ok ? "MET" : "MISSED");
  return ok ? 0 : 1;
}
