// Hands the workspace to the uid agent code runs as. When the orchestrator is root the tree
// runs as an unprivileged uid (wrap_command.h), so the files the orchestrator put in the
// workspace (task inputs, write_file results) must become that uid's before each call.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "core/error.h"

namespace sg::sandbox {

// Changes the owner of `root` and everything under it to uid:gid, without following a
// symlink anywhere (each directory is opened relative to its parent with O_NOFOLLOW, so a
// link planted by agent code cannot redirect the walk to a host path). Hard-linked regular
// files (st_nlink > 1) are left alone. Stops with an error after `max_entries` entries.
Status HandOverTree(const std::filesystem::path& root, uid_t uid, gid_t gid,
                    size_t max_entries = 200000);

}  // namespace sg::sandbox
