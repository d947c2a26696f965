// ProcessSandbox::Create refuses a workspace whose HOME or TMPDIR folder cannot be made,
// whichever of the two it is.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/file_util.h"
#include "core/testing.h"
#include "sandbox/process_sandbox.h"

namespace sg::sandbox {
namespace {

namespace fs = std::filesystem;

TEST(ProcessSandboxCreate, AnUncreatableHomeOrTmpFolderIsAnError) {
  for (const char* blocked : {".home", ".tmp"}) {
    SCOPED_TRACE(blocked);
    testing::TempDir ws;
    // A file where the folder must go: create_directories fails for this one only.
    ASSERT_TRUE(WriteFileAtomic(ws.path() / blocked, "not a folder").ok());
    SandboxConfig config;
    config.workspace = ws.path();
    config.backend = Backend::kNone;
    config.allow_unsafe = true;
    auto sandbox = ProcessSandbox::Create(config);
    ASSERT_FALSE(sandbox.ok());
    EXPECT_EQ(sandbox.error().code, ErrorCode::kIo) << sandbox.error().message;
    EXPECT_NE(sandbox.error().message.find(blocked), std::string::npos) << sandbox.error().message;
  }
}

}  // namespace
}  // namespace sg::sandbox
