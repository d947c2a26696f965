#include "tasks/split.h"

#include <algorithm>
#include <set>

#include "core/json.h"
#include "core/py_random.h"

namespace sg::tasks {
namespace {

constexpr size_t kReferenceTasks = 400;
constexpr size_t kReferenceHeldOut = 200;
constexpr size_t kReferenceEvolution = 200;

std::string Count(size_t n, const char* noun) { return std::to_string(n) + " " + noun; }

}  // namespace

Result<Split> MakeSplit(const std::vector<std::string>& valid_ids, const SplitOptions& options) {
  const size_t n = valid_ids.size();
  std::set<std::string> seen;
  for (const std::string& id : valid_ids) {
    if (!seen.insert(id).second) {
      return InvalidArgument("task id '" + id +
                             "' appears twice among the valid tasks; ids must be unique");
    }
  }
  if (n == 0) return InvalidArgument("the benchmark has no valid tasks to split");

  const bool reference_size = n >= kReferenceTasks;
  size_t n_heldout = options.n_heldout.value_or(reference_size ? kReferenceHeldOut : (n + 1) / 2);
  if (n_heldout > n) {
    return InvalidArgument("--n-heldout " + std::to_string(n_heldout) + " asks for more than the " +
                           Count(n, "valid tasks") + "; lower it");
  }
  size_t n_evolution =
      options.n_evolution.value_or(reference_size ? kReferenceEvolution : n - n_heldout);
  if (n_heldout + n_evolution > n) {
    return InvalidArgument("the split asks for " + Count(n_heldout, "held-out") + " + " +
                           Count(n_evolution, "evolution tasks") + " but the benchmark has " +
                           Count(n, "valid tasks") + "; lower --n-heldout or --n-evolution");
  }
  // A tenth of the held-out tasks: the reference's 20 of 200.
  size_t default_val = n_heldout / 10;
  if (default_val == 0 && n_heldout >= 2) default_val = 1;
  size_t n_val = options.n_val.value_or(default_val);
  if (n_val > n_heldout) {
    return InvalidArgument("--n-val " + std::to_string(n_val) + " is more than the " +
                           Count(n_heldout, "held-out tasks") + "; lower it");
  }
  size_t pool_size = n_heldout - n_val;
  size_t n_test = options.n_test.value_or(pool_size);
  if (n_test > pool_size) {
    return InvalidArgument("--n-test " + std::to_string(n_test) +
                           " is more than the test pool of " + Count(pool_size, "tasks") + " (" +
                           Count(n, "valid tasks") + ", " + std::to_string(n_heldout) +
                           " held out, " + std::to_string(n_val) +
                           " for validation); lower --n-test");
  }

  std::vector<std::string> order = valid_ids;
  PyRandom master(options.master_seed);
  master.Shuffle(order);
  std::vector<std::string> heldout(order.begin(), order.begin() + n_heldout);

  Split split;
  split.master_seed = options.master_seed;
  split.heldout_seed = options.heldout_seed;
  split.n_valid_tasks = n;
  split.evolution_ids.assign(order.begin() + n_heldout, order.begin() + n_heldout + n_evolution);
  std::sort(split.evolution_ids.begin(), split.evolution_ids.end());

  PyRandom heldout_rng(options.heldout_seed);
  heldout_rng.Shuffle(heldout);
  split.val_ids.assign(heldout.begin(), heldout.begin() + n_val);
  split.test_pool_ids.assign(heldout.begin() + n_val, heldout.end());
  split.test_ids.assign(split.test_pool_ids.begin(), split.test_pool_ids.begin() + n_test);
  return split;
}

Json Split::ToJson() const {
  return {{"master_seed", master_seed},
          {"heldout_seed", heldout_seed},
          {"n_valid_tasks", n_valid_tasks},
          {"evolution_ids", evolution_ids},
          {"val_ids", val_ids},
          {"test_ids", test_ids},
          {"test_pool_ids", test_pool_ids}};
}

Result<Split> Split::FromJson(const Json& json, const std::string& what) {
  if (!json.is_object()) return ParseError(what + ": a split must be a JSON object");
  Split split;
  auto ids = [&](const char* field, std::vector<std::string>& out) -> Status {
    auto it = json.find(field);
    if (it == json.end() || !it->is_array()) {
      return ParseError(what + ": field '" + field + "' must be an array of task ids");
    }
    for (const auto& id : *it) {
      if (id.is_string()) {
        out.push_back(id.get<std::string>());
      } else if (id.is_number_integer()) {
        out.push_back(std::to_string(id.get<int64_t>()));
      } else {
        return ParseError(what + ": field '" + field + "' holds a non-string id " + id.dump());
      }
    }
    return Ok();
  };
  SG_RETURN_IF_ERROR(ids("evolution_ids", split.evolution_ids));
  SG_RETURN_IF_ERROR(ids("val_ids", split.val_ids));
  SG_RETURN_IF_ERROR(ids("test_ids", split.test_ids));
  SG_RETURN_IF_ERROR(ids("test_pool_ids", split.test_pool_ids));
  split.master_seed = json.value("master_seed", int64_t{0});
  split.heldout_seed = json.value("heldout_seed", int64_t{42});
  split.n_valid_tasks = json.value("n_valid_tasks", size_t{0});
  return split;
}

std::filesystem::path SplitPath(const std::filesystem::path& results_root, int64_t master_seed,
                                int64_t heldout_seed) {
  return results_root / "splits" /
         ("master_" + std::to_string(master_seed) + "_heldout_" + std::to_string(heldout_seed)) /
         "split.json";
}

Result<std::filesystem::path> WriteSplit(const std::filesystem::path& results_root,
                                         const Split& split) {
  auto path = SplitPath(results_root, split.master_seed, split.heldout_seed);
  SG_RETURN_IF_ERROR(WriteJsonFile(path, split.ToJson()));
  return path;
}

Result<Split> ReadSplit(const std::filesystem::path& path) {
  SG_ASSIGN_OR_RETURN(auto json, ReadJsonFile(path));
  return Split::FromJson(json, path.string());
}

}  // namespace sg::tasks
