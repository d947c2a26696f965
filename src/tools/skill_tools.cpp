#include "tools/skill_tools.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <utility>

#include "tools/path_policy.h"
#include "tools/tool_args.h"

namespace sg::tools {
namespace fs = std::filesystem;
namespace {

using Skills = std::shared_ptr<const std::vector<skill::SkillPackage>>;

std::string KnownNames(const std::vector<skill::SkillPackage>& skills) {
  std::string names;
  for (const auto& s : skills) names += (names.empty() ? "" : ", ") + SkillName(s);
  return names.empty() ? "(none)" : names;
}

const skill::SkillPackage* FindSkill(const std::vector<skill::SkillPackage>& skills,
                                     const std::string& name) {
  for (const auto& s : skills) {
    if (SkillName(s) == name || s.root.filename().string() == name) return &s;
  }
  return nullptr;
}

// The skill names as a JSON enum, so that the model can only name a skill that exists.
Json NameSchema(const std::vector<skill::SkillPackage>& skills, const char* description) {
  Json names = Json::array();
  for (const auto& s : skills) names.push_back(SkillName(s));
  Json schema = {{"type", "string"}, {"description", description}};
  if (!names.empty()) schema["enum"] = std::move(names);
  return schema;
}

// The skill's folder as the sandboxed agent sees it (the skills folder is bound read-only at
// its canonical path).
std::string FolderOf(const skill::SkillPackage& skill) {
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(skill.root, ec), ec);
  return (ec ? fs::absolute(skill.root) : dir).lexically_normal().string();
}

class ActivateSkillTool : public Tool {
 public:
  ActivateSkillTool(Skills skills, SkillToolOptions options)
      : skills_(std::move(skills)), options_(options) {}
  std::string name() const override { return "activate_skill"; }
  std::string description() const override {
    return "Activate a skill by name (available: " + KnownNames(*skills_) +
           "). Returns its SKILL.md instructions, the skill's folder and a listing of the "
           "files in it, which read_reference loads on demand. Call it before writing any "
           "code.";
  }
  Json parameters() const override {
    return {{"type", "object"},
            {"properties", {{"name", NameSchema(*skills_, "the name of the skill to activate")}}},
            {"required", {"name"}}};
  }
  ToolOutput Invoke(const Json& args) override {
    auto name = RequiredString(args, "activate_skill", "name");
    if (!name.ok()) return ErrorOutput(name.error());
    const skill::SkillPackage* skill = FindSkill(*skills_, *name);
    if (!skill) {
      return ErrorOutput(fmt::format("activate_skill: no skill named '{}'; available: {}", *name,
                                     KnownNames(*skills_)));
    }
    const std::string folder = FolderOf(*skill);
    std::string listing;
    for (const std::string& entry : ListSkillFolder(*skill, options_.max_listed_resources)) {
      listing += entry + "\n";
    }
    std::string out = fmt::format(
        "<activated_skill name=\"{0}\" folder=\"{1}\">\n"
        "The instructions below are expert guidance for this kind of task: give them priority "
        "over your general defaults and follow them for the rest of the task.\n\n"
        "<instructions>\n{2}{3}</instructions>\n\n"
        "<resources>\n{4}</resources>\n\n"
        "Relative paths in the instructions (references/..., scripts/...) are relative to the "
        "skill folder {1}: load a file with read_reference, or use its full path from the "
        "shell (e.g. python3 {1}/scripts/<name>.py).\n"
        "</activated_skill>",
        SkillName(*skill), folder, skill->body,
        !skill->body.empty() && skill->body.back() != '\n' ? "\n" : "", listing);
    ToolOutput result = TextOutput(out);
    result.payload = {{"skill", SkillName(*skill)}, {"folder", folder}};
    return result;
  }

