#include "tasks/split.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/json.h"
#include "core/py_random.h"

namespace sg::tasks {
namespace {

constexpr size_t kReferenceTasks = 400;
constexpr size_t kReferenceHeldOut = 200;
constexpr size_t kReferenceEvolution = 200;
constexpr size_t kReferenceVal = 20;

std::string Count(size_t n, const char* noun) { return std::to_string(n) + " " + noun; }

struct SplitSizes {
  size_t heldout = 0, evolution = 0, val = 0, test = 0;
};

Result<SplitSizes> Sizes(size_t n, const SplitOptions& options) {
  SplitSizes s;
  const bool reference_size = n >= kReferenceTasks;
  s.heldout = options.n_heldout.value_or(reference_size ? kReferenceHeldOut : (n + 1) / 2);
  if (s.heldout > n) {
    return InvalidArgument("--n-heldout " + std::to_string(s.heldout) + " asks for more than the " +
                           Count(n, "valid tasks") + "; lower it");
  }
  s.evolution = options.n_evolution.value_or(reference_size ? kReferenceEvolution : n - s.heldout);
  if (s.heldout + s.evolution > n) {
    return InvalidArgument("the split asks for " + Count(s.heldout, "held-out") + " + " +
                           Count(s.evolution, "evolution tasks") + " but the benchmark has " +
                           Count(n, "valid tasks") + "; lower --n-heldout or --n-evolution");
  }
  size_t default_val = reference_size && !options.n_heldout ? kReferenceVal : s.heldout / 10;
  if (default_val == 0 && s.heldout >= 2) default_val = 1;
  s.val = options.n_val.value_or(default_val);
  if (s.val > s.heldout) {
    return InvalidArgument("--n-val " + std::to_string(s.val) + " is more than the " +
                           Count(s.heldout, "held-out tasks") + "; lower it");
  }
  const size_t pool = s.heldout - s.val;
  s.test = options.n_test.value_or(pool);
  if (s.test > pool) {
    return InvalidArgument(
        "--n-test " + std::to_string(s.test) + " is more than the test pool of " +
        Count(pool, "tasks") + " (" + Count(n, "valid tasks") + ", " + std::to_string(s.heldout) +
        " held out, " + std::to_string(s.val) + " for validation); lower --n-test");
  }
  return s;
}

std::vector<size_t> SortedCopy(std::vector<size_t>::const_iterator begin,
                               std::vector<size_t>::const_iterator end) {
  std::vector<size_t> out(begin, end);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<Split> MakeSplit(const std::vector<SplitTask>& valid, const SplitOptions& options) {
  const size_t n = valid.size();
  if (n == 0) return InvalidArgument("the benchmark has no valid tasks to split");
  std::set<std::string> seen;
  std::map<size_t, std::string> id_at;
  for (const SplitTask& task : valid) {
    if (!seen.insert(task.id).second) {
      return InvalidArgument("task id '" + task.id +
                             "' appears twice among the valid tasks; ids must be unique");
    }
    if (!id_at.emplace(task.position, task.id).second) {
      return InvalidArgument("tasks '" + id_at[task.position] + "' and '" + task.id +
                             "' share the data position " + std::to_string(task.position));
    }
  }
  SG_ASSIGN_OR_RETURN(SplitSizes sizes, Sizes(n, options));

  // The authors shuffle the list of positions; the permutation depends only on the length,
  // and the positions are what the sets are sorted by.
  std::vector<size_t> order;
  order.reserve(n);
  for (const SplitTask& task : valid) order.push_back(task.position);
  PyRandom master(options.master_seed);
  master.Shuffle(order);
  std::vector<size_t> heldout(order.begin(), order.begin() + sizes.heldout);
  PyRandom heldout_rng(options.heldout_seed);
  heldout_rng.Shuffle(heldout);

  Split split;
  split.master_seed = options.master_seed;
  split.heldout_seed = options.heldout_seed;
  split.n_valid_tasks = n;
  const auto evolution_begin = order.begin() + sizes.heldout;
  split.evolution_indices = SortedCopy(evolution_begin, evolution_begin + sizes.evolution);
  split.val_indices = SortedCopy(heldout.begin(), heldout.begin() + sizes.val);
  split.test_pool_indices.assign(heldout.begin() + sizes.val, heldout.end());
  split.test_indices =
      SortedCopy(split.test_pool_indices.begin(), split.test_pool_indices.begin() + sizes.test);
  auto ids = [&](const std::vector<size_t>& positions) {
    std::vector<std::string> out;
    out.reserve(positions.size());
    for (size_t p : positions) out.push_back(id_at.at(p));
    return out;
  };
  split.evolution_ids = ids(split.evolution_indices);
  split.val_ids = ids(split.val_indices);
  split.test_ids = ids(split.test_indices);
  split.test_pool_ids = ids(split.test_pool_indices);
  return split;
}

Json Split::ToJson() const {
  Json json = Json::object();
  json["master_seed"] = master_seed;
  json["heldout_seed"] = heldout_seed;
  json["n_valid_tasks"] = n_valid_tasks;
  json["n_evolution"] = evolution_ids.size();
  json["n_val"] = val_ids.size();
  json["n_test"] = test_ids.size();
  json["evolution_ids"] = evolution_ids;
  json["val_ids"] = val_ids;
  json["test_ids"] = test_ids;
  json["test_pool_ids"] = test_pool_ids;
  json["data_dir"] = data_dir;
  json["honor_exclude"] = honor_exclude;
  json["n_excluded"] = n_excluded;
  Json suspects = Json::array();
  for (const SuspectTask& s : suspect_tasks) {
    suspects.push_back({{"id", s.id}, {"reason", s.reason}});
  }
  json["suspect_tasks"] = std::move(suspects);
  // Positions are written when they are known: one per id.
  auto positions = [&json](const char* field, const std::vector<size_t>& indices,
                           const std::vector<std::string>& ids) {
    if (indices.size() == ids.size()) json[field] = indices;
  };
  positions("evolution_indices", evolution_indices, evolution_ids);
  positions("val_indices", val_indices, val_ids);
  positions("test_indices", test_indices, test_ids);
  positions("test_pool_indices", test_pool_indices, test_pool_ids);
  return json;
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
  // Positions are optional (a split written by hand may have none), but when a list is there
  // it must be one position per id.
  auto positions = [&](const char* field, size_t expected, std::vector<size_t>& out) -> Status {
    auto it = json.find(field);
    if (it == json.end() || it->is_null()) return Ok();
    if (!it->is_array() || it->size() != expected ||
        !std::all_of(it->begin(), it->end(),
                     [](const Json& p) { return p.is_number_unsigned(); })) {
      return ParseError(what + ": field '" + field + "' must list one position (a number >= 0) " +
                        "per id; fix it or remove it");
    }
    out = it->get<std::vector<size_t>>();
    return Ok();
  };
  SG_RETURN_IF_ERROR(ids("evolution_ids", split.evolution_ids));
  SG_RETURN_IF_ERROR(ids("val_ids", split.val_ids));
  SG_RETURN_IF_ERROR(ids("test_ids", split.test_ids));
  SG_RETURN_IF_ERROR(ids("test_pool_ids", split.test_pool_ids));
  SG_RETURN_IF_ERROR(
      positions("evolution_indices", split.evolution_ids.size(), split.evolution_indices));
  SG_RETURN_IF_ERROR(positions("val_indices", split.val_ids.size(), split.val_indices));
  SG_RETURN_IF_ERROR(positions("test_indices", split.test_ids.size(), split.test_indices));
  SG_RETURN_IF_ERROR(
      positions("test_pool_indices", split.test_pool_ids.size(), split.test_pool_indices));
  split.master_seed = json.value("master_seed", int64_t{0});
  split.heldout_seed = json.value("heldout_seed", int64_t{42});
  split.n_valid_tasks = json.value("n_valid_tasks", size_t{0});
  split.data_dir = json.value("data_dir", std::string());
  split.honor_exclude = json.value("honor_exclude", false);
  split.n_excluded = json.value("n_excluded", size_t{0});
  if (auto it = json.find("suspect_tasks"); it != json.end() && it->is_array()) {
    for (const Json& s : *it) {
      if (!s.is_object() || !s.contains("id") || !s["id"].is_string()) {
        return ParseError(what +
                          ": each of 'suspect_tasks' must be {\"id\": ..., \"reason\": ...}");
      }
      split.suspect_tasks.push_back({s["id"].get<std::string>(), s.value("reason", "")});
    }
  }
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
