// What the LibreOffice child holds, seen through a stand-in soffice that records its
// environment and descriptors: no secret of the engine's, no stray descriptor.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/file_util.h"
#include "core/testing.h"
#include "core/unique_fd.h"
#include "xlsx/recalc.h"

namespace sg::xlsx {
namespace {

namespace fs = std::filesystem;

TEST(RecalcChild, SofficeGetsAScrubbedEnvironmentAndNoStrayDescriptors) {
  testing::TempDir dir;
  const fs::path env_file = dir.path() / "env.txt";
  const fs::path fds_file = dir.path() / "fds.txt";
  const fs::path soffice = dir.path() / "soffice";
  ASSERT_TRUE(WriteFileAtomic(soffice, "#!/bin/sh\nenv > '" + env_file.string() +
                                           "'\nls -l /proc/self/fd/ > '" + fds_file.string() +
                                           "'\necho conversion refused >&2\nexit 1\n")
                  .ok());
  ASSERT_EQ(::chmod(soffice.c_str(), 0755), 0);
  const fs::path input = dir.path() / "book.xlsx";
  ASSERT_TRUE(WriteFileAtomic(input, "not really a workbook").ok());
  const fs::path marker = dir.path() / "engine-only-descriptor";
  std::ofstream(marker) << "x";
  UniqueFd leaky(::open(marker.c_str(), O_RDONLY));  // no O_CLOEXEC, as a library might
  ASSERT_TRUE(leaky.valid());

  const char* names[] = {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY",
                         "SOME_SERVICE_API_KEY", "RECALC_TEST_TOKEN"};
  for (const char* name : names) ::setenv(name, "secret-value-for-the-recalc-test", 1);
  RecalcOptions options;
  options.soffice = soffice.string();
  auto recalculated = RecalculateWorkbook(input, options);
  for (const char* name : names) ::unsetenv(name);

  ASSERT_FALSE(recalculated.ok());
  EXPECT_NE(recalculated.error().message.find("conversion refused"), std::string::npos)
      << recalculated.error().message;
  std::string env = ReadFile(env_file).value_or("");
  std::string fds = ReadFile(fds_file).value_or("");
  ASSERT_FALSE(env.empty());
  ASSERT_FALSE(fds.empty());
  EXPECT_EQ(env.find("secret-value-for-the-recalc-test"), std::string::npos) << env;
  EXPECT_NE(env.find("HOME=" + fs::temp_directory_path().string()), std::string::npos) << env;
  EXPECT_EQ(fds.find("engine-only-descriptor"), std::string::npos) << fds;
}

}  // namespace
}  // namespace sg::xlsx