 private:
  Skills skills_;
  SkillToolOptions options_;
};

class ReadReferenceTool : public Tool {
 public:
  ReadReferenceTool(Skills skills, SkillToolOptions options)
      : skills_(std::move(skills)), options_(options) {}
  std::string name() const override { return "read_reference"; }
  std::string description() const override {
    return fmt::format(
        "Load one file of a skill (e.g. references/guide.md): the worked examples, edge "
        "cases and full code that SKILL.md keeps brief. Give the skill's name and a path "
        "relative to its folder. When SKILL.md points to a reference for an operation your "
        "task needs, read it before writing code. Files over {} bytes are refused.",
        options_.max_reference_bytes);
  }
  Json parameters() const override {
    return {{"type", "object"},
            {"properties",
             {{"skill", NameSchema(*skills_, "the skill whose folder holds the file")},
              {"path", {{"type", "string"}, {"description", "path inside the skill folder"}}}}},
            {"required", {"skill", "path"}}};
  }
  ToolOutput Invoke(const Json& args) override {
    auto name = RequiredString(args, "read_reference", "skill");
    if (!name.ok()) return ErrorOutput(name.error());
    auto path = RequiredString(args, "read_reference", "path");
    if (!path.ok()) return ErrorOutput(path.error());
    const skill::SkillPackage* skill = FindSkill(*skills_, *name);
    if (!skill) {
      return ErrorOutput(fmt::format("read_reference: no skill named '{}'; available: {}", *name,
                                     KnownNames(*skills_)));
    }
    if (!path->empty() && (*path)[0] == '/') {
      return ErrorOutput(fmt::format(
          "read_reference: '{}' is absolute; give a path relative to the folder of skill '{}'",
          *path, SkillName(*skill)));
    }
    auto policy = PathPolicy::Create({Root{skill->root, false}});
    if (!policy.ok()) return ErrorOutput(policy.error());
    auto resolved = policy->Resolve(*path, Access::kRead);
    if (!resolved.ok()) {
      return ErrorOutput(
          fmt::format("read_reference: '{}' must stay inside the folder of skill "
                      "'{}'; {}",
                      *path, SkillName(*skill), resolved.error().message));
    }
    auto fd = policy->Open(*resolved, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (!fd.ok()) return ErrorOutput("read_reference: " + fd.error().message);
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      close(*fd);
      return ErrorOutput(fmt::format("read_reference: '{}' is not a file of skill '{}'", *path,
                                     SkillName(*skill)));
    }
    if (static_cast<std::size_t>(st.st_size) > options_.max_reference_bytes) {
      close(*fd);
      return ErrorOutput(
          fmt::format("read_reference: '{}' is {} bytes, over the {} byte cap for references",
                      *path, st.st_size, options_.max_reference_bytes));
    }
    bool truncated = false;
    auto data = ReadFd(*fd, options_.max_reference_bytes, &truncated);
    if (!data.ok()) return ErrorOutput(data.error());
    if (truncated) {
      return ErrorOutput(fmt::format("read_reference: '{}' is over the {} byte cap", *path,
                                     options_.max_reference_bytes));
    }
    if (auto hint = BinaryFileHint(*path, std::string_view(*data).substr(0, 8192))) {
      return ErrorOutput(fmt::format("read_reference: {} (the file is at {})", *hint,
                                     resolved->absolute.string()));
    }
    return TextOutput(*data);
  }

 private:
  Skills skills_;
  SkillToolOptions options_;
};

}  // namespace

std::string SkillName(const skill::SkillPackage& skill) {
  if (!skill.header.name.empty()) return skill.header.name;
  return skill.root.filename().string();
}

std::string RenderSkillsList(const std::vector<skill::SkillPackage>& skills) {
  std::string out;
  for (const auto& s : skills) {
    std::string description = s.header.description;
    for (char& c : description) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out += fmt::format("- name: {}\n  description: {}\n  location: {}\n", SkillName(s),
                       description.empty() ? "(no description)" : description,
                       (fs::path(FolderOf(s)) / "SKILL.md").string());
  }
  return out;
}

std::vector<std::string> ListSkillFolder(const skill::SkillPackage& skill,
                                         std::size_t max_entries) {
  // (depth, path): sorting the pairs gives the breadth-first order.
  std::set<std::pair<std::size_t, std::string>> entries = {{1, "SKILL.md"}};
  for (const std::string& file : skill.resources) {
    std::size_t depth = 1;
    for (std::size_t slash = file.find('/'); slash != std::string::npos;
         slash = file.find('/', slash + 1)) {
      entries.insert({depth++, file.substr(0, slash + 1)});
    }
    entries.insert({depth, file});
  }
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    if (out.size() == max_entries) {
      out.push_back(fmt::format("... ({} more entries not listed)", entries.size() - max_entries));
      break;
    }
    out.push_back(entry.second);
  }
  return out;
}

std::unique_ptr<Tool> MakeActivateSkillTool(Skills skills, SkillToolOptions options) {
  return std::make_unique<ActivateSkillTool>(std::move(skills), options);
}

std::unique_ptr<Tool> MakeReadReferenceTool(Skills skills, SkillToolOptions options) {
  return std::make_unique<ReadReferenceTool>(std::move(skills), options);
}

void AddSkillTools(ToolSet& tools, std::vector<skill::SkillPackage> skills,
                   SkillToolOptions options) {
  auto shared = std::make_shared<const std::vector<skill::SkillPackage>>(std::move(skills));
  tools.Add(MakeActivateSkillTool(shared, options));
  tools.Add(MakeReadReferenceTool(shared, options));
}

}  // namespace sg::tools
