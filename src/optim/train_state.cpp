#include "optim/train_state.h"

#include <fmt/format.h>

#include <array>

namespace sg::optim {
namespace {

constexpr std::array<std::pair<Stage, const char*>, 7> kStages = {{
    {Stage::kNone, "none"},
    {Stage::kExecute, "execute"},
    {Stage::kDiagnose, "diagnose"},
    {Stage::kMomentum, "momentum"},
    {Stage::kPatch, "patch"},
    {Stage::kValidate, "validate"},
    {Stage::kRecord, "record"},
}};

constexpr std::array<std::pair<RunStatus, const char*>, 4> kStatuses = {{
    {RunStatus::kRunning, "running"},
    {RunStatus::kCompleted, "completed"},
    {RunStatus::kBudgetExhausted, "budget_exhausted"},
    {RunStatus::kFailed, "failed"},
}};

}  // namespace

const char* StageName(Stage stage) {
  for (const auto& [value, name] : kStages) {
    if (value == stage) return name;
  }
  return "none";
}

Result<Stage> ParseStage(std::string_view name) {
  for (const auto& [value, text] : kStages) {
    if (name == text) return value;
  }
  return ParseError(fmt::format("unknown stage '{}'", name));
}

const char* RunStatusName(RunStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "running";
}

Result<RunStatus> ParseRunStatus(std::string_view name) {
  for (const auto& [value, text] : kStatuses) {
    if (name == text) return value;
  }
  return ParseError(fmt::format("unknown run status '{}'", name));
}

Json TrainState::ToJson() const {
  return Json{{"status", RunStatusName(status)},
              {"iteration", iteration},
              {"completed_stage", StageName(completed_stage)},
              {"all_correct_streak", all_correct_streak},
              {"iterations_total", iterations_total},
              {"stop_reason", stop_reason},
              {"current_skills", current_skills},
              {"current_val_hard", current_val_hard},
              {"current_val_dir", current_val_dir}};
}

Result<TrainState> TrainState::FromJson(const Json& json, const std::string& source) {
  TrainState state;
  try {
    SG_ASSIGN_OR_RETURN(state.status, ParseRunStatus(json.at("status").get<std::string>()));
    state.iteration = json.at("iteration").get<int>();
    SG_ASSIGN_OR_RETURN(state.completed_stage,
                        ParseStage(json.at("completed_stage").get<std::string>()));
    state.all_correct_streak = json.value("all_correct_streak", 0);
    state.iterations_total = json.value("iterations_total", 0);
    state.stop_reason = json.value("stop_reason", "");
    state.current_skills = json.value("current_skills", "");
    state.current_val_hard = json.value("current_val_hard", -1.0);
    state.current_val_dir = json.value("current_val_dir", "");
  } catch (const Json::exception& e) {
    return ParseError(
        fmt::format("{}: {}; the checkpoint is damaged: delete the run directory "
                    "to start over",
                    source, e.what()));
  }
  if (state.iteration < 1) return ParseError(source + ": iteration must be at least 1");
  return state;
}

Result<TrainState> LoadTrainState(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(Json json, ReadJsonFile(path));
  return TrainState::FromJson(json, path.string());
}

Status SaveTrainState(const std::filesystem::path& path, const TrainState& state) {
  return WriteJsonFile(path, state.ToJson());
}

}  // namespace sg::optim
