// The method's metrics over a batch of assessments (run/run_tasks.h).
#include "run/run_tasks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sg::run {
namespace {

TaskAssessment Assessment(const std::string& id, bool pass, const char* status, Json cells) {
  TaskAssessment a;
  a.task_id = id;
  a.pass = pass;
  a.graded = std::string(status) != "error";
  a.json = Json{{"task_id", id}, {"status", status}, {"cell_accuracy", cells}};
  return a;
}

TEST(MethodMetricsTest, HeadlineIsPassesOverGradedTasksAndNoOutputCountsZeroOverAll) {
  const std::vector<TaskAssessment> batch = {
      Assessment("a", true, "graded", 1.0),
      Assessment("b", false, "graded", 0.5),
      Assessment("c", false, "no_output", 0.0),
      Assessment("d", false, "error", nullptr),
  };
  const Json m = MethodMetrics(batch);
  EXPECT_EQ(m["n_total"], 4);
  EXPECT_EQ(m["n_graded"], 2);
  EXPECT_EQ(m["n_pass_graded"], 1);
  EXPECT_DOUBLE_EQ(m["mean_hard_graded"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(m["mean_hard"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(m["mean_cell_accuracy"].get<double>(), 1.5 / 4);
  EXPECT_DOUBLE_EQ(m["mean_cell_graded"].get<double>(), 1.5 / 2);
}

TEST(MethodMetricsTest, NothingGradedGivesNullMeansNotZero) {
  const Json m = MethodMetrics({Assessment("a", false, "error", nullptr)});
  EXPECT_EQ(m["n_graded"], 0);
  EXPECT_TRUE(m["mean_hard_graded"].is_null());
  EXPECT_TRUE(m["mean_cell_accuracy"].is_null());
  EXPECT_DOUBLE_EQ(m["mean_hard"].get<double>(), 0.0);
}

}  // namespace
}  // namespace sg::run
