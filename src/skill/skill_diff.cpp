#include "skill/skill_diff.h"

#include <fmt/format.h>

#include <set>

#include "skill/resource_tree.h"
#include "skill/skill_file.h"
#include "skill/unified_diff.h"

namespace sg::skill {
namespace fs = std::filesystem;

namespace {

// Permission bits as git records them: 0755 when the owner may execute, else 0644.
unsigned FileMode(const fs::path& path) {
  std::error_code ec;
  fs::perms perms = fs::status(path, ec).permissions();
  if (ec) return 0644;
  return (perms & fs::perms::owner_exec) != fs::perms::none ? 0755 : 0644;
}

// One file of a skill folder, under the cap of its kind (skill_file.h).
Result<std::string> ReadForDiff(const fs::path& root, const std::string& path) {
  return path == "SKILL.md" ? ReadSkillMd(root / path) : ReadSkillResource(root / path);
}

}  // namespace

const char* FileChangeName(FileChange change) {
  switch (change) {
    case FileChange::kAdded:
      return "added";
    case FileChange::kDeleted:
      return "deleted";
    case FileChange::kModified:
      return "modified";
  }
  return "modified";
}

Result<std::vector<FileDiff>> DiffSkillFolders(const fs::path& old_dir, const fs::path& new_dir,
                                               int context) {
  for (const fs::path& dir : {old_dir, new_dir}) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return NotFound("cannot diff skill folders: " + dir.string() + " is not a folder");
    }
  }
  SG_ASSIGN_OR_RETURN(std::vector<std::string> old_files, ListSkillFiles(old_dir));
  SG_ASSIGN_OR_RETURN(std::vector<std::string> new_files, ListSkillFiles(new_dir));
  std::set<std::string> old_set(old_files.begin(), old_files.end());
  std::set<std::string> new_set(new_files.begin(), new_files.end());
  std::set<std::string> all = old_set;
  all.insert(new_set.begin(), new_set.end());

  std::vector<FileDiff> diffs;
  for (const auto& path : all) {
    FileDiff diff;
    diff.path = path;
    bool in_old = old_set.count(path) > 0;
    bool in_new = new_set.count(path) > 0;
    std::string old_text, new_text;
    if (in_old) {
      SG_ASSIGN_OR_RETURN(old_text, ReadForDiff(old_dir, path));
    }
    if (in_new) {
      SG_ASSIGN_OR_RETURN(new_text, ReadForDiff(new_dir, path));
    }
    unsigned old_mode = in_old ? FileMode(old_dir / path) : 0;
    unsigned new_mode = in_new ? FileMode(new_dir / path) : 0;
    if (in_old && in_new && old_text == new_text && old_mode == new_mode) continue;
    diff.change = !in_old   ? FileChange::kAdded
                  : !in_new ? FileChange::kDeleted
                            : FileChange::kModified;
    // A git-style first line delimits each file and carries what a plain unified diff
    // cannot: creation of empty files and file modes. patch(1) understands it.
    diff.text = fmt::format("diff --git a/{0} b/{0}\n", path);
    if (diff.change == FileChange::kAdded) {
      diff.text += fmt::format("new file mode 100{:03o}\n", new_mode);
    } else if (diff.change == FileChange::kDeleted) {
      diff.text += fmt::format("deleted file mode 100{:03o}\n", old_mode);
    } else if (old_mode != new_mode) {
      diff.text += fmt::format("old mode 100{:03o}\nnew mode 100{:03o}\n", old_mode, new_mode);
    }
    std::string old_label = in_old ? "a/" + path : "/dev/null";
    std::string new_label = in_new ? "b/" + path : "/dev/null";
    DiffCounts counts;
    diff.text += UnifiedDiff(old_text, new_text, old_label, new_label, context, &counts);
    diff.binary = LooksBinary(old_text) || LooksBinary(new_text);
    diff.added_lines = counts.added;
    diff.removed_lines = counts.removed;
    diffs.push_back(std::move(diff));
  }
  return diffs;
}

std::string JoinDiffs(const std::vector<FileDiff>& diffs) {
  std::string out;
  for (const auto& d : diffs) out += d.text;
  return out;
}

}  // namespace sg::skill
