#include "tasks/wtq_grade.h"

#include "tasks/wtq_value.h"

namespace sg::tasks::wtq {
namespace {

std::string ScalarText(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();  // shortest text that reads back the same number
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::vector<std::string> SplitBars(const std::string& s) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    size_t bar = s.find('|', start);
    items.push_back(s.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return items;
}

}  // namespace

AnswerGrade GradeAnswer(const std::vector<std::string>& targets,
                        const std::vector<std::string>& predictions,
                        const std::vector<std::string>& target_canon) {
  std::vector<Value> target_values =
      ToValueList(targets, target_canon.empty() ? nullptr : &target_canon);
  std::vector<Value> prediction_values = ToValueList(predictions);
  AnswerGrade grade;
  grade.pass = CheckDenotation(target_values, prediction_values);

  Json described_targets = Json::array();
  Json described_predictions = Json::array();
  Json unmatched = Json::array();
  for (const Value& t : target_values) {
    described_targets.push_back(t.Describe());
    bool matched = false;
    for (const Value& p : prediction_values) matched = matched || t.Matches(p);
    if (!matched) unmatched.push_back(t.Describe());
  }
  for (const Value& p : prediction_values) described_predictions.push_back(p.Describe());
  grade.details = {{"pass", grade.pass},
                   {"targets", targets},
                   {"predictions", predictions},
                   {"target_values", described_targets},
                   {"prediction_values", described_predictions},
                   {"unmatched_targets", unmatched}};
  if (!target_canon.empty()) grade.details["target_canon"] = target_canon;

  std::string text = grade.pass ? "PASS" : "FAIL";
  text += ": expected " + std::to_string(target_values.size()) + " distinct value(s), got " +
          std::to_string(prediction_values.size()) + "\n";
  for (const auto& t : described_targets) text += "  expected " + t.get<std::string>() + "\n";
  for (const auto& p : described_predictions) text += "  answered " + p.get<std::string>() + "\n";
  for (const auto& u : unmatched) text += "  no answer matches " + u.get<std::string>() + "\n";
  grade.comparison = text;
  return grade;
}

Result<std::vector<std::string>> AnswerItems(const Json& submitted) {
  const Json* payload = &submitted;
  if (submitted.is_object()) {
    if (submitted.contains("answers")) {
      payload = &submitted["answers"];
    } else if (submitted.contains("answer")) {
      payload = &submitted["answer"];
    } else {
      return InvalidArgument(
          "no answer submitted: the submit_answer payload has neither \"answer\" nor "
          "\"answers\"");
    }
  }
  if (payload->is_null()) return InvalidArgument("no answer submitted");
  if (payload->is_string()) return SplitBars(payload->get<std::string>());
  if (payload->is_array()) {
    std::vector<std::string> items;
    for (const auto& item : *payload) items.push_back(ScalarText(item));
    return items;
  }
  if (payload->is_number() || payload->is_boolean()) {
    return std::vector<std::string>{ScalarText(*payload)};
  }
  return InvalidArgument("the submitted answer is " + payload->dump() +
                         "; give a string, a number or an array of them");
}

}  // namespace sg::tasks::wtq
