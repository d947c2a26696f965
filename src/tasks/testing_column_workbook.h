// Test-only (include from *_test.cpp): a one-sheet workbook "Sheet1" whose column A holds the
// given numbers from A1 down, and a grading of such workbooks the way a run records it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "xlsx/xlsx_test_util.h"

namespace sg::tasks_testing {

inline bool WriteColumnWorkbook(const std::filesystem::path& path,
                                const std::vector<double>& values) {
  std::string rows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string r = std::to_string(i + 1);
    rows += "<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>" + std::to_string(values[i]) +
            "</v></c></row>";
  }
  xlsx_testing::TestWorkbook wb;
  wb.sheets = {{"Sheet1", "<sheetData>" + rows + "</sheetData>"}};
  return wb.Write(path);
}

// 1..n, and the same with every value from row `first_wrong` on raised by 1000.
inline std::vector<double> Counting(int n, int first_wrong = 0) {
  std::vector<double> values;
  for (int i = 1; i <= n; ++i)
    values.push_back(i + (first_wrong > 0 && i >= first_wrong ? 1000 : 0));
  return values;
}

}  // namespace sg::tasks_testing
