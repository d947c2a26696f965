#include "llm/ledger_totals.h"

#include "core/json_fields.h"

namespace sg::llm {

void LedgerTotals::Add(const Json& row) {
  ++calls;
  if (row.contains("error")) ++failed_calls;
  if (BoolField(row, "cache_hit")) ++cache_hits;
  input_tokens += IntField(row, "input_tokens");
  cached_input_tokens += IntField(row, "cached_input_tokens");
  output_tokens += IntField(row, "output_tokens");
  reasoning_tokens += IntField(row, "reasoning_tokens");
  auto cost = row.find("cost_usd");
  if (cost != row.end() && cost->is_number()) {
    cost_usd += cost->get<double>();
  } else if (!row.contains("error")) {
    ++calls_without_cost;
  }
  if (auto it = row.find("latency_ms"); it != row.end() && it->is_number())
    latency_ms += it->get<double>();
}

Json LedgerTotals::ToJson() const {
  return {{"calls", calls},
          {"failed_calls", failed_calls},
          {"cache_hits", cache_hits},
          {"input_tokens", input_tokens},
          {"cached_input_tokens", cached_input_tokens},
          {"output_tokens", output_tokens},
          {"reasoning_tokens", reasoning_tokens},
          {"cost_usd", cost_usd},
          {"calls_without_cost", calls_without_cost},
          {"latency_ms", latency_ms}};
}

void LedgerSummary::Add(const Json& row) {
  total.Add(row);
  by_role[StringField(row, "role")].Add(row);
  by_model[StringField(row, "model")].Add(row);
  by_stage[StringField(row, "stage")].Add(row);
}

Json LedgerSummary::ToJson() const {
  auto group = [](const std::map<std::string, LedgerTotals>& m) {
    Json j = Json::object();
    for (const auto& [k, v] : m) j[k] = v.ToJson();
    return j;
  };
  return {{"total", total.ToJson()},
          {"by_role", group(by_role)},
          {"by_model", group(by_model)},
          {"by_stage", group(by_stage)}};
}

Result<LedgerSummary> SummarizeLedger(const std::filesystem::path& path, uintmax_t from_byte) {
  LedgerSummary summary;
  SG_ASSIGN_OR_RETURN(summary.read,
                      ReadLedger(
                          path, [&](const Json& row) { summary.Add(row); }, from_byte));
  return summary;
}

}  // namespace sg::llm
