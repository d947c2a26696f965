#include "run/run_manifest.h"

#include "core/clock.h"
#include "core/json_fields.h"

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
  // The metrics an eval wrote back outlive a later checkpoint of the same run.
  const Json& runs = manifest["runs"];
  if (!entry.contains("metrics") && runs.contains(run_id) && runs[run_id].is_object() &&
      runs[run_id].contains("metrics")) {
    entry["metrics"] = runs[run_id]["metrics"];
  }
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

namespace {

void MergeInto(Json& object, const Json& metrics) {
  if (!object.contains("metrics") || !object["metrics"].is_object()) {
    object["metrics"] = Json::object();
  }
  object["metrics"].update(metrics);
}

}  // namespace

Status RecordRunMetrics(const ResultsLayout& layout, const std::string& run_id,
                        const std::string& command, const Json& metrics) {
  const RunLayout run(layout.RunDir(run_id));
  if (std::filesystem::exists(run.Config())) {
    SG_ASSIGN_OR_RETURN(Json config, ReadJsonFile(run.Config()));
    if (!config.is_object()) {
      return InvalidArgument(run.Config().string() +
                             " is not a JSON object; restore it from the run's first lines "
                             "or remove it to keep the results in the manifest only");
    }
    MergeInto(config, metrics);
    SG_RETURN_IF_ERROR(WriteJsonFile(run.Config(), config));
  }
  Json manifest = LoadManifest(layout);
  Json& runs = manifest["runs"];
  if (!runs.contains(run_id) || !runs[run_id].is_object()) {
    runs[run_id] = {{"command", command},
                    {"run_dir", (std::filesystem::path("runs") / run_id).string()}};
  }
  MergeInto(runs[run_id], metrics);
  runs[run_id]["updated_at"] = FormatUtcMillis(SystemClock().WallMillis());
  return WriteJsonFile(layout.Manifest(), manifest);
}

Json EvalMetrics(const Json& summary, const std::string& prefix) {
  auto field = [&](const char* key) -> const Json& { return AnyField(summary, key); };
  Json cost = field("cost");
  Json metrics = {{"test_hard", field("mean_hard_graded")},
                  {"test_cell_acc", field("mean_cell_graded")},
                  {"eval_n_graded", field("n_graded")},
                  {"eval_n_total", field("n_total")},
                  {"eval_mean_hard", field("mean_hard")},
                  {"eval_grader", field("grader")},
                  {"eval_cost_usd", cost.is_object() ? cost.value("cost_usd", Json()) : Json()},
                  {"eval_completed", FormatUtcMillis(SystemClock().WallMillis())}};
  if (const Json versus = field("versus_seed"); versus.is_object()) {
    metrics["test_hard_minus_seed"] = versus.value("difference", Json());
    metrics["versus_seed_p"] =
        versus.contains("test") ? versus["test"].value("p_value", Json()) : Json();
  }
  if (prefix.empty()) return metrics;
  Json prefixed = Json::object();
  for (const auto& [key, value] : metrics.items()) prefixed[prefix + key] = value;
  return prefixed;
}

}  // namespace sg::run
