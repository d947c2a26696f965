#include "xlsx/excel_date.h"

#include <gtest/gtest.h>

namespace sg::xlsx {
namespace {

std::string Duration(double serial) {
  CellValue v = FromExcelSerial(serial, /*epoch_1904=*/false, /*duration=*/true);
  return v.kind == ValueKind::kTimedelta ? v.ToPythonStr() : "error " + v.text;
}

TEST(ExcelDateTest, DurationsPrintAsPythonTimedeltas) {
  EXPECT_EQ(Duration(1.5), "1 day, 12:00:00");
  EXPECT_EQ(Duration(-0.25), "-1 day, 18:00:00");
  // 0.00864 s: openpyxl rounds a duration to whole milliseconds, half to even.
  EXPECT_EQ(Duration(1e-7), "0:00:00.009000");
}

TEST(ExcelDateTest, DurationsUpToPythonsLimitDoNotOverflow) {
  // Beyond 106751991 days a duration no longer fits in 64-bit microseconds; Python's
  // timedelta reaches 999999999 days.
  EXPECT_EQ(Duration(123456789), "123456789 days, 0:00:00");
  EXPECT_EQ(Duration(123456789.5), "123456789 days, 12:00:00");
  EXPECT_EQ(Duration(999999999), "999999999 days, 0:00:00");
  EXPECT_EQ(Duration(-999999999), "-999999999 days, 0:00:00");
  EXPECT_EQ(Duration(1e10), "error #VALUE!");
}

}  // namespace
}  // namespace sg::xlsx
