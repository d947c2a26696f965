#include "llm/cost_totals.h"

#include "core/json_fields.h"

namespace sg::llm {

Result<LedgerReadStats> CostTotals::Seed(const std::filesystem::path& path) {
  std::lock_guard<std::mutex> lock(mu_);
  SG_ASSIGN_OR_RETURN(LedgerReadStats read,
                      ReadLedger(path, [&](const Json& row) { AddLocked(row); }));
  summary_.read = read;
  return read;
}

void CostTotals::Add(const Json& row) {
  std::lock_guard<std::mutex> lock(mu_);
  AddLocked(row);
}

void CostTotals::AddLocked(const Json& row) {
  summary_.Add(row);
  const int iteration = static_cast<int>(IntField(row, "iteration", -1));
  by_iteration_stage_[{iteration, StringField(row, "stage")}].Add(row);
}

double CostTotals::RunCostUsd() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_.total.cost_usd;
}

LedgerTotals CostTotals::Total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_.total;
}

Json CostTotals::IterationByStage(int iteration) const {
  std::lock_guard<std::mutex> lock(mu_);
  Json by_stage = Json::object();
  for (auto it = by_iteration_stage_.lower_bound({iteration, std::string()});
       it != by_iteration_stage_.end() && it->first.first == iteration; ++it) {
    by_stage[it->first.second] = it->second.ToJson();
  }
  return by_stage;
}

std::map<std::string, LedgerTotals> CostTotals::ByRole() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_.by_role;
}

std::map<std::string, LedgerTotals> CostTotals::ByModel() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_.by_model;
}

std::map<std::string, LedgerTotals> CostTotals::ByStage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_.by_stage;
}

LedgerSummary CostTotals::Summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_;
}

LedgerReadStats CostTotals::seed_read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_.read;
}

}  // namespace sg::llm
