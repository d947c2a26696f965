// `skillgrad grade wtq`: the WikiTableQuestions evaluator's verdict on answers.
//   --target T --prediction P   items separated by '|' (\p for a literal bar, \n, \\)
//   --batch FILE.jsonl          {"targets": [...], "predictions": [...], "target_canon"?}
// prints one JSON object per answer with "pass"; a batch line that cannot be read gets
// {"line": n, "error": ...}. Exit 0 when graded (single answer: 0 pass, 1 fail), 2 on bad
// usage or an unreadable file, 1 when some batch line had an error.
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "core/json.h"
#include "tasks/wtq_grade.h"
#include "tasks/wtq_value.h"

namespace sg::cli {
namespace {

Result<std::vector<std::string>> StringList(const Json& line, const char* field, bool required) {
  auto it = line.find(field);
  if (it == line.end() || it->is_null()) {
    if (required) return InvalidArgument(std::string("missing field \"") + field + "\"");
    return std::vector<std::string>{};
  }
  if (!it->is_array()) {
    return InvalidArgument(std::string("field \"") + field + "\" must be an array of strings");
  }
  std::vector<std::string> items;
  for (const Json& v : *it) {
    if (v.is_string()) {
      items.push_back(v.get<std::string>());
    } else if (v.is_number()) {
      items.push_back(v.dump());
    } else {
      return InvalidArgument(std::string("field \"") + field + "\" holds " + v.dump() +
                             "; use strings or numbers");
    }
  }
  return items;
}

Result<Json> GradeLine(const std::string& text) {
  SG_ASSIGN_OR_RETURN(Json line, ParseJson(text, "the line"));
  if (!line.is_object()) return InvalidArgument("the line must be a JSON object");
  SG_ASSIGN_OR_RETURN(auto targets, StringList(line, "targets", true));
  SG_ASSIGN_OR_RETURN(auto predictions, StringList(line, "predictions", true));
  SG_ASSIGN_OR_RETURN(auto canon, StringList(line, "target_canon", false));
  if (!canon.empty() && canon.size() != targets.size()) {
    return InvalidArgument("\"target_canon\" has " + std::to_string(canon.size()) +
                           " items but \"targets\" has " + std::to_string(targets.size()));
  }
  return tasks::wtq::GradeAnswer(targets, predictions, canon).details;
}

int RunBatch(const std::string& path) {
  std::ifstream in(path);
  if (!in) Fail(IoError("cannot read --batch " + path + "; give a JSONL file"));
  std::string text;
  int line_number = 0, errors = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto graded = GradeLine(text);
    if (graded.ok()) {
      std::cout << DumpJson(*graded) << "\n";
    } else {
      ++errors;
      std::cout << DumpJson({{"line", line_number},
                             {"error", path + ":" + std::to_string(line_number) + ": " +
                                           graded.error().message}})
                << "\n";
    }
  }
  return errors ? 1 : 0;
}

}  // namespace

void RegisterGradeWtq(CLI::App& grade) {
  struct Flags {
    std::string target, prediction, target_canon, batch;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = grade.add_subcommand(
      "wtq", "Grade WikiTableQuestions answers with the official evaluator's semantics");
  auto* target = cmd->add_option("--target", flags->target, "Target values separated by '|'");
  cmd->add_option("--prediction", flags->prediction, "Predicted values separated by '|'");
  cmd->add_option("--target-canon", flags->target_canon,
                  "The targets' CoreNLP values (targetCanon), separated by '|'");
  auto* batch = cmd->add_option("--batch", flags->batch,
                                "JSONL file: {\"targets\": [...], \"predictions\": [...], "
                                "\"target_canon\": [...]} per line");
  target->excludes(batch);
  cmd->callback([flags] {
    if (!flags->batch.empty()) ExitWith(RunBatch(flags->batch));
    if (flags->target.empty()) {
      Fail(InvalidArgument("give --target and --prediction, or --batch FILE.jsonl"));
    }
    using tasks::wtq::TsvUnescapeList;
    std::vector<std::string> canon;
    if (!flags->target_canon.empty()) canon = TsvUnescapeList(flags->target_canon);
    auto targets = TsvUnescapeList(flags->target);
    if (!canon.empty() && canon.size() != targets.size()) {
      Fail(InvalidArgument("--target-canon has " + std::to_string(canon.size()) +
                           " items but --target has " + std::to_string(targets.size())));
    }
    auto graded = tasks::wtq::GradeAnswer(targets, TsvUnescapeList(flags->prediction), canon);
    std::cout << DumpJson(graded.details) << "\n";
    ExitWith(graded.pass ? 0 : 1);
  });
}

}  // namespace sg::cli
