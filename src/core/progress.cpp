#include "core/progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace sg::progress {
namespace {

double Seconds(Clock::Duration d) { return std::chrono::duration<double>(d).count(); }

// The process's reporter. Guarded by its own mutex; the pipeline's calls copy the pointer
// and call outside the lock.
struct Installed {
  std::mutex mu;
  std::shared_ptr<Reporter> reporter;
};
Installed& GetInstalled() {
  static Installed* installed = new Installed();
  return *installed;
}
std::shared_ptr<Reporter> Current() {
  Installed& i = GetInstalled();
  std::lock_guard<std::mutex> lock(i.mu);
  return i.reporter;
}

size_t TerminalWidth(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10) return ws.ws_col;
  return 100;
}

}  // namespace

std::string FormatDuration(double seconds) {
  if (seconds < 0) seconds = 0;
  long s = static_cast<long>(seconds + 0.5);
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
}

std::string FormatStatus(const Status& st) {
  std::string out;
  if (st.iteration > 0) {
    out += st.iterations_total > 0 ? fmt::format("iter {}/{}", st.iteration, st.iterations_total)
                                   : fmt::format("iter {}", st.iteration);
    out += " · ";
  }
  out += st.stage.empty() ? "starting" : st.stage;
  if (st.tasks_total > 0) out += fmt::format(" {}/{} tasks", st.tasks_done, st.tasks_total);
  out += fmt::format(" · ${:.4f} · {} elapsed", st.cost_usd, FormatDuration(st.elapsed_s));
  if (st.remaining_s >= 0) out += fmt::format(" · ~{} left", FormatDuration(st.remaining_s));
  return out;
}

Reporter::Reporter(Mode mode, int fd, const Clock& clock, Clock::Duration tick)
    : mode_(mode), fd_(fd), clock_(clock), start_(clock.Now()) {
  stage_start_ = iteration_start_ = start_;
  if (mode_ == Mode::kLive && tick > Clock::Duration::zero()) {
    ticker_ = std::thread([this, tick] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!finished_) {
        tick_cv_.wait_for(lock, tick);
        if (!finished_ && drawn_) DrawLocked();
      }
    });
  }
}

Reporter::~Reporter() {
  Finish();
  if (ticker_.joinable()) ticker_.join();
}

void Reporter::SetPlan(int iterations_total) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.iterations_total = iterations_total;
}

void Reporter::SetStage(int iteration, std::string_view stage, int tasks_total) {
  Status plain;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = clock_.Now();
    if (iteration > 0 && iteration != status_.iteration) {
      if (status_.iteration > 0) {
        // The previous iteration ended: fold its duration into the mean.
        double took = Seconds(now - iteration_start_);
        seconds_per_iteration_ =
            (seconds_per_iteration_ * iterations_finished_ + took) / (iterations_finished_ + 1);
        ++iterations_finished_;
      }
      iteration_start_ = now;
    }
    status_.iteration = std::max(iteration, 0);
    status_.stage = std::string(stage);
    status_.tasks_done = 0;
    status_.tasks_total = std::max(tasks_total, 0);
    stage_start_ = now;
    if (mode_ == Mode::kLive) {
      drawn_ = true;
      DrawLocked();
      return;
    }
    plain = SnapshotLocked();
  }
  // Outside the lock: the log sink may call back into Clear/Redraw.
  log::Info("progress: " + FormatStatus(plain));
}

void Reporter::TaskDone() {
  std::lock_guard<std::mutex> lock(mu_);
  ++status_.tasks_done;
  if (mode_ == Mode::kLive && drawn_) DrawLocked();
}

void Reporter::SetCost(double usd) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.cost_usd = usd;
  if (mode_ == Mode::kLive && drawn_) DrawLocked();
}

void Reporter::Hide() {
  std::lock_guard<std::mutex> lock(mu_);
  if (mode_ == Mode::kLive && drawn_) ClearLocked();
  drawn_ = false;
}

void Reporter::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_) return;
    if (mode_ == Mode::kLive && drawn_) ClearLocked();
    finished_ = true;
    drawn_ = false;
  }
  tick_cv_.notify_all();
}

Status Reporter::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return SnapshotLocked();
}

Status Reporter::SnapshotLocked() const {
  Status st = status_;
  const auto now = clock_.Now();
  st.elapsed_s = Seconds(now - start_);
  // What remains of this stage, from the mean time per finished task...
  double remaining = -1;
  if (st.tasks_total > 0 && st.tasks_done > 0) {
    double per_task = Seconds(now - stage_start_) / st.tasks_done;
    remaining = per_task * (st.tasks_total - st.tasks_done);
  }
  // ...plus the iterations still to come, from the mean finished iteration.
  if (st.iterations_total > 0 && st.iteration > 0 && seconds_per_iteration_ >= 0) {
    double rest_of_iteration =
        std::max(0.0, seconds_per_iteration_ - Seconds(now - iteration_start_));
    remaining = std::max(remaining, 0.0) + rest_of_iteration +
                seconds_per_iteration_ * std::max(0, st.iterations_total - st.iteration);
  }
  st.remaining_s = remaining;
  return st;
}

void Reporter::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  if (mode_ == Mode::kLive && drawn_) ClearLocked();
}

void Reporter::Redraw() {
  std::lock_guard<std::mutex> lock(mu_);
  if (mode_ == Mode::kLive && drawn_ && !finished_) DrawLocked();
}

void Reporter::DrawLocked() {
  std::string line = FormatStatus(SnapshotLocked());
  const size_t width = TerminalWidth(fd_) - 1;
  // Cut to the terminal width (counting UTF-8 code points) so '\r' returns to its start.
  size_t points = 0, cut = line.size();
  for (size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80 && ++points > width) {
      cut = i;
      break;
    }
  }
  line.resize(cut);
  WriteLocked("\r\x1b[2K" + line);
}

void Reporter::ClearLocked() { WriteLocked("\r\x1b[2K"); }

void Reporter::WriteLocked(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed terminal: progress is best effort
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void Install(std::shared_ptr<Reporter> reporter) {
  std::shared_ptr<Reporter> old;
  {
    Installed& i = GetInstalled();
    std::lock_guard<std::mutex> lock(i.mu);
    old = std::move(i.reporter);
    i.reporter = reporter;
  }
  log::SetConsoleOverlay(reporter);
  if (old) old->Finish();
}

void SetPlan(int iterations_total) {
  if (auto r = Current()) r->SetPlan(iterations_total);
}
void SetStage(int iteration, std::string_view stage, int tasks_total) {
  if (auto r = Current()) r->SetStage(iteration, stage, tasks_total);
}
void TaskDone() {
  if (auto r = Current()) r->TaskDone();
}
void SetCost(double usd) {
  if (auto r = Current()) r->SetCost(usd);
}
void Hide() {
  if (auto r = Current()) r->Hide();
}
void Finish() {
  if (auto r = Current()) r->Finish();
}

}  // namespace sg::progress
