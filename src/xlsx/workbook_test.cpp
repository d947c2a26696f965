// Value typing, one case per file in tests/data/xlsx/ (expected values were produced by
// openpyxl loading the same cell with data_only=True), and workbook structure.
#include "xlsx/workbook.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json.h"
#include "core/testing.h"
#include "xlsx/xlsx_test_util.h"

namespace sg::xlsx {
namespace {

namespace fs = std::filesystem;

std::string XmlAttr(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "&quot;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* ExpectedTypeName(const CellValue& v) {
  return v.kind == ValueKind::kError ? "str" : v.PythonTypeName();  // openpyxl: a str
}

TEST(WorkbookTest, ValueTypingCasesMatchOpenpyxl) {
  fs::path dir = testing::SourceDir() / "tests" / "data" / "xlsx";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Json c = Json::parse(std::ifstream(entry.path()));
    testing::TempDir tmp;
    xlsx_testing::TestWorkbook wb;
    wb.sheets = {{"Sheet1", "<sheetData><row r=\"1\">" + c["cell"].get<std::string>() +
                                "</row></sheetData>"}};
    for (const auto& s : c["shared_strings"]) wb.shared_strings.push_back(s.get<std::string>());
    wb.epoch_1904 = c.value("epoch_1904", false);
    if (c.contains("format")) {
      if (c["format"].is_number()) {
        wb.num_fmt_ids = {0, c["format"].get<int>()};
      } else {
        wb.num_fmt_ids = {0, 164};
        wb.custom_formats[164] = XmlAttr(c["format"].get<std::string>());
      }
    }
    fs::path path = tmp.path() / "t.xlsx";
    ASSERT_TRUE(wb.Write(path));
    auto book = Workbook::Open(path);
    ASSERT_TRUE(book.ok()) << book.error().message;
    auto sheet = (*book)->Sheet("Sheet1");
    ASSERT_TRUE(sheet.ok()) << sheet.error().message;
    const CellValue& v = (*sheet)->Get({1, 1});
    const Json& want = c["expected"];
    EXPECT_EQ(ExpectedTypeName(v), want["type"].get<std::string>());
    if (want.contains("number")) {
      EXPECT_EQ(v.number, want["number"].get<double>());
    }
    if (want.contains("str")) {
      EXPECT_EQ(v.ToPythonStr(), want["str"].get<std::string>());
    }
    if (want.contains("bool")) {
      EXPECT_EQ(v.boolean, want["bool"].get<bool>());
    }
    ++cases;
  }
  EXPECT_GE(cases, 40);
}

TEST(WorkbookTest, SheetOrderFollowsWorkbookNotPartNames) {
  testing::TempDir tmp;
  xlsx_testing::TestWorkbook wb;
  wb.sheets = {{"Zeta", "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>"},
               {"b2b, sez, de", "<sheetData/>"},
               {"Alpha", "<sheetData/>"}};
  auto parts = wb.Parts();
  // Relationship ids and part names in another order than the sheets.
  parts["xl/_rels/workbook.xml.rels"] =
      std::string(
          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
          "relationships\"><Relationship Id=\"rId3\" Type=\"") +
      xlsx_testing::kRelNs +
      "/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/><Relationship Id=\"rId1\" Type=\"" +
      xlsx_testing::kRelNs +
      "/worksheet\" Target=\"worksheets/sheet3.xml\"/><Relationship Id=\"rId2\" Type=\"" +
      xlsx_testing::kRelNs + "/worksheet\" Target=\"./worksheets/../worksheets/sheet2.xml\"/>" +
      "</Relationships>";
  fs::path path = tmp.path() / "order.xlsx";
  ASSERT_TRUE(xlsx_testing::WriteZip(path, parts));
  auto book = Workbook::Open(path);
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ((*book)->sheet_names(), (std::vector<std::string>{"Zeta", "b2b, sez, de", "Alpha"}));
  // "Zeta" is rId1 -> sheet3.xml (empty); "Alpha" is rId3 -> sheet1.xml (A1 = 1).
  auto alpha = (*book)->Sheet("Alpha");
  ASSERT_TRUE(alpha.ok());
  EXPECT_EQ((*alpha)->Get({1, 1}).number, 1.0);
  auto zeta = (*book)->Sheet("Zeta");
  ASSERT_TRUE(zeta.ok());
  EXPECT_TRUE((*zeta)->Get({1, 1}).empty());
  EXPECT_FALSE((*book)->HasSheet("alpha"));  // exact lookup
  auto missing = (*book)->Sheet("Nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("'Zeta'"), std::string::npos);
}

TEST(WorkbookTest, ExtentsCountEmptyCellsMergesAndHyperlinksLikeOpenpyxl) {
  testing::TempDir tmp;
  xlsx_testing::TestWorkbook wb;
  wb.sheets = {{"S",
                "<sheetData><row r=\"2\"><c r=\"B2\"><v>5</v></c><c r=\"C2\" s=\"0\"/></row>"
                "<row r=\"3\"><c r=\"C3\"><v>7</v></c></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>0</v></c></row></sheetData>"
                "<mergeCells><mergeCell ref=\"B2:D3\"/></mergeCells>"
                "<hyperlinks><hyperlink ref=\"A9\"/></hyperlinks>"}};
  wb.shared_strings = {"<t>x</t>"};
  fs::path path = tmp.path() / "ext.xlsx";
  ASSERT_TRUE(wb.Write(path));
  auto book = Workbook::Open(path);
  ASSERT_TRUE(book.ok());
  auto s = (*book)->Sheet("S");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->max_row(), 9);
  EXPECT_EQ((*s)->max_column(), 4);
  EXPECT_EQ((*s)->Get({2, 2}).number, 5.0);  // the merge's top-left keeps its value
  EXPECT_EQ((*s)->Get({4, 1}).text, "x");
  EXPECT_TRUE((*s)->Get({3, 3}).empty());  // under the merge: openpyxl's MergedCell is None
}

TEST(WorkbookTest, CellsWithoutReferencesArePlacedByPosition) {
  testing::TempDir tmp;
  xlsx_testing::TestWorkbook wb;
  wb.sheets = {{"S",
                "<sheetData><row><c><v>1</v></c><c><v>2</v></c></row>"
                "<row><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row></sheetData>"}};
  fs::path path = tmp.path() / "pos.xlsx";
  ASSERT_TRUE(wb.Write(path));
  auto book = Workbook::Open(path);
  ASSERT_TRUE(book.ok());
  auto s = (*book)->Sheet("S");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->Get({1, 1}).number, 1.0);
  EXPECT_EQ((*s)->Get({1, 2}).number, 2.0);
  EXPECT_EQ((*s)->Get({2, 3}).number, 3.0);
  EXPECT_EQ((*s)->Get({2, 4}).number, 4.0);
}

TEST(WorkbookTest, ReadsTheRealSamples) {
  fs::path root = testing::SamplesDir() / "spreadsheetbench" / "spreadsheet";
  int books = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (f.path().extension() != ".xlsx") continue;
      auto book = Workbook::Open(f.path());
      ASSERT_TRUE(book.ok()) << f.path() << ": " << book.error().message;
      EXPECT_TRUE((*book)->LoadAll().ok()) << f.path();
      ++books;
    }
  }
  EXPECT_EQ(books, 20);
}

}  // namespace
}  // namespace sg::xlsx
