#include "sandbox/user_ids.h"

#include <unistd.h>

#include <fstream>

namespace sg::sandbox {
namespace {

// Maps `id` through an id map file ("inner outer count" per line); -1 when unmapped.
long MapId(const char* map_file, unsigned long id) {
  std::ifstream in(map_file);
  unsigned long inner = 0, outer = 0, count = 0;
  while (in >> inner >> outer >> count) {
    if (id >= inner && id - inner < count) return static_cast<long>(outer + (id - inner));
  }
  return -1;
}

}  // namespace

bool ShouldDropTo(uid_t uid, gid_t gid) {
  return geteuid() == 0 && MapId("/proc/self/uid_map", uid) >= 0 &&
         MapId("/proc/self/gid_map", gid) >= 0;
}

long OuterUid(uid_t inner) { return MapId("/proc/self/uid_map", inner); }

}  // namespace sg::sandbox
