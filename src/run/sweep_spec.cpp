#include "run/sweep_spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/file_util.h"
#include "core/yaml_json.h"
#include "run/run_layout.h"

namespace sg::run {
namespace fs = std::filesystem;

namespace {

// Flags of train that collect and eval do not take.
const std::set<std::string>& TrainOnlyFlags() {
  static const std::set<std::string> flags = {
      "training-seed", "n-train",    "batch-size",  "batch-schedule", "n-iterations",
      "batch-seed",    "accept",     "accept-rule", "alpha",          "val-rollouts",
      "early-stop",    "projection", "ablate"};
  return flags;
}

// Flags the sweep sets itself, per run or from its own command line.
const std::set<std::string>& SweepOwnedFlags() {
  static const std::set<std::string> flags = {"config-tag",   "resume", "concurrency",
                                              "max-cost-usd", "force",  "run"};
  return flags;
}

Error FieldError(const fs::path& file, const std::string& field, const std::string& why) {
  return InvalidArgument(fmt::format("{}: {}: {}", file.string(), field, why));
}

bool IsFlagName(const std::string& name) {
  return !name.empty() && name[0] != '-' && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A flag's value as command-line words: true is the bare flag, false and null leave it out,
// a list is joined by commas.
Result<std::vector<std::string>> FlagWords(const std::string& name, const Json& value,
                                           const fs::path& file, const std::string& field) {
  if (value.is_null() || (value.is_boolean() && !value.get<bool>()))
    return std::vector<std::string>{};
  if (value.is_boolean()) return std::vector<std::string>{"--" + name};
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number_integer()) {
    text = std::to_string(value.get<int64_t>());
  } else if (value.is_number()) {
    text = value.dump();
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (!item.is_string() && !item.is_number()) {
        return FieldError(file, field, "a list value may hold only strings and numbers");
      }
      text +=
          (text.empty() ? "" : ",") + (item.is_string() ? item.get<std::string>() : item.dump());
    }
  } else {
    return FieldError(file, field, "a flag's value is a string, number, boolean or list");
  }
  return std::vector<std::string>{"--" + name, text};
}

// Checks a flags mapping (train:, eval:, or a grid element) and returns it.
Result<Json> FlagMap(const Json& map, const fs::path& file, const std::string& field,
                     bool allow_results_root) {
  if (map.is_null()) return Json::object();
  if (!map.is_object()) return FieldError(file, field, "expected a mapping of flag -> value");
  for (const auto& [name, value] : map.items()) {
    const std::string where = fmt::format("{}.{}", field, name);
    if (!IsFlagName(name)) {
      return FieldError(file, where,
                        "not a flag name: write train's flags without the leading --, in "
                        "lower case (batch-size: 2)");
    }
    if (SweepOwnedFlags().count(name) > 0) {
      return FieldError(file, where,
                        "the sweep sets this flag itself (--concurrency, --max-cost-usd and "
                        "--force go on the sweep's command line)");
    }
    if (name == "results-root" && !allow_results_root) {
      return FieldError(file, where, "give results-root once, under train:");
    }
  }
  return map;
}

// A grid value's piece of the run tag.
std::string TagPiece(const std::string& axis, const Json& value) {
  std::string text;
  if (value.is_object()) {
    text = value.contains(axis)
               ? (value[axis].is_string() ? value[axis].get<std::string>() : value[axis].dump())
               : "";
  } else {
    text = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return SafePathComponent(axis + "-" + text);
}

struct Axis {
  std::string name;
  std::vector<Json> values;
};

Result<std::vector<Axis>> ReadGrid(const Json& grid, const fs::path& file) {
  std::vector<Axis> axes;
  if (grid.is_null()) return axes;
  if (!grid.is_object()) return FieldError(file, "grid", "expected a mapping of flag -> list");
  for (const auto& [name, values] : grid.items()) {
    const std::string field = "grid." + name;
    if (!values.is_array() || values.empty()) {
      return FieldError(file, field, "expected a non-empty list of values");
    }
    Axis axis{name, {}};
    for (const auto& v : values) {
      auto checked = FlagMap(v.is_object() ? v : Json{{name, v}}, file, field, false);
      if (!checked.ok()) return checked.error();
      axis.values.push_back(v);
    }
    axes.push_back(std::move(axis));
  }
  return axes;
}

}  // namespace

Result<SweepSpec> ExpandSweep(const Json& doc, const fs::path& file) {
  if (!doc.is_object())
    return FieldError(file, "(top)", "expected a mapping with train: and grid:");
  for (const auto& [key, value] : doc.items()) {
    if (key != "name" && key != "train" && key != "grid" && key != "eval") {
      return FieldError(file, key, "unknown field: a sweep has name, train, grid and eval");
    }
  }
  SweepSpec spec;
  spec.file = file;
  spec.name = doc.contains("name") && doc["name"].is_string() ? doc["name"].get<std::string>()
                                                              : file.stem().string();
  SG_ASSIGN_OR_RETURN(Json train, FlagMap(doc.value("train", Json()), file, "train", true));
  SG_ASSIGN_OR_RETURN(std::vector<Axis> axes, ReadGrid(doc.value("grid", Json()), file));
  const bool evaluate = doc.contains("eval");
  SG_ASSIGN_OR_RETURN(Json eval, FlagMap(doc.value("eval", Json()), file, "eval", false));
  spec.results_root = train.value("results-root", std::string("results"));

  size_t total = 1;
  for (const auto& axis : axes) total *= axis.values.size();
  std::set<std::string> ids;
  for (size_t index = 0; index < total; ++index) {
    SweepRun run;
    Json flags = train;
    std::vector<std::string> pieces;
    size_t rest = index;
    for (size_t a = axes.size(); a-- > 0;) {  // the last axis (by name) varies fastest
      const Axis& axis = axes[a];
      const Json& value = axis.values[rest % axis.values.size()];
      rest /= axis.values.size();
      run.cell[axis.name] = value;
      if (value.is_object()) {
        for (const auto& [k, v] : value.items()) flags[k] = v;
      } else {
        flags[axis.name] = value;
      }
      pieces.insert(pieces.begin(), TagPiece(axis.name, value));
    }
    run.tag = pieces.empty() ? spec.name : fmt::format("{}", fmt::join(pieces, "_"));
    const std::string model = flags.value("executor-model", flags.value("model", std::string()));
    if (model.empty()) {
      return FieldError(file, "train.model",
                        "the sweep names each run by its executor model: give model (or "
                        "executor-model) under train: or grid:");
    }
    run.run_id = MakeRunId("skillgrad", model, run.tag);
    if (!ids.insert(run.run_id).second) {
      return FieldError(file, "grid", "two runs would share the id " + run.run_id);
    }
    run.train_args = {"train", "--config-tag", run.tag};
    run.collect_args = {"collect"};
    for (const auto& [name, value] : flags.items()) {
      SG_ASSIGN_OR_RETURN(std::vector<std::string> words,
                          FlagWords(name, value, file, "train." + name));
      run.train_args.insert(run.train_args.end(), words.begin(), words.end());
      if (TrainOnlyFlags().count(name) == 0) {
        run.collect_args.insert(run.collect_args.end(), words.begin(), words.end());
      }
    }
    if (evaluate) {
      run.eval_args = {"eval", "--run", run.run_id};
      // The run's own flags, less --skills-dir (eval takes the run's final skill) and --ids.
      for (size_t i = 1; i < run.collect_args.size(); ++i) {
        const std::string& word = run.collect_args[i];
        if (word == "--skills-dir" || word == "--ids") {
          ++i;
          continue;
        }
        run.eval_args.push_back(word);
      }
      for (const auto& [name, value] : eval.items()) {
        SG_ASSIGN_OR_RETURN(std::vector<std::string> words,
                            FlagWords(name, value, file, "eval." + name));
        run.eval_args.insert(run.eval_args.end(), words.begin(), words.end());
      }
    }
    if (std::find(spec.collects.begin(), spec.collects.end(), run.collect_args) ==
        spec.collects.end()) {
      spec.collects.push_back(run.collect_args);
    }
    spec.runs.push_back(std::move(run));
  }
  return spec;
}

Result<SweepSpec> LoadSweep(const fs::path& file) {
  SG_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  const YamlRead read = ReadYaml(text);
  if (!read.value) {
    return InvalidArgument(fmt::format("{}:{}:{}: not valid YAML: {}", file.string(),
                                       read.error_line, read.error_column, read.error));
  }
  return ExpandSweep(*read.value, file);
}

}  // namespace sg::run
