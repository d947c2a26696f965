#include "run/run_manifest.h"

#include "core/clock.h"

namespace sg::run {
namespace {

// The stored manifest, or an empty one where there is none or the file is not a manifest.
Json LoadManifest(const ResultsLayout& layout) {
  if (auto existing = ReadJsonFile(layout.Manifest());
      existing.ok() && existing->is_object() && (*existing)["runs"].is_object()) {
    return *existing;
  }
  return {{"runs", Json::object()}};
}

Status WriteEntry(const ResultsLayout& layout, Json manifest, const std::string& run_id,
                  const std::string& command, const Json& state) {
  Json entry = state;
  entry["command"] = command;
  entry["run_dir"] = (std::filesystem::path("runs") / run_id).string();
  entry["updated_at"] = FormatUtcMillis(SystemClock().WallMillis());
  manifest["runs"][run_id] = entry;
  return WriteJsonFile(layout.Manifest(), manifest);
}

}  // namespace

Status UpdateManifest(const ResultsLayout& layout, const std::string& run_id,
                      const std::string& command, const Json& state) {
  return WriteEntry(layout, LoadManifest(layout), run_id, command, state);
}

Status CatchUpManifest(const ResultsLayout& layout, const std::string& run_id,
                       const std::string& command, const Json& state) {
  Json manifest = LoadManifest(layout);
  const Json& runs = manifest["runs"];
  if (runs.contains(run_id) && runs[run_id].is_object() &&
      runs[run_id].value("status", Json()) == state.value("status", Json())) {
    return Ok();
  }
  return WriteEntry(layout, std::move(manifest), run_id, command, state);
}

}  // namespace sg::run
