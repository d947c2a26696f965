// Which uid agent code runs as. An orchestrator running as uid 0 drops the tree to an
// unprivileged uid, which must exist in its user namespace: under `unshare -Ur` only uid 0
// is mapped, and there uid 0 is the unprivileged user who made the namespace.
#pragma once

#include <sys/types.h>

namespace sg::sandbox {

// True when this process is uid 0 and both ids are mapped in its user namespace, so that
// the sandbox can (and must) drop the tree to them.
bool ShouldDropTo(uid_t uid, gid_t gid);

// The uid that `inner` (a uid of this process's user namespace) is in the parent user
// namespace, per /proc/self/uid_map; -1 when it is not mapped.
long OuterUid(uid_t inner);

}  // namespace sg::sandbox
