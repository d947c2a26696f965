// The whole pipeline through the real binary: collect -> train -> eval on the wtq-mini
// benchmark against the scripted model of tests/data/e2e/scenarios/base.json, over loopback,
// with the real sandbox, tools and WTQ grader. The seed skill lacks the rule for numbers
// written with thousands separators; the patch adds it and the failing "total" questions pass.
// Every artifact of the results layout (DESIGN section 4) is checked for content.
#include <set>

#include "tests/e2e/e2e_harness.h"

namespace sg::e2e {
namespace {

// Sorted by position in the data, as the authors' split writes them.
const std::vector<std::string> kEvolution = {"nu-0", "nu-3", "nu-4", "nu-6", "nu-7", "nu-11"};
const std::vector<std::string> kFailurePool = {"nu-0", "nu-3", "nu-6", "nu-11"};
const std::vector<std::string> kTest = {"nu-1", "nu-2", "nu-8", "nu-9", "nu-10"};

// Applies `diff` with `patch -p1` inside a copy of `before` and returns the result's tree.
std::map<std::string, std::string> ApplyPatch(const fs::path& before, const std::string& diff,
                                              const fs::path& scratch) {
  fs::remove_all(scratch);
  fs::create_directories(scratch.parent_path());
  fs::copy(before, scratch, fs::copy_options::recursive);
  EXPECT_TRUE(WriteFileAtomic(scratch.parent_path() / "p.diff", diff).ok());
  std::string command = "cd '" + scratch.string() + "' && patch -s -p1 < '" +
                        (scratch.parent_path() / "p.diff").string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return TreeContents(scratch);
}

void ExpectNoSecret(const fs::path& results) {
  for (const auto& [path, content] : TreeContents(results)) {
    EXPECT_EQ(content.find("sk-e2e-dummy-key"), std::string::npos) << path << " holds the key";
  }
}

TEST(E2eTrain, CollectTrainEvalTurnsFailingTasksIntoPassingOnes) {
  testing::TempDir work;
  const fs::path results = work.path() / "results";
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);

  // ---- collect ----
  std::vector<std::string> collect_args = {"collect"};
  for (auto& a : CommonArgs(results)) collect_args.push_back(a);
  Outcome collect = RunSkillgrad(*mock, work.path(), collect_args);
  ASSERT_EQ(collect.exit_code, 0) << collect.output;
  EXPECT_NE(collect.output.find("failure pool: 4 of 6 tasks"), std::string::npos) << collect.output;
  const int64_t after_collect = mock->counters().requests;
  EXPECT_EQ(after_collect, 6 * 3);  // activate_skill, shell, submit_answer per task

  Json split = ReadJson(results / "splits/master_0_heldout_42/split.json");
  EXPECT_EQ(split["evolution_ids"], Json(kEvolution));
  EXPECT_EQ(split["val_ids"], Json({"nu-5"}));
  EXPECT_EQ(split["test_ids"], Json(kTest));

  const fs::path base = results / "base_trajectories/master_0_heldout_42/gpt-4o-mini";
  for (const auto& id : kEvolution) {
    SCOPED_TRACE(id);
    const bool fails =
        std::find(kFailurePool.begin(), kFailurePool.end(), id) != kFailurePool.end();
    Json assessment = ReadJson(base / id / "assessment.json");
    EXPECT_EQ(assessment["task_id"], id);
    EXPECT_EQ(assessment["pass"], !fails);
    EXPECT_EQ(assessment["graded"], true);
    EXPECT_EQ(assessment["stop_reason"], "terminal_tool") << assessment.dump();
    Json trajectory = ReadJson(base / id / "trajectory.json");
    EXPECT_EQ(trajectory["role"], "executor");
    std::string text = trajectory.dump();
    EXPECT_NE(text.find("activate_skill"), std::string::npos);
    EXPECT_NE(text.find("submit_answer"), std::string::npos);
  }
  // A failure's comparison names expected and actual values: the naive total kept 981 only.
  Json nu0 = ReadJson(base / "nu-0/assessment.json");
  EXPECT_EQ(nu0["submitted"], "981");
  EXPECT_NE(nu0["verdict"]["comparison"].get<std::string>().find("1171285"), std::string::npos)
      << nu0.dump();
  Json pool = ReadJson(base / "failure_pool.json");
  EXPECT_EQ(pool["failure_pool"], Json(kFailurePool));
  EXPECT_EQ(pool["evolution_ids"], Json(kEvolution));
  EXPECT_DOUBLE_EQ(pool["hard_accuracy"].get<double>(), 2.0 / 6.0);

