#include "optim/train_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

namespace sg::optim {

Result<bool> ParseProjection(std::string_view value) {
  if (value == "on") return true;
  if (value == "off") return false;
  return InvalidArgument("--projection " + std::string(value) + ": use on or off");
}

Status SetAblations(TrainOptions& options, std::string_view list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string name(list.substr(start, comma - start));
    if (name == "momentum") {
      options.ablate_momentum = true;
    } else if (name == "contrastive") {
      options.ablate_contrastive = true;
    } else if (name != "none") {
      return InvalidArgument("--ablate " + std::string(list) + ": \"" + name +
                             "\" is not an ablation; use momentum, contrastive, or both "
                             "separated by a comma");
    }
    start = comma + 1;
  }
  if (options.ablate_momentum) names.push_back("momentum");
  if (options.ablate_contrastive) names.push_back("contrastive");
  if (!names.empty() && options.common.config_tag.empty()) {
    options.common.config_tag = "ablate-" + fmt::format("{}", fmt::join(names, "-"));
  }
  return Ok();
}

Status TrainOptions::ValidateTrainFlags() const {
  if (n_train < 1) return InvalidArgument("--n-train must be at least 1");
  if (batch_size < 1) return InvalidArgument("--batch-size must be at least 1");
  if (n_iterations < 0) return InvalidArgument("--n-iterations cannot be negative");
  if (batch_seed && batch_schedule != BatchSchedule::kFixedUpdates) {
    return InvalidArgument(
        "--batch-seed seeds fixed-updates' epoch reshuffles; add --batch-schedule fixed-updates "
        "or drop --batch-seed");
  }
  if (batch_schedule == BatchSchedule::kFixedUpdates && n_iterations == 0) {
    return InvalidArgument("--batch-schedule fixed-updates needs --n-iterations N (N >= 1)");
  }
  if (!(alpha > 0 && alpha < 1)) {
    return InvalidArgument(
        fmt::format("--alpha {}: give a level between 0 and 1, e.g. 0.05", alpha));
  }
  if (val_rollouts < 1 || val_rollouts > 100) {
    return InvalidArgument(fmt::format(
        "--val-rollouts {}: give from 1 to 100 runs of each validation task", val_rollouts));
  }
  if (accept != AcceptMode::kValidate && (accept_rule != AcceptRule::kPoint || val_rollouts > 1)) {
    return InvalidArgument(
        "--accept-rule and --val-rollouts decide the validation of a patch: add --accept "
        "validate");
  }
  return Ok();
}

Result<AcceptRule> ParseAcceptRule(const std::string& name) {
  for (AcceptRule rule : {AcceptRule::kPoint, AcceptRule::kNotWorse, AcceptRule::kBetter}) {
    if (name == AcceptRuleName(rule)) return rule;
  }
  return InvalidArgument("--accept-rule " + name + ": use point, not-worse or better");
}

const char* AcceptRuleName(AcceptRule rule) {
  switch (rule) {
    case AcceptRule::kPoint:
      return "point";
    case AcceptRule::kNotWorse:
      return "not-worse";
    case AcceptRule::kBetter:
      return "better";
  }
  return "point";
}

Json TrainOptions::ToJson() const {
  Json json = common.ToJson();
  json["training_seed"] = training_seed;
  json["n_train"] = n_train;
  json["batch_size"] = batch_size;
  json["batch_schedule"] = batch_schedule == BatchSchedule::kEpoch ? "epoch" : "fixed-updates";
  json["n_iterations"] = n_iterations;
  json["batch_seed"] = batch_seed ? Json(*batch_seed) : Json();
  json["accept"] = accept == AcceptMode::kAlways ? "always" : "validate";
  if (accept == AcceptMode::kValidate) {
    json["accept_rule"] = AcceptRuleName(accept_rule);
    json["alpha"] = alpha;
    json["val_rollouts"] = val_rollouts;
  }
  json["early_stop_after"] = early_stop_after;
  json["projection"] = projection ? "on" : "off";
  Json ablate = Json::array();
  if (ablate_momentum) ablate.push_back("momentum");
  if (ablate_contrastive) ablate.push_back("contrastive");
  json["ablate"] = ablate;
  return json;
}

}  // namespace sg::optim
