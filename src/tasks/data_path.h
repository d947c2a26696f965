// Benchmark data that goes into an executor's workspace. A benchmark's records name their
// input files relative to its data directory, and the data is input this program did not
// write (a downloaded release, a hand-made folder): a record, or a file in the data, that
// points elsewhere must not carry a host file into the agent's workspace or its prompt.
// So a data file must be a regular file reached from the data directory through real
// folders only: no '..', no absolute path, no symbolic link at any component below the
// data directory (the data directory itself may be a link; the user chose it).
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.h"

namespace sg::tasks {

// Checks that `relative` names a regular file inside `data_dir` as described above and
// returns data_dir / relative. Errors (kPermission for a link or an escape, kNotFound for a
// missing file) name the task, the file and the component at fault.
Result<std::filesystem::path> ResolveDataFile(const std::filesystem::path& data_dir,
                                              const std::filesystem::path& relative,
                                              std::string_view task_id);

// Copies the file ResolveDataFile accepts to `dest` (its folder must exist; an existing
// `dest` is replaced, never followed). The check and the copy are one walk: every component
// is opened with O_NOFOLLOW relative to its parent folder, so a link swapped in after a
// check cannot redirect the copy.
Status CopyDataFile(const std::filesystem::path& data_dir, const std::filesystem::path& relative,
                    const std::filesystem::path& dest, std::string_view task_id);

}  // namespace sg::tasks
