// The seccomp filter every sandboxed tree runs under: it refuses, with EPERM, the system
// calls agent code has no use for and that widen the kernel's attack surface or reach
// other processes (ptrace, keyctl, bpf, module loading, reboot, mount, userfaultfd,
// io_uring, new user namespaces, ...). clone3 answers ENOSYS so that the C library falls
// back to clone, whose namespace flags the filter can inspect. bubblewrap installs the
// compiled program (`--seccomp FD`) just before it executes the command.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace sg::sandbox {

// Names of the system calls refused outright (for the docs and the escape tests).
const std::vector<std::string>& RefusedSyscalls();

// The filter compiled to a classic BPF program for this machine's architectures, in a
// sealed memory file positioned at its start; the caller owns the descriptor.
Result<int> CompiledSeccompFilter();

}  // namespace sg::sandbox
