#include "optim/run_manifest.h"

#include "core/clock.h"

namespace sg::optim {

Status UpdateManifest(const ResultsLayout& layout, const std::string& run_id,
                      const std::string& command, const Json& state) {
  Json manifest = {{"runs", Json::object()}};
  if (auto existing = ReadJsonFile(layout.Manifest());
      existing.ok() && existing->is_object() && (*existing)["runs"].is_object()) {
    manifest = *existing;
  }
  Json entry = state;
  entry["command"] = command;
  entry["run_dir"] = (std::filesystem::path("runs") / run_id).string();
  entry["updated_at"] = FormatUtcMillis(SystemClock().WallMillis());
  manifest["runs"][run_id] = entry;
  return WriteJsonFile(layout.Manifest(), manifest);
}

Status CatchUpManifest(const ResultsLayout& layout, const std::string& run_id,
                       const std::string& command, const Json& state) {
  if (auto existing = ReadJsonFile(layout.Manifest()); existing.ok() && existing->is_object()) {
    const Json& runs = existing->value("runs", Json::object());
    if (runs.is_object() && runs.contains(run_id) && runs[run_id].is_object() &&
        runs[run_id].value("status", Json()) == state.value("status", Json())) {
      return Ok();
    }
  }
  return UpdateManifest(layout, run_id, command, state);
}

}  // namespace sg::optim
