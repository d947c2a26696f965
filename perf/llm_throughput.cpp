// LLM-client throughput: 2,000 chat completions through the real client (LlmClient over
// CurlTransport, shared in-flight limiter, cost ledger) with 64 in flight, against the
// mock server answering each after 50 ms.
// Targets: wall time within 1.10x of the ideal 2000 / 64 x 50 ms = 1.5625 s, and under
// 0.5 ms of client CPU per call.
//
// The mock runs as a child process (`skillgrad mock-llm`) so that getrusage(RUSAGE_SELF)
// counts the client alone; when the skillgrad binary is not found it runs in-process and
// the CPU figure then includes the mock's (reported as such).
// Usage: bench_llm_throughput [--in-process] [--no-ledger] [--calls N] [--in-flight N]
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/child_env.h"
#include "core/json.h"
#include "core/subprocess.h"
#include "core/testing.h"
#include "llm/client.h"
#include "llm/curl_transport.h"
#include "mock/mock_server.h"

namespace {

namespace fs = std::filesystem;
constexpr int kLatencyMs = 50;

const char* kScenario = R"({"rules": [{"reply": {"text": "The total of column B is 1234.5.",
  "usage": {"input": 850, "cached": 512, "output": 24}}, "cycle": true}]})";

double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

fs::path FindSkillgrad() {
  if (const char* env = std::getenv("SKILLGRAD_BIN"); env && *env && fs::exists(env)) return env;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  for (fs::path candidate :
       {self.parent_path().parent_path() / "skillgrad", sg::testing::SkillgradBinary()}) {
    if (!candidate.empty() && fs::exists(candidate)) return candidate;
  }
  return {};
}

// `skillgrad mock-llm` as a child; the URL is its first stdout line.
struct ChildMock {
  sg::Subprocess process;
  std::string url;

  bool Start(const fs::path& binary, const fs::path& scenario) {
    sg::SpawnOptions options;
    options.argv = {binary.string(),
                    "-q",
                    "mock-llm",
                    "--scenario",
                    scenario.string(),
                    "--port",
                    "0",
                    "--latency-ms",
                    std::to_string(kLatencyMs),
                    "--threads",
                    "256"};
    for (const auto& [name, value] : sg::CurrentEnvironment()) {
      options.env.push_back(name + "=" + value);
    }
    options.stdout_stream = sg::ChildStream::Pipe();
    options.stderr_stream = sg::ChildStream::Fd(STDERR_FILENO);
    options.group = sg::ProcessGroup::kInherit;
    auto started = sg::Spawn(options);
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start the mock: %s\n", started.error().message.c_str());
      return false;
    }
    process = std::move(started).value();
    char c;
    while (read(process.stdout_pipe().get(), &c, 1) == 1 && c != '\n') url.push_back(c);
    process.stdout_pipe().reset();
    return url.starts_with("http://");
  }
  void Stop() {
    if (process.pid() <= 0) return;
    process.Signal(SIGTERM);
    process.Wait();
  }
};

}  // namespace

int main(int argc, char** argv) {
  bool in_process = false, ledger_on = true;
  int calls = 2000, in_flight = 64;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--in-process") in_process = true;
    if (a == "--no-ledger") ledger_on = false;
    if (a == "--calls" && i + 1 < argc) calls = std::atoi(argv[++i]);
    if (a == "--in-flight" && i + 1 < argc) in_flight = std::atoi(argv[++i]);
  }
  sg::testing::TempDir dir;
  fs::path scenario_path = dir.path() / "scenario.json";
  std::ofstream(scenario_path) << kScenario;

  std::unique_ptr<sg::mock::MockServer> server;
  ChildMock child;
  fs::path binary = in_process ? fs::path() : FindSkillgrad();
  std::string url;
  if (!binary.empty() && child.Start(binary, scenario_path)) {
    url = child.url;
  } else {
    in_process = true;
    sg::mock::MockOptions options;
    auto scenario = sg::mock::ScenarioFromJson(sg::Json::parse(kScenario), "bench");
    options.scenario = std::move(*scenario);
    options.scenario.latency = {kLatencyMs, kLatencyMs};
    options.threads = 256;
    auto started = sg::mock::MockServer::Start(std::move(options));
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start the mock: %s\n", started.error().message.c_str());
      return 2;
    }
    server = std::move(*started);
    url = server->base_url();
  }

  sg::llm::ClientParts parts;
  parts.transport = std::make_shared<sg::llm::CurlTransport>();
  parts.limiter = std::make_shared<sg::llm::InFlightLimiter>(in_flight);
  if (ledger_on) parts.ledger = std::make_shared<sg::llm::CostLedger>(dir.path() / "ledger.jsonl");
  sg::llm::LlmClient client({sg::llm::ProviderKind::kOpenAI, "sk-bench-key-000000", url}, parts);

  sg::llm::ChatRequest request;
  request.model = "gpt-4o-mini";
  request.messages.push_back(sg::llm::Message::System(std::string(2000, 's')));
  request.messages.push_back(sg::llm::Message::User("What is the total of column B?"));
  request.tools.push_back({"read_range", "Read a range of cells", sg::Json{{"type", "object"}}});

  std::atomic<int> next{0}, failures{0};
  const double cpu0 = CpuSeconds(RUSAGE_SELF);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < in_flight; ++w) {
    workers.emplace_back([&] {
      sg::llm::CallContext ctx{"executor", "bench", -1, "collect"};
      while (next.fetch_add(1) < calls) {
        auto r = client.Complete(request, ctx);
        if (!r.ok()) {
          if (failures.fetch_add(1) < 3)
            std::fprintf(stderr, "call failed: %s\n", r.error().message.c_str());
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = CpuSeconds(RUSAGE_SELF) - cpu0;
  int64_t max_in_flight = server ? server->counters().max_in_flight : -1;
  server.reset();
  child.Stop();
  const double mock_cpu = in_process ? -1 : CpuSeconds(RUSAGE_CHILDREN);

  const double ideal = static_cast<double>(calls) / in_flight * kLatencyMs / 1000.0;
  const double ratio = wall / ideal;
  const double cpu_per_call_ms = cpu * 1000.0 / calls;
  int64_t ledger_lines = 0;
  if (ledger_on) {
    auto summary = sg::llm::SummarizeLedger(dir.path() / "ledger.jsonl");
    if (summary.ok()) ledger_lines = summary->total.calls;
  }
  std::printf("llm_throughput: %d calls, %d in flight, mock latency %d ms (%s mock, ledger %s)\n",
              calls, in_flight, kLatencyMs, in_process ? "in-process" : "child-process",
              ledger_on ? "on" : "off");
  std::printf("  wall %.3f s, ideal %.4f s, ratio %.3f (target <= 1.10)\n", wall, ideal, ratio);
  std::printf("  client CPU %.3f s = %.3f ms/call%s (target < 0.5)\n", cpu, cpu_per_call_ms,
              in_process ? " [includes the in-process mock]" : "");
  if (mock_cpu >= 0)
    std::printf("  mock CPU %.3f s = %.3f ms/call (not counted)\n", mock_cpu,
                mock_cpu * 1000 / calls);
  if (max_in_flight >= 0)
    std::printf("  mock max in flight %lld\n", static_cast<long long>(max_in_flight));
  std::printf("  failures %d, ledger lines %lld\n", failures.load(),
              static_cast<long long>(ledger_lines));
  bool ok = failures == 0 && ratio <= 1.10 && cpu_per_call_ms < 0.5 &&
            (!ledger_on || ledger_lines == calls);
  std::printf("  %s\n", ok ? "PASS" : "MISS");
  return ok ? 0 : 1;
}
