// The main() of a fuzz target in builds without libFuzzer: runs LLVMFuzzerTestOneInput once on
// every regular file of the folders (or files) named on the command line, in name order, so a
// plain or sanitized build replays the seed corpus and every crash ever found. Exit 0 when
// every input ran; a crash of the target under test is the failure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
namespace fs = std::filesystem;

bool RunFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz replay: cannot read %s\n", path.c_str());
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int ran = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path arg = argv[i];
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) {
      if (!RunFile(arg)) return 1;
      ++ran;
      continue;
    }
    if (!fs::is_directory(arg, ec)) continue;  // a target without regression cases yet
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(arg, ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (!RunFile(file)) return 1;
      ++ran;
    }
  }
  if (ran == 0) {
    std::fprintf(stderr, "fuzz replay: no input found in the folders given\n");
    return 1;
  }
  std::printf("fuzz replay: %d inputs ran\n", ran);
  return 0;
}
