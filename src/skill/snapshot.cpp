#include "skill/snapshot.h"

#include "core/temp_files.h"
#include "skill/resource_tree.h"

namespace sg::skill {
namespace fs = std::filesystem;

namespace {

bool IsInside(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  fs::path f = fs::weakly_canonical(folder, ec);
  auto [fi, pi] = std::mismatch(f.begin(), f.end(), p.begin(), p.end());
  return fi == f.end();
}

Status CopyFiles(const fs::path& from, const fs::path& to, const std::vector<std::string>& files) {
  std::error_code ec;
  for (const auto& rel : files) {
    fs::path src = from / rel;
    fs::path dst = to / rel;
    fs::create_directories(dst.parent_path(), ec);
    if (ec) return IoError("cannot create " + dst.parent_path().string() + ": " + ec.message());
    fs::copy_file(src, dst, fs::copy_options::overwrite_existing, ec);
    if (ec)
      return IoError("cannot copy " + src.string() + " to " + dst.string() + ": " + ec.message());
    fs::perms mode = fs::status(src, ec).permissions();
    if (!ec) fs::permissions(dst, mode, fs::perm_options::replace, ec);
    if (ec) return IoError("cannot set the mode of " + dst.string() + ": " + ec.message());
  }
  return Ok();
}

}  // namespace

Status SnapshotSkill(const fs::path& skill_dir, const fs::path& dest) {
  std::error_code ec;
  if (!fs::is_regular_file(skill_dir / "SKILL.md", ec)) {
    return NotFound("cannot snapshot " + skill_dir.string() +
                    ": it holds no SKILL.md (pass the skill's folder)");
  }
  if (IsInside(dest, skill_dir)) {
    return InvalidArgument("cannot snapshot " + skill_dir.string() + " into " + dest.string() +
                           ", which is inside it; choose a destination outside the skill");
  }
  SG_ASSIGN_OR_RETURN(std::vector<std::string> files, ListSkillFiles(skill_dir));
  fs::path parent = dest.parent_path();
  if (parent.empty()) parent = ".";
  fs::create_directories(parent, ec);
  if (ec) return IoError("cannot create " + parent.string() + ": " + ec.message());

  // Temporary names (temp_files.h) let a later run sweep what a killed one left here.
  fs::path staging = TempPathFor(parent / dest.filename());
  Status copied = CopyFiles(skill_dir, staging, files);
  if (!copied.ok()) {
    fs::remove_all(staging, ec);
    return copied;
  }
  // Keep the staging folder's own mode like the source folder's.
  fs::permissions(staging, fs::status(skill_dir, ec).permissions(), fs::perm_options::replace, ec);

  fs::path previous;
  if (fs::exists(dest, ec)) {
    previous = TempPathFor(parent / dest.filename());
    fs::rename(dest, previous, ec);
    if (ec) {
      fs::remove_all(staging, ec);
      return IoError("cannot replace " + dest.string() + ": " + ec.message());
    }
  }
  fs::rename(staging, dest, ec);
  if (ec) {
    std::string message = "cannot move the snapshot into " + dest.string() + ": " + ec.message();
    if (!previous.empty()) fs::rename(previous, dest, ec);
    fs::remove_all(staging, ec);
    return IoError(message);
  }
  if (!previous.empty()) fs::remove_all(previous, ec);
  return Ok();
}

}  // namespace sg::skill
