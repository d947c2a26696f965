// The mock LLM server alone under the LLM-throughput load: 2,000 chat completions, 64 in
// flight over keep-alive connections, 50 ms latency each. Target: wall time within 1.10x
// of the ideal (2000 / 64 x 50 ms), so that the client's benchmark measures the client.
// Clients are raw sockets, so the CPU figure is the mock's cost plus a minimal client's.
#include "mock/mock_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kCalls = 2000;
constexpr int kInFlight = 64;
constexpr int kLatencyMs = 50;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// One keep-alive connection; returns false on any transport or status error.
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Connection() { close(fd_); }

  bool Post(const std::string& request) {
    if (!ok_ || send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
                    static_cast<ssize_t>(request.size())) {
      return false;
    }
    std::string in;
    char buf[16384];
    size_t need = std::string::npos;
    while (need == std::string::npos || in.size() < need) {
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<size_t>(n));
      size_t head = in.find("\r\n\r\n");
      if (need == std::string::npos && head != std::string::npos) {
        size_t cl = in.find("Content-Length: ");
        if (cl == std::string::npos || cl > head) return false;
        need = head + 4 + std::stoul(in.substr(cl + 16));
      }
    }
    return in.compare(0, 12, "HTTP/1.1 200") == 0;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

}  // namespace

int main() {
  auto scenario = sg::mock::ParseScenario(
      R"J({"rules": [{"reply": {"text": "The answer is 42.", "usage": {"input": 300, "output": 8}}}]})J",
      "bench.json");
  sg::mock::MockOptions options;
  options.scenario = *scenario;
  options.scenario.latency = {kLatencyMs, kLatencyMs};
  auto server = sg::mock::MockServer::Start(std::move(options));
  if (!server.ok()) {
    std::fprintf(stderr, "cannot start the mock: %s\n", server.error().message.c_str());
    return 2;
  }
  const int port = (*server)->port();
  const std::string body =
      R"J({"model":"mock","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"What is six times seven?"}]})J";
  const std::string request =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nAuthorization: Bearer x\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::atomic<int> next{0}, failures{0};
  const double cpu0 = CpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (int i = 0; i < kInFlight; ++i) {
    clients.emplace_back([&] {
      Connection c(port);
      while (next.fetch_add(1) < kCalls) {
        if (!c.Post(request)) ++failures;
      }
    });
  }
  for (auto& t : clients) t.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = CpuSeconds() - cpu0;
  auto counters = (*server)->counters();
  (*server)->Stop();
  const double ideal = static_cast<double>(kCalls) / kInFlight * kLatencyMs / 1000.0;
  const double ratio = wall / ideal;
  std::printf("mock server: %d calls, %d in flight, %d ms latency\n", kCalls, kInFlight,
              kLatencyMs);
  std::printf("  wall %.3f s, ideal %.3f s, ratio %.3f (target <= 1.10)\n", wall, ideal, ratio);
  std::printf("  process CPU %.3f s = %.3f ms per call (mock + raw-socket clients)\n", cpu,
              cpu * 1000 / kCalls);
  std::printf("  mock counters: requests %lld, max in flight %lld, failures %d\n",
              static_cast<long long>(counters.requests),
              static_cast<long long>(counters.max_in_flight), failures.load());
  const bool ok = ratio <= 1.10 && failures == 0 && counters.requests == kCalls &&
                  counters.max_in_flight == kInFlight;
  return ok ? 0 : 1;
}
