// One case per file in tests/data/cell_compare/: two values as openpyxl returns them and
// whether the official compare_cell_value() calls them equal (computed with CPython).
#include "tasks/cell_compare.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json.h"
#include "core/testing.h"
#include "xlsx/excel_date.h"

namespace sg::tasks {
namespace {

namespace fs = std::filesystem;
using xlsx::CellValue;
using xlsx::ValueKind;

CellValue FromCase(const Json& v) {
  std::string type = v["type"].get<std::string>();
  if (type == "number") return CellValue::Number(v["value"].get<double>());
  if (type == "str") return CellValue::String(v["value"].get<std::string>());
  if (type == "error") return CellValue::ErrorValue(v["value"].get<std::string>());
  if (type == "bool") return CellValue::Bool(v["value"].get<bool>());
  if (type == "timedelta_us") {
    return CellValue::Duration(v["value"].get<std::int64_t>());
  }
  if (type == "datetime" || type == "date" || type == "time") {
    std::string text = v["value"].get<std::string>();
    if (type == "datetime") text[10] = 'T';
    auto parsed = xlsx::FromIso8601(text.substr(0, type == "time" ? 8 : text.size()));
    EXPECT_TRUE(parsed.ok()) << text;
    CellValue c = *parsed;
    if (type == "time" && text.size() > 9) c.when.microsecond = std::stoi(text.substr(9));
    return c;
  }
  return CellValue();
}

TEST(CellCompareTest, DataDrivenCases) {
  fs::path dir = testing::SourceDir() / "tests" / "data" / "cell_compare";
  int cases = 0, matches = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Json c = Json::parse(std::ifstream(entry.path()));
    CellValue expected = FromCase(c["expected"]);
    CellValue actual = FromCase(c["actual"]);
    bool want = c["match"].get<bool>();
    EXPECT_EQ(CellValuesMatch(expected, actual), want) << c["why"];
    EXPECT_EQ(CellValuesMatch(actual, expected), want) << "symmetry: " << c["why"];
    ++cases;
    matches += want;
  }
  EXPECT_GE(cases, 40);
  EXPECT_GT(matches, 0);
  EXPECT_LT(matches, cases);
}

TEST(CellCompareTest, RendersValuesForDiagnosers) {
  EXPECT_EQ(CellValueToText(CellValue()), "empty");
  EXPECT_EQ(CellValueToText(CellValue::String("a\"b")), "\"a\\\"b\"");
  EXPECT_EQ(CellValueToText(CellValue::Number(2.5)), "2.5");
  EXPECT_EQ(CellValueToText(CellValue::Bool(true)), "TRUE");
  EXPECT_EQ(CellValueToJson(CellValue::Number(3)), Json(3.0));
  EXPECT_TRUE(CellValueToJson(CellValue()).is_null());
}

}  // namespace
}  // namespace sg::tasks
