// Grading one WikiTableQuestions answer: the evaluator's denotation check plus a report a
// diagnoser can read (each target and prediction as the evaluator sees it, and which
// targets found no match).
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::tasks::wtq {

struct AnswerGrade {
  bool pass = false;
  Json details;            // {"pass", "targets", "predictions", "target_values",
                           //  "prediction_values", "unmatched_targets"}
  std::string comparison;  // the same in plain text
};

// `target_canon` (the .tagged files' targetCanon) is optional: empty means parse the raw
// targets; otherwise it has one entry per target.
AnswerGrade GradeAnswer(const std::vector<std::string>& targets,
                        const std::vector<std::string>& predictions,
                        const std::vector<std::string>& target_canon = {});

// The answer items in a submit_answer payload: a JSON array of values, a string (items
// separated by '|'), a number, or an object with "answers" (array) or "answer" (string,
// array or number). Null or an empty object is an error saying no answer was submitted.
Result<std::vector<std::string>> AnswerItems(const Json& submitted);

}  // namespace sg::tasks::wtq