  // ---- train: uses the base trajectories above (no second collect) ----
  Outcome train = RunSkillgrad(*mock, work.path(), TrainArgs(results));
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(train.output.find("status: completed"), std::string::npos) << train.output;
  EXPECT_EQ(train.output.find("running collect first"), std::string::npos) << train.output;
  const int64_t after_train = mock->counters().requests;
  // Two iterations: 2 x 3 executor calls, 2 diagnoses, 1 momentum call, 2 patcher calls.
  EXPECT_EQ(after_train - after_collect, 2 * (6 + 2 + 1 + 2));
  EXPECT_EQ(mock->counters().unmatched, 0);

  const fs::path run = results / "runs" / kRunId;
  Json config = ReadJson(run / "config.json");
  EXPECT_EQ(config["run_id"], kRunId);
  EXPECT_EQ(config["benchmark"], "wtq");
  EXPECT_EQ(config["batch_size"], 2);
  EXPECT_EQ(config["accept"], "always");
  EXPECT_EQ(config["models"]["patcher"], "gpt-4o-mini");
  EXPECT_NE(config["provider"]["base_url"].get<std::string>().find("127.0.0.1"), std::string::npos);
  // The caps and limits the run worked under are on record.
  EXPECT_EQ(config["limits"]["turn_caps"]["executor"], config["max_turns"]) << config.dump();
  EXPECT_EQ(config["limits"]["turn_caps"]["diagnoser"], 15);
  EXPECT_EQ(config["limits"]["turn_caps"]["patcher"], 20);
  EXPECT_EQ(config["limits"]["sandbox_limits"]["workspace_bytes"], 1ull << 30);

  Json train_set = ReadJson(run / "train/train_set.json");
  EXPECT_EQ(train_set["failure_pool"], Json(kFailurePool));
  std::vector<std::string> trained;
  ASSERT_EQ(train_set["batches"].size(), 2u) << train_set.dump();
  for (const auto& batch : train_set["batches"]) {
    EXPECT_EQ(batch.size(), 2u);
    for (const auto& id : batch) trained.push_back(id);
  }
  EXPECT_EQ(std::set<std::string>(trained.begin(), trained.end()),
            std::set<std::string>(kFailurePool.begin(), kFailurePool.end()));

