// Small helpers the per-tree cgroups (pids_cgroup.h, memory_cgroup.h) share: reading and
// writing a cgroup file, this process's own cgroup path, and sweeping the empty cgroups a
// dead process left behind.
#pragma once

#include <filesystem>
#include <string>

namespace sg::sandbox {

// The whole content of a small file ("" when unreadable).
std::string ReadCgroupFile(const std::filesystem::path& path);
// Writes `text` to an existing file with one write(2); false when refused.
bool WriteCgroupFile(const std::filesystem::path& path, const std::string& text);

// This process's cgroup path from /proc/self/cgroup: for the v1 hierarchy holding
// `controller`, or the v2 one ("0::/path") when `controller` is empty.
std::string OwnCgroupPath(const std::string& controller);

// Removes the cgroups under `base` named <prefix><pid>-<n> whose <pid> no longer exists;
// rmdir refuses a cgroup that still has members, so a live tree is never touched.
void RemoveStaleCgroups(const std::filesystem::path& base, const std::string& prefix);

}  // namespace sg::sandbox
