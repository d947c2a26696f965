// The renderers of the iteration log and summary (optim/iteration_record.cpp) on entries as
// RECORD writes them and on damaged ones: a missing field renders as "?", never a throw.
#include "optim/iteration_record.h"

#include <gtest/gtest.h>

#include <string>

namespace sg::optim {
namespace {

TEST(DiagnosisLabelTest, FindsTheFirstLabelLineWhateverItsEmphasis) {
  EXPECT_EQ(DiagnosisLabel("LABEL: keys compared without trimming\nrest"),
            "keys compared without trimming");
  EXPECT_EQ(DiagnosisLabel("intro\n  **LABEL:** wrote to the input file  \r\nLABEL: second"),
            "wrote to the input file");
  EXPECT_EQ(DiagnosisLabel("no label here\nlabel: lower case is not one"), "");
  EXPECT_EQ(DiagnosisLabel(""), "");
  EXPECT_EQ(DiagnosisLabel("LABEL:"), "");
}

Json TwoIterations() {
  return Json::parse(R"([
    {"iteration": 1, "batch": ["a", "b"], "result": "patched", "pre_correct": 0,
     "pre_soft_accuracy": 0.125, "n_failed": 2, "n_contrastive": 0, "duration_s": 12.5,
     "cost_usd": 0.0125, "calls_without_cost": 0,
     "seconds_by_stage": {"execute": 10.0, "patch": 2.5},
     "cost_by_stage": {"execute": {"cost_usd": 0.01, "calls": 4},
                       "patch": {"cost_usd": 0.0025, "calls": 1}},
     "diagnosis_labels": [{"task_id": "a", "class": "failed", "label": "wrong sheet"},
                          {"task_id": "b", "class": "failed", "label": ""}],
     "outcomes": [{"task_id": "a", "pass": false, "score": 0.25, "cell_accuracy": 0.25,
                   "match_count": 1, "total_count": 4, "status": "graded"},
                  {"task_id": "b", "pass": false, "score": 0, "cell_accuracy": 0,
                   "match_count": 0, "total_count": 3, "status": "no_output"}],
     "validation": {"decision": "kept", "before_hard_accuracy": 0.5,
                    "after_hard_accuracy": 0.6}},
    {"iteration": 2, "batch": ["c"], "result": "all_correct", "pre_correct": 1,
     "pre_soft_accuracy": 1.0, "duration_s": 3, "cost_usd": 0, "calls_without_cost": 2,
     "diagnosis_labels": [], "validation": null,
     "outcomes": [{"task_id": "c", "pass": true, "score": 1.0, "total_count": null}]}
  ])");
}

TEST(IterationLogTest, OneParagraphPerIterationWithCountsLabelsAndCells) {
  const std::string log = RenderIterationLog(TwoIterations());
  EXPECT_EQ(log.rfind("# Iteration log\n", 0), 0u) << log;
  EXPECT_NE(log.find("Batch: a, b. Result: patched (0 of 2 passed, mean score 0.125 before the "
                     "patch; 12.500 s, $0.0125)."),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("Validation: kept (hard accuracy 0.500 before, 0.600 after)."),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("- a (failed): wrong sheet\n"), std::string::npos) << log;
  EXPECT_NE(log.find("- b (failed): (no LABEL line)\n"), std::string::npos) << log;
  EXPECT_NE(log.find("- b: fail, cell accuracy 0.000 (0/3 cells), no_output\n"), std::string::npos)
      << log;
  EXPECT_NE(log.find("## Iteration 2"), std::string::npos) << log;
  EXPECT_NE(log.find("$0.0000 (+2 calls of unknown price)"), std::string::npos) << log;
  EXPECT_NE(log.find("- c: pass, score 1.000\n"), std::string::npos) << log;
  EXPECT_LT(log.find("## Iteration 1"), log.find("## Iteration 2"));
}

TEST(IterationSummaryTest, NamesStagesTheirTimeAndCostAndTheLabels) {
  const std::string page = RenderIterationSummary(TwoIterations()[0]);
  EXPECT_EQ(page.rfind("# Iteration 1\n", 0), 0u) << page;
  EXPECT_NE(page.find("- execute: 10.00\n"), std::string::npos) << page;
  EXPECT_NE(page.find("- patch: 0.0025 in 1 calls\n"), std::string::npos) << page;
  EXPECT_NE(page.find("- Failed: 2, contrastive: 0\n"), std::string::npos) << page;
  EXPECT_NE(page.find("## Diagnosis labels\n\n- a (failed): wrong sheet\n"), std::string::npos)
      << page;
}

TEST(IterationLogTest, DamagedEntriesRenderWithGapsNotAThrow) {
  EXPECT_EQ(RenderIterationLog(Json::object()), "# Iteration log\n");
  const std::string log = RenderIterationLog(Json::parse(R"([{}, 3, {"outcomes": "x"}])"));
  EXPECT_NE(log.find("## Iteration ?"), std::string::npos) << log;
  const std::string page = RenderIterationSummary(Json("not an entry"));
  EXPECT_NE(page.find("# Iteration ?"), std::string::npos) << page;
}

}  // namespace
}  // namespace sg::optim