  Json training = ReadJson(run / "train/training_results.json");
  ASSERT_EQ(training.size(), 2u) << training.dump();
  for (int t = 1; t <= 2; ++t) {
    SCOPED_TRACE("iteration " + std::to_string(t));
    const Json& it = training[t - 1];
    const fs::path iter = run / "train" / ("iter_" + std::to_string(t));
    EXPECT_EQ(it["iteration"], t);
    EXPECT_EQ(it["batch"], train_set["batches"][t - 1]);
    // Iteration 1 runs the seed skill (both fail); iteration 2 the patched one (both pass).
    EXPECT_EQ(it["batch_pass_rate"], t == 1 ? 0.0 : 1.0);
    for (const auto& outcome : it["outcomes"]) {
      EXPECT_EQ(outcome["class"], t == 1 ? "failed" : "contrastive");
    }
    EXPECT_EQ(it["momentum"]["accepted"], true) << it.dump();
    EXPECT_EQ(it["momentum"]["violations"], Json::array());
    EXPECT_EQ(it["patch"]["reported"], true);
    EXPECT_EQ(it["patch"]["repaired"], false);
    EXPECT_EQ(it["patch"]["changes"].size(), 1u);
    EXPECT_EQ(it["accepted"], true);
    for (const char* stage : {"execute", "diagnose", "momentum", "patch"}) {
      EXPECT_TRUE(it["cost_by_stage"].contains(stage)) << stage << ": " << it.dump();
      EXPECT_TRUE(it["seconds_by_stage"].contains(stage)) << stage << ": " << it.dump();
    }
    EXPECT_GT(it["run_cost_usd"].get<double>(), 0.0);
    EXPECT_EQ(it["pre_correct"], t == 1 ? 0 : 2);
    EXPECT_EQ(it["diagnosis_labels"].size(), 2u) << it.dump();
    EXPECT_GT(it["cost_usd"].get<double>(), 0.0);
    EXPECT_GE(it["duration_s"].get<double>(), 0.0);
    const std::string summary_md = ReadText(iter / "summary.md");
    EXPECT_NE(summary_md.find(t == 1 ? "numbers with thousands separators" : "separators stripped"),
              std::string::npos)
        << summary_md;

    for (const auto& id : it["batch"]) {
      const fs::path task = iter / id.get<std::string>();
      Json assessment = ReadJson(task / "assessment.json");
      EXPECT_EQ(assessment["pass"], t == 2);
      EXPECT_EQ(ReadJson(task / "trajectory.json")["role"], "executor");
      std::string diagnosis = ReadText(task / "diagnosis.md");
      EXPECT_EQ(diagnosis.rfind(t == 1 ? "LABEL: numbers with thousands separators"
                                       : "LABEL: separators stripped",
                                0),
                0u)
          << diagnosis;
      EXPECT_NE(ReadText(iter / "batch_diagnoses.md").find("## Task " + id.get<std::string>()),
                std::string::npos);
    }

    Json memory = ReadJson(iter / "momentum_memory.json");
    ASSERT_EQ(memory["patterns"].size(), 1u) << memory.dump();
    const Json& pattern = memory["patterns"][0];
    EXPECT_EQ(memory["iteration"], t);
    EXPECT_EQ(pattern["slug"], "separator-stripping");
    EXPECT_EQ(pattern["appeared_in"], t == 1 ? Json({1}) : Json({1, 2}));
    // Iteration 1's entry is the bootstrap agent's; iteration 2's is appended by the code
    // from the patch report.
    ASSERT_EQ(pattern["remedy_log"].size(), static_cast<size_t>(t)) << memory.dump();
    if (t == 2) {
      EXPECT_EQ(pattern["remedy_log"][1]["iteration"], 2);
      EXPECT_EQ(pattern["remedy_log"][1]["patched"], "Common Pitfalls: separator cells skipped");
    }
    EXPECT_NE(ReadText(iter / "momentum_memory.md").find("separator-stripping"), std::string::npos);
    Json overlay = ReadJson(iter / "momentum_overlay.json");
    EXPECT_EQ(overlay["iteration"], t);
    ASSERT_EQ(overlay["entries"].size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(overlay["entries"][i]["task_id"], it["batch"][i]);
      EXPECT_EQ(overlay["entries"][i]["signal"], t == 1 ? "failure" : "success");
    }
    EXPECT_NE(ReadText(iter / "momentum_overlay.md").find(it["batch"][0].get<std::string>()),
              std::string::npos);

    // patch.diff turns the snapshot of S_t into S_{t+1}.
    const fs::path snapshot = run / "train/snapshots" / ("iter_" + std::to_string(t));
    EXPECT_EQ(ReadText(snapshot / "table-qa/SKILL.md"),
              ReadText(t == 1 ? SeedSkills() / "table-qa/SKILL.md" : Expected("SKILL.v1.md")));
    auto patched = ApplyPatch(snapshot / "table-qa", ReadText(iter / "patch.diff"),
                              work.path() / "scratch" / "table-qa");
    EXPECT_EQ(patched["SKILL.md"], ReadText(Expected(t == 1 ? "SKILL.v1.md" : "SKILL.v2.md")));
    Json report = ReadJson(iter / "patch_report.json");
    EXPECT_EQ(report["changes"].size(), 1u) << report.dump();
  }

  const fs::path final_skill = run / "train/final_skill/table-qa";
  EXPECT_EQ(TreeContents(final_skill),
            (std::map<std::string, std::string>{{"SKILL.md", ReadText(Expected("SKILL.v2.md"))}}));
  Outcome lint = RunSkillgrad(*mock, work.path(), {"lint", final_skill.string()});
  EXPECT_EQ(lint.exit_code, 0) << lint.output;

