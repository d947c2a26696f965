#include "optim/train_options.h"

#include <string>

namespace sg::optim {

Result<bool> ParseProjection(std::string_view value) {
  if (value == "on") return true;
  if (value == "off") return false;
  return InvalidArgument("--projection " + std::string(value) + ": use on or off");
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
  return Ok();
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
  json["early_stop_after"] = early_stop_after;
  json["projection"] = projection ? "on" : "off";
  return json;
}

}  // namespace sg::optim
