#include "run/prompt_library.h"

#include <gtest/gtest.h>

#include "core/file_util.h"
#include "core/testing.h"

namespace sg::run {
namespace {

PromptValues FullValues() {
  PromptValues values;
  for (const std::string& name : KnownPlaceholders()) values[name] = "<" + name + " value>";
  return values;
}

TEST(PromptLibrary, EveryPromptIsCompiledInAndRendersCompletely) {
  auto library = PromptLibrary::Load();
  ASSERT_TRUE(library.ok()) << library.error().ToString();
  EXPECT_EQ(library->Names().size(), PromptNames().size());
  for (const std::string& name : PromptNames()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(library->Origin(name), "built-in");
    auto text = library->Render(name, FullValues());
    ASSERT_TRUE(text.ok()) << text.error().ToString();
    EXPECT_EQ(text->find("{{"), std::string::npos);
    EXPECT_EQ(text->find("}}"), std::string::npos);
    // executor_task is the benchmark's task message alone: the method adds nothing to it.
    if (name != "executor_task") EXPECT_GT(text->size(), 100u);
  }
}

TEST(PromptLibrary, EmbeddedTextIsTheSourceFile) {
  auto library = PromptLibrary::Load();
  ASSERT_TRUE(library.ok());
  for (const std::string& name : PromptNames()) {
    auto file = ReadFile(sg::testing::SourceDir() / "prompts" / (name + ".md"));
    ASSERT_TRUE(file.ok()) << file.error().ToString();
    auto text = library->Text(name);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, *file) << name << ".md is stale in the binary; rebuild";
  }
}

TEST(PromptLibrary, PromptsUseTheirRoleInputs) {
  auto library = PromptLibrary::Load();
  ASSERT_TRUE(library.ok());
  auto uses = [&](const std::string& prompt, const std::string& placeholder) {
    auto list = library->Placeholders(prompt);
    return std::find(list.begin(), list.end(), placeholder) != list.end();
  };
  EXPECT_TRUE(uses("executor", "skills_list"));
  EXPECT_TRUE(uses("executor_task", "task_prompt"));
  EXPECT_TRUE(uses("failure_diagnoser_task", "comparison"));
  EXPECT_TRUE(uses("contrastive_diagnoser_task", "base_task_dir"));
  EXPECT_TRUE(uses("momentum_task", "momentum_record"));
  EXPECT_TRUE(uses("momentum_task", "diagnoses"));
  EXPECT_TRUE(uses("patcher_task", "overlay"));
  EXPECT_TRUE(uses("patcher_repair", "lint_violations"));
  for (const std::string& system :
       {"executor", "failure_diagnoser", "contrastive_diagnoser", "momentum", "patcher"}) {
    EXPECT_TRUE(uses(system, "domain")) << system;
  }
  // The terminal tools are named where they must be called.
  EXPECT_NE(library->Text("momentum")->find("submit_momentum"), std::string::npos);
  EXPECT_NE(library->Text("patcher")->find("submit_patch_report"), std::string::npos);
  EXPECT_NE(library->Text("patcher")->find(
                "Read references/<topic>.md when <trigger>. Skip when <near case>."),
            std::string::npos);
  EXPECT_NE(library->Text("failure_diagnoser")->find("LABEL:"), std::string::npos);
}

TEST(PromptLibrary, RenderSubstitutesOncePerOccurrence) {
  sg::testing::TempDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "executor_task.md",
                              "{{task_prompt}} / {{max_turns}} / {{task_prompt}}")
                  .ok());
  auto library = PromptLibrary::Load(dir.path());
  ASSERT_TRUE(library.ok()) << library.error().ToString();
  EXPECT_EQ(library->Origin("executor_task.md"), (dir.path() / "executor_task.md").string());
  EXPECT_EQ(library->Origin("executor"), "built-in");
  // Values are inserted verbatim, not expanded again.
  auto text =
      library->Render("executor_task", {{"task_prompt", "Q {{domain}}"}, {"max_turns", "7"}});
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text, "Q {{domain}} / 7 / Q {{domain}}");
}

TEST(PromptLibrary, MissingValueNamesThePlaceholder) {
  auto library = PromptLibrary::Load();
  ASSERT_TRUE(library.ok());
  PromptValues values = FullValues();
  values.erase("skills_list");
  auto text = library->Render("executor", values);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(text.error().message,
            "prompt executor.md (built-in) uses a placeholder but no value was given for "
            "skills_list");
  auto unknown = library->Render("planner", values);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no prompt named \"planner\""), std::string::npos);
}

TEST(PromptLibrary, OverrideWithUnknownPlaceholderFailsAtLoad) {
  sg::testing::TempDir dir;
  ASSERT_TRUE(
      WriteFileAtomic(dir.path() / "patcher.md", "line one\nfix {{skill_folder}} now\n").ok());
  auto library = PromptLibrary::Load(dir.path());
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.error().message.find((dir.path() / "patcher.md").string() +
                                         ":2: unknown placeholder {{skill_folder}}"),
            std::string::npos)
      << library.error().message;
  EXPECT_NE(library.error().message.find("known: domain, skills_list"), std::string::npos);
}

TEST(PromptLibrary, UnclosedPlaceholderFailsAtLoad) {
  auto scan = ScanPlaceholders("a\nb {{domain\n}}", "x.md");
  ASSERT_FALSE(scan.ok());
  EXPECT_NE(scan.error().message.find("x.md:2: \"{{\" is not closed"), std::string::npos)
      << scan.error().message;
  auto ok = ScanPlaceholders("{{domain}} {{iteration}} {{domain}}", "y.md");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<std::string>{"domain", "iteration"}));
}

TEST(PromptLibrary, OverrideDirectoryErrors) {
  sg::testing::TempDir dir;
  auto missing = PromptLibrary::Load(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("--prompts-dir"), std::string::npos);
  EXPECT_NE(missing.error().message.find("not a directory"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(dir.path() / "executer.md", "typo").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "notes.txt", "not a prompt, ignored").ok());
  auto typo = PromptLibrary::Load(dir.path());
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("executer.md does not replace any prompt"), std::string::npos)
      << typo.error().message;
}

}  // namespace
}  // namespace sg::run