  const std::string iteration_log = ReadText(run / "train/iteration_log.md");
  EXPECT_NE(iteration_log.find("## Iteration 1"), std::string::npos) << iteration_log;
  EXPECT_NE(iteration_log.find("## Iteration 2"), std::string::npos) << iteration_log;
  Json manifest = ReadJson(results / "manifest.json");
  EXPECT_EQ(manifest["runs"][kRunId]["status"], "completed") << manifest.dump();
  EXPECT_EQ(manifest["runs"][kRunId]["command"], "train");
  EXPECT_EQ(manifest["runs"][kRunId]["metrics"]["n_iterations"], 2) << manifest.dump();
  EXPECT_EQ(manifest["runs"][kRunId]["metrics"]["n_patched"], 2);
  EXPECT_EQ(ReadJson(run / "config.json")["metrics"]["train_status"], "completed");

  // ---- eval: the final skill passes every test task; the seed only the lookups ----
  Outcome eval = RunSkillgrad(*mock, work.path(), EvalArgs(results, kRunId));
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  const int64_t after_eval = mock->counters().requests;
  EXPECT_EQ(after_eval - after_train, 5 * 3);
  Json summary = ReadJson(run / "eval/summary.json");
  EXPECT_EQ(summary["tasks"], 5);
  EXPECT_EQ(summary["hard_accuracy"], 1.0) << summary.dump();
  EXPECT_EQ(summary["soft_accuracy"], 1.0);
  EXPECT_EQ(summary["mean_hard_graded"], 1.0);  // the paper's headline: passes over graded
  EXPECT_EQ(summary["n_graded"], 5);
  EXPECT_EQ(summary["n_total"], 5);
  EXPECT_EQ(summary["grader"], "skillgrad");
  ASSERT_EQ(summary["per_task"].size(), 5u);
  for (size_t i = 0; i < kTest.size(); ++i) {
    EXPECT_EQ(summary["per_task"][i]["task_id"], kTest[i]);
    EXPECT_EQ(summary["per_task"][i]["pass"], true);
    EXPECT_EQ(ReadJson(run / "eval" / kTest[i] / "trajectory.json")["role"], "executor");
  }
  EXPECT_EQ(summary["per_instruction_type"]["(none)"]["tasks"], 5);
  EXPECT_TRUE(summary["cost"].is_object()) << summary.dump();
  EXPECT_TRUE(summary["seconds"].is_number());
  EXPECT_EQ(ReadJson(run / "config.json")["metrics"]["test_hard"], 1.0);
  EXPECT_EQ(ReadJson(results / "manifest.json")["runs"][kRunId]["metrics"]["test_hard"], 1.0);

  Outcome seed_eval = RunSkillgrad(*mock, work.path(), EvalArgs(results, ""));
  ASSERT_EQ(seed_eval.exit_code, 0) << seed_eval.output;
  Json seed_summary = ReadJson(results / "runs/eval_gpt-4o-mini/eval/summary.json");
  EXPECT_DOUBLE_EQ(seed_summary["hard_accuracy"].get<double>(), 2.0 / 5.0) << seed_summary.dump();
  // Another skill evaluated as its own run with the same model does not reuse the seed's
  // results from that run's folder.
  const fs::path other = work.path() / "other-skills";
  fs::create_directories(other / "table-qa");
  ASSERT_TRUE(WriteFileAtomic(other / "table-qa/SKILL.md", ReadText(Expected("SKILL.v2.md"))).ok());
  std::vector<std::string> other_args = EvalArgs(results, "");
  for (size_t i = 0; i + 1 < other_args.size(); ++i) {
    if (other_args[i] == "--skills-dir") other_args[i + 1] = other.string();
  }
  const int64_t before_other = mock->counters().requests;
  Outcome other_eval = RunSkillgrad(*mock, work.path(), other_args);
  ASSERT_EQ(other_eval.exit_code, 0) << other_eval.output;
  EXPECT_EQ(ReadJson(results / "runs/eval_gpt-4o-mini/eval/summary.json")["hard_accuracy"], 1.0);
  // No call comes from the seed eval's cache: the skill list names each skill's location
  // (the method's metadata), so even the first call of a task differs.
  EXPECT_EQ(mock->counters().requests - before_other, 5 * 3);
  // Its cost is its own calls', not the seed eval's too (the run's ledger holds both).
  Json other_cost = ReadJson(results / "runs/eval_gpt-4o-mini/eval/summary.json")["cost"];
  EXPECT_NEAR(other_cost["cost_usd"].get<double>(), 5 * 3 * (0.0015 + 0.0006), 1e-9)
      << other_cost.dump();

