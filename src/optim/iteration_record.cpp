#include "optim/iteration_record.h"

#include <fmt/format.h>

#include <string>

#include "core/file_util.h"
#include "core/json_fields.h"
#include "optim/iteration_layout.h"

namespace sg::optim {

namespace {

// Every lookup goes through AnyField: a hand-edited or older training_results.json renders
// with gaps, not an exception.
const Json& Field(const Json& object, const char* key) { return AnyField(object, key); }

std::string Text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "?";
  return value.dump();
}

std::string Number(const Json& value) {
  return value.is_number() ? fmt::format("{:.3f}", value.get<double>()) : "?";
}

std::string BatchList(const Json& batch) {
  std::string out;
  if (!batch.is_array()) return "?";
  for (const auto& id : batch) out += (out.empty() ? "" : ", ") + Text(id);
  return out;
}

std::string Money(const Json& entry) {
  const Json& cost = Field(entry, "cost_usd");
  std::string out = cost.is_number() ? fmt::format("${:.4f}", cost.get<double>()) : "$?";
  const Json& unpriced = Field(entry, "calls_without_cost");
  if (unpriced.is_number_integer() && unpriced.get<int64_t>() > 0) {
    out += fmt::format(" (+{} calls of unknown price)", unpriced.get<int64_t>());
  }
  return out;
}

// "2 of 3 passed, mean score 0.750": the batch before this iteration's patch.
std::string BeforePatch(const Json& entry) {
  const Json& outcomes = Field(entry, "outcomes");
  return fmt::format("{} of {} passed, mean score {}", Text(Field(entry, "pre_correct")),
                     outcomes.is_array() ? outcomes.size() : 0,
                     Number(Field(entry, "pre_soft_accuracy")));
}

std::string ValidationLine(const Json& entry) {
  const Json& v = Field(entry, "validation");
  if (!v.is_object()) return "";
  return fmt::format("Validation: {} (hard accuracy {} before, {} after).\n",
                     Text(Field(v, "decision")), Number(Field(v, "before_hard_accuracy")),
                     Number(Field(v, "after_hard_accuracy")));
}

std::string LabelLines(const Json& entry) {
  const Json& labels = Field(entry, "diagnosis_labels");
  if (!labels.is_array() || labels.empty()) return "";
  std::string out;
  for (const auto& l : labels) {
    const std::string label = Text(Field(l, "label"));
    out += fmt::format("- {} ({}): {}\n", Text(Field(l, "task_id")), Text(Field(l, "class")),
                       label.empty() ? "(no LABEL line)" : label);
  }
  return out;
}

// "- t1: fail, cell accuracy 0.500 (1/2 cells)", or the score where the grader counts no cells.
std::string OutcomeLines(const Json& entry) {
  std::string out;
  const Json& outcomes = Field(entry, "outcomes");
  if (!outcomes.is_array()) return out;
  for (const auto& o : outcomes) {
    const bool pass = Field(o, "pass").is_boolean() && Field(o, "pass").get<bool>();
    const Json& total = Field(o, "total_count");
    std::string detail = total.is_number() ? fmt::format("cell accuracy {} ({}/{} cells)",
                                                         Number(Field(o, "cell_accuracy")),
                                                         Text(Field(o, "match_count")), Text(total))
                                           : fmt::format("score {}", Number(Field(o, "score")));
    const Json& status = Field(o, "status");
    if (status.is_string() && status.get<std::string>() != "graded") {
      detail += ", " + status.get<std::string>();
    }
    out += fmt::format("- {}: {}, {}\n", Text(Field(o, "task_id")), pass ? "pass" : "fail", detail);
  }
  return out;
}

std::string StageLines(const Json& entry) {
  std::string out = "## Time per stage (s)\n\n";
  const Json& seconds = Field(entry, "seconds_by_stage");
  if (seconds.is_object()) {
    for (const auto& [stage, s] : seconds.items()) {
      out += fmt::format("- {}: {}\n", stage,
                         s.is_number() ? fmt::format("{:.2f}", s.get<double>()) : std::string("?"));
    }
  }
  out += "\n## Cost per stage (USD)\n\n";
  const Json& costs = Field(entry, "cost_by_stage");
  if (costs.is_object()) {
    for (const auto& [stage, c] : costs.items()) {
      const Json& usd = Field(c, "cost_usd");
      out += fmt::format("- {}: {} in {} calls\n", stage,
                         usd.is_number() ? fmt::format("{:.4f}", usd.get<double>()) : "?",
                         Text(Field(c, "calls")));
    }
  }
  return out;
}

}  // namespace

std::string DiagnosisLabel(std::string_view diagnosis) {
  size_t start = 0;
  while (start <= diagnosis.size()) {
    size_t end = diagnosis.find('\n', start);
    if (end == std::string_view::npos) end = diagnosis.size();
    std::string_view line = diagnosis.substr(start, end - start);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '*')) {
      line.remove_prefix(1);
    }
    if (line.substr(0, 6) == "LABEL:") {
      line.remove_prefix(6);
      while (!line.empty() && (line.front() == ' ' || line.front() == '*')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '*')) {
        line.remove_suffix(1);
      }
      return std::string(line);
    }
    start = end + 1;
  }
  return "";
}

Json DiagnosisLabels(const IterationContext& it, const Json& outcomes) {
  Json labels = Json::array();
  if (!outcomes.is_array()) return labels;
  for (const auto& o : outcomes) {
    const std::string task_id = Text(Field(o, "task_id"));
    Result<std::string> text = ReadFile(IterationLayout::Diagnosis(it.TaskDir(task_id)));
    if (!text.ok()) continue;
    labels.push_back(
        {{"task_id", task_id}, {"class", Field(o, "class")}, {"label", DiagnosisLabel(*text)}});
  }
  return labels;
}

std::string RenderIterationLog(const Json& entries) {
  std::string out = "# Iteration log\n";
  if (!entries.is_array()) return out;
  for (const auto& e : entries) {
    out += fmt::format("\n## Iteration {}\n\n", Text(Field(e, "iteration")));
    out += fmt::format("Batch: {}. Result: {} ({} before the patch; {} s, {}).\n",
                       BatchList(Field(e, "batch")), Text(Field(e, "result")), BeforePatch(e),
                       Number(Field(e, "duration_s")), Money(e));
    out += ValidationLine(e);
    if (std::string labels = LabelLines(e); !labels.empty()) out += "\nDiagnoses:\n\n" + labels;
    out += "\nTasks before the patch:\n\n" + OutcomeLines(e);
  }
  return out;
}

std::string RenderIterationSummary(const Json& entry) {
  std::string out = fmt::format("# Iteration {}\n\n", Text(Field(entry, "iteration")));
  out += fmt::format("- Batch: {}\n", BatchList(Field(entry, "batch")));
  out += fmt::format("- Result: {}\n", Text(Field(entry, "result")));
  out += fmt::format("- Before the patch: {}\n", BeforePatch(entry));
  out += fmt::format("- Failed: {}, contrastive: {}\n", Text(Field(entry, "n_failed")),
                     Text(Field(entry, "n_contrastive")));
  out += fmt::format("- Duration: {} s; cost: {}\n\n", Number(Field(entry, "duration_s")),
                     Money(entry));
  out += StageLines(entry);
  if (std::string labels = LabelLines(entry); !labels.empty()) {
    out += "\n## Diagnosis labels\n\n" + labels;
  }
  return out;
}

}  // namespace sg::optim
