// Shared by the xlsx fuzz targets: a scratch file per process for the bytes under test
// (the reader opens paths), and the walk over everything a grader may read.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "xlsx/workbook.h"

namespace sg::fuzz {

// Removed when the process exits normally (libFuzzer's crash paths skip it: the file is
// in /dev/shm or the temporary folder, and named by the pid).
inline std::filesystem::path ScratchPath() {
  struct Scratch {
    std::filesystem::path path;
    ~Scratch() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  };
  static const Scratch scratch = [] {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::is_directory("/dev/shm", ec)
                                    ? std::filesystem::path("/dev/shm")
                                    : std::filesystem::temp_directory_path();
    return Scratch{dir / ("skillgrad-fuzz-" + std::to_string(::getpid()) + ".xlsx")};
  }();
  return scratch.path;
}

// Opens the workbook and parses every sheet, as the SpreadsheetBench grader does. Small
// limits keep a zip bomb from making the run slow rather than finding a bug.
inline void ReadWholeWorkbook(const std::filesystem::path& path) {
  xlsx::ZipLimits limits;
  limits.max_part_bytes = 8 << 20;
  limits.max_total_bytes = 32 << 20;
  limits.max_entries = 2000;
  auto workbook = xlsx::Workbook::Open(path, limits);
  if (!workbook.ok()) return;
  (void)(*workbook)->LoadAll();
  for (const std::string& name : (*workbook)->sheet_names()) (void)(*workbook)->Sheet(name);
}

}  // namespace sg::fuzz
