#include "core/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace sg::log {
namespace {

struct State {
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<spdlog::sinks::sink> console_sink;
  std::shared_ptr<spdlog::sinks::sink> file_sink;
  std::set<std::string, std::less<>> warned;
  Level level = Level::kInfo;
  std::mutex console_mu;  // serializes console lines with the overlay's redraws
  std::shared_ptr<ConsoleOverlay> overlay;
};

State& GetState() {
  static State* state = [] {
    auto* s = new State();
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    s->console_sink = console;
    s->logger = std::make_shared<spdlog::logger>("skillgrad", console);
    s->logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    s->logger->set_level(spdlog::level::info);
    s->logger->flush_on(spdlog::level::info);
    return s;
  }();
  return *state;
}

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

void Emit(Level level, std::string_view message) {
  State& s = GetState();
  if (!s.logger->should_log(ToSpd(level))) return;
  std::lock_guard<std::mutex> lock(s.console_mu);
  const bool overlay = s.overlay && s.console_sink->should_log(ToSpd(level));
  if (overlay) s.overlay->Clear();
  s.logger->log(ToSpd(level), "{}", message);
  if (overlay) s.overlay->Redraw();
}

}  // namespace

void SetLevel(Level level) {
  State& s = GetState();
  std::lock_guard<std::mutex> lock(s.mu);
  s.level = level;
  // --quiet quiets the console only: the run's log file keeps info lines.
  s.console_sink->set_level(ToSpd(level));
  s.logger->set_level(ToSpd(std::min(level, Level::kInfo)));
}

Level GetLevel() {
  State& s = GetState();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.level;
}

void SetLogFile(const std::filesystem::path& path) {
  State& s = GetState();
  std::lock_guard<std::mutex> lock(s.mu);
  auto& sinks = s.logger->sinks();
  if (s.file_sink) {
    sinks.erase(std::remove(sinks.begin(), sinks.end(), s.file_sink), sinks.end());
    s.file_sink.reset();
  }
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  try {
    s.file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path.string());
    s.file_sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    sinks.push_back(s.file_sink);
    // A log file that stops taking lines (a full disk) is said once on the console, which
    // still gets every line; the run's other artifacts report their own write errors.
    s.logger->set_error_handler([file = path.string()](const std::string& message) {
      static std::once_flag once;
      std::call_once(once, [&] {
        std::fprintf(stderr,
                     "warning: cannot write the log file %s (%s); the console gets every line, "
                     "the file misses lines from here on\n",
                     file.c_str(), message.c_str());
      });
    });
  } catch (const spdlog::spdlog_ex& e) {
    s.logger->warn("cannot write the log file {}: {}", path.string(), e.what());
  }
}

void SetConsoleOverlay(std::shared_ptr<ConsoleOverlay> overlay) {
  State& s = GetState();
  std::lock_guard<std::mutex> lock(s.console_mu);
  s.overlay = std::move(overlay);
}

void Debug(std::string_view message) { Emit(Level::kDebug, message); }
void Info(std::string_view message) { Emit(Level::kInfo, message); }
void Warn(std::string_view message) { Emit(Level::kWarn, message); }
void Error(std::string_view message) { Emit(Level::kError, message); }

void WarnOnce(std::string_view key, std::string_view message) {
  State& s = GetState();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.warned.emplace(key).second) return;
  }
  Warn(message);
}

}  // namespace sg::log
