// Resource limits applied to every process tree the sandbox starts. Wall time is not
// here: Sandbox::Run and SandboxedProcess::Exchange take it per call.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sg::sandbox {

struct Limits {
  // RLIMIT_AS of every process in the tree (each process on its own, not the sum).
  std::uint64_t address_space_bytes = 4ull << 30;
  // RLIMIT_CPU of every process: CPU seconds each process may use over its lifetime.
  std::uint64_t cpu_seconds = 600;
  // RLIMIT_FSIZE: the largest file any process may write.
  std::uint64_t file_size_bytes = 1ull << 30;
  // Tasks (processes and threads) in the tree: enforced by a pids cgroup when one can be
  // created, else by RLIMIT_NPROC (which the kernel ignores for root), else by a watcher.
  int max_processes = 128;
  // Memory of the whole tree (resident memory, its tmpfs files and page cache, no swap):
  // enforced by a memory cgroup where one can be created (the capabilities say whether).
  std::uint64_t tree_memory_bytes = 3ull << 30;
  // Sizes of the private tmpfs mounts under bubblewrap; /dev is otherwise read-only.
  std::uint64_t tmp_bytes = 512ull << 20;
  std::uint64_t dev_shm_bytes = 64ull << 20;
  // Total bytes the workspace may hold, inputs included: a hard limit where the sandbox can
  // mount a tmpfs for it (workspace_volume.h; the capabilities say whether it does).
  std::uint64_t workspace_bytes = 1ull << 30;
  // Bytes kept of each of stdout and stderr (half from the head, half from the tail).
  std::size_t output_cap_bytes = std::size_t{32} * 1024;
};

}  // namespace sg::sandbox
