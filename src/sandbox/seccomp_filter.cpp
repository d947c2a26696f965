#include "sandbox/seccomp_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

namespace sg::sandbox {
namespace {

// Frees the libseccomp context on every path.
struct FilterContext {
  scmp_filter_ctx ctx = nullptr;
  ~FilterContext() {
    if (ctx) seccomp_release(ctx);
  }
};

Status Refuse(scmp_filter_ctx ctx, const std::string& name, int errno_value) {
  int nr = seccomp_syscall_resolve_name(name.c_str());
  if (nr == __NR_SCMP_ERROR) return Ok();  // not a system call on this architecture
  int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(errno_value), nr, 0);
  if (rc != 0 && rc != -EDOM) {
    return Error(ErrorCode::kInternal,
                 fmt::format("seccomp: cannot add a rule for {}: {}", name, strerror(-rc)));
  }
  return Ok();
}

// clone(2) and unshare(2) with CLONE_NEWUSER: a new user namespace would give agent code
// a full capability set over namespaces of its own (the usual first step of an escape).
Status RefuseNewUserNamespaces(scmp_filter_ctx ctx) {
  int rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                            SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
  // clone's flags are its first argument on x86-64 and arm64 (the second on s390).
  if (rc == 0) {
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                          SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
  }
  if (rc != 0) {
    return Error(ErrorCode::kInternal,
                 fmt::format("seccomp: cannot add the user namespace rules: {}", strerror(-rc)));
  }
  return Ok();
}

}  // namespace

const std::vector<std::string>& RefusedSyscalls() {
  static const std::vector<std::string> names = {
      // Other processes and the kernel's keyrings.
      "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "keyctl", "add_key",
      "request_key",
      // Kernel programs, tracing and performance counters.
      "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
      "io_uring_register", "lookup_dcookie", "fanotify_init",
      // Modules, kexec, reboot, swap, accounting, quotas, the clock.
      "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
      "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "settimeofday", "clock_settime",
      "clock_adjtime", "adjtimex", "syslog", "vhangup", "iopl", "ioperm",
      // Mounts and namespaces.
      "mount", "umount2", "pivot_root", "chroot", "setns", "open_tree", "move_mount", "fsopen",
      "fsconfig", "fsmount", "fspick", "mount_setattr",
      // File handles bypass the mount namespace.
      "open_by_handle_at", "name_to_handle_at",
      // Old or host-wide interfaces.
      "uselib", "nfsservctl", "_sysctl", "create_module", "get_kernel_syms", "query_module"};
  return names;
}

namespace {

Result<std::string> CompileProgram() {
  FilterContext filter;
  filter.ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!filter.ctx) return Error(ErrorCode::kInternal, "seccomp: cannot create a filter context");
  // Other ABIs of this machine (x32, 32-bit x86) are filtered too, not left open.
  for (uint32_t arch : {SCMP_ARCH_X86, SCMP_ARCH_X32}) {
    if (seccomp_arch_native() == SCMP_ARCH_X86_64) seccomp_arch_add(filter.ctx, arch);
  }
  for (const std::string& name : RefusedSyscalls()) {
    SG_RETURN_IF_ERROR(Refuse(filter.ctx, name, EPERM));
  }
  SG_RETURN_IF_ERROR(Refuse(filter.ctx, "clone3", ENOSYS));
  SG_RETURN_IF_ERROR(RefuseNewUserNamespaces(filter.ctx));

  int fd = memfd_create("skillgrad-seccomp-export", MFD_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kInternal, fmt::format("seccomp: memfd_create: {}", strerror(errno)));
  }
  int rc = seccomp_export_bpf(filter.ctx, fd);
  std::string program;
  off_t size = lseek(fd, 0, SEEK_END);
  if (rc == 0 && size > 0 && lseek(fd, 0, SEEK_SET) == 0) {
    program.resize(static_cast<size_t>(size));
    if (pread(fd, program.data(), program.size(), 0) != size) program.clear();
  }
  close(fd);
  if (program.empty()) {
    return Error(ErrorCode::kInternal,
                 fmt::format("seccomp: cannot export the filter: {}", strerror(rc ? -rc : EIO)));
  }
  return program;
}

}  // namespace

Result<int> CompiledSeccompFilter() {
  static const Result<std::string> program = CompileProgram();
  if (!program.ok()) return program.error();
  // A fresh file each time: bwrap reads it to the end, which moves a shared offset.
  int fd = memfd_create("skillgrad-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    return Error(ErrorCode::kInternal, fmt::format("seccomp: memfd_create: {}", strerror(errno)));
  }
  if (write(fd, program->data(), program->size()) != static_cast<ssize_t>(program->size()) ||
      lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    return Error(ErrorCode::kInternal, "seccomp: cannot write the filter to its memory file");
  }
  fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  return fd;
}

}  // namespace sg::sandbox