  // ---- the ledger: one line per LLM call of the run, totals = the usage the mock sent ----
  std::vector<Json> ledger = JsonLines(run / "ledger.jsonl");
  EXPECT_EQ(static_cast<int64_t>(ledger.size()), after_eval - after_collect);
  int64_t input = 0, output = 0;
  double cost = 0;
  for (const auto& line : ledger) {
    EXPECT_EQ(line["cache_hit"], false);
    input += line["input_tokens"].get<int64_t>();
    output += line["output_tokens"].get<int64_t>();
    cost += line.value("cost_usd", 0.0);
  }
  EXPECT_EQ(input, 10000 * static_cast<int64_t>(ledger.size()));
  EXPECT_EQ(output, 1000 * static_cast<int64_t>(ledger.size()));
  // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens.
  EXPECT_NEAR(cost, ledger.size() * (0.0015 + 0.0006), 1e-9);
  EXPECT_EQ(JsonLines(base / "ledger.jsonl").size(), static_cast<size_t>(after_collect));

  ExpectNoSecret(results);
}

TEST(E2eTrain, ASeedThatPassesEveryEvolutionTaskIsTheFinalSkill) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  // The lookup questions only: the seed skill answers all of them.
  const fs::path data = work.path() / "lookups";
  fs::create_directories(data / "data");
  fs::copy(DataDir() / "csv", data / "csv", fs::copy_options::recursive);
  std::string tsv;
  std::string all = ReadText(DataDir() / "data/mini.tsv");
  for (size_t at = 0; at < all.size();) {
    size_t end = all.find('\n', at);
    std::string line = all.substr(at, end - at + 1);
    if (at == 0 || line.find("total") == std::string::npos) tsv += line;
    at = end + 1;
  }
  ASSERT_TRUE(WriteFileAtomic(data / "data/lookups.tsv", tsv).ok());
  const fs::path results = work.path() / "results";
  std::vector<std::string> args = TrainArgs(results);
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--data-dir") args[i + 1] = data.string();
  }
  Outcome train = RunSkillgrad(*mock, work.path(), args);
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(train.output.find("nothing to train on"), std::string::npos) << train.output;
  EXPECT_NE(train.output.find("status: completed"), std::string::npos) << train.output;
  const fs::path run = results / "runs" / kRunId;
  EXPECT_EQ(ReadJson(run / "train/train_set.json")["batches"], Json::array());
  EXPECT_EQ(TreeContents(run / "train/final_skill"), TreeContents(SeedSkills()));
  EXPECT_EQ(mock->counters().rule_uses["diag-failure"], 0);
}

TEST(E2eExec, RunsAndGradesOneTaskAndRedoesItInPlace) {
  testing::TempDir work;
  auto mock = StartMock();
  ASSERT_NE(mock, nullptr);
  const fs::path out = work.path() / "nu-0";
  std::vector<std::string> args = CommonArgs(work.path() / "results");
  args.insert(args.begin(), "exec");
  for (const char* a : {"--task", "nu-0", "--out"}) args.push_back(a);
  args.push_back(out.string());
  for (int run = 0; run < 2; ++run) {  // the second run replaces the first one's folder
    Outcome exec = RunSkillgrad(*mock, work.path(), args);
    ASSERT_EQ(exec.exit_code, 0) << exec.output;
    EXPECT_NE(exec.output.find("grade: fail"), std::string::npos) << exec.output;
    EXPECT_EQ(ReadJson(out / "assessment.json")["submitted"], "981");
    EXPECT_TRUE(fs::exists(out / "workspace/table.csv"));
  }
  // The second run asks the same questions: the response cache answers them.
  EXPECT_EQ(mock->counters().requests, 3);
}

}  // namespace
}  // namespace sg::e2e
