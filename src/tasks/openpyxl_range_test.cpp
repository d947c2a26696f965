// ws[text] as openpyxl 3.x returns it (checked against openpyxl on a sheet of extent C3),
// and the SkillGrad method's splitting of an answer_position.
#include "tasks/openpyxl_range.h"

#include <gtest/gtest.h>

namespace sg::tasks {
namespace {

struct Expect {
  const char* text;
  bool readable;
  int first_row, last_row, first_column, last_column;
};

TEST(OpenpyxlRangeTest, ReadsRangesAsOpenpyxlDoesOnASheetOfExtentC3) {
  const Expect cases[] = {
      {"A1", true, 1, 1, 1, 1},         {"a1", true, 1, 1, 1, 1},
      {"$A$1", true, 1, 1, 1, 1},       {"A1:B2", true, 1, 2, 1, 2},
      {"A:B", true, 1, 3, 1, 2},        {"2:3", true, 2, 3, 1, 3},
      {"A", true, 1, 3, 1, 1},          {"2", true, 2, 2, 1, 3},
      {"A0:B2", true, 1, 2, 1, 2},      {"A1:B0", true, 1, 3, 1, 2},
      {"0:2", true, 1, 2, 1, 3},        {"XFE1", true, 1, 1, 16385, 16385},
      {"A1\n", true, 1, 1, 1, 1},       {"BD2:308", false, 0, 0, 0, 0},
      {" A1", false, 0, 0, 0, 0},       {"A1 ", false, 0, 0, 0, 0},
      {"", false, 0, 0, 0, 0},          {"A1:", false, 0, 0, 0, 0},
      {"A:", false, 0, 0, 0, 0},        {"A0", false, 0, 0, 0, 0},
      {"A1:C", false, 0, 0, 0, 0},      {"AAAA1", false, 0, 0, 0, 0},
      {"S!A1", false, 0, 0, 0, 0},      {"A1,B2", false, 0, 0, 0, 0},
      {"0", false, 0, 0, 0, 0},         {"A2000000", false, 0, 0, 0, 0},
  };
  for (const Expect& e : cases) {
    const OpenpyxlRegion r = ReadOpenpyxlRange(e.text, 3, 3);
    EXPECT_EQ(r.readable, e.readable) << "'" << e.text << "'";
    if (!e.readable || !r.readable) continue;
    EXPECT_EQ(r.first_row, e.first_row) << e.text;
    EXPECT_EQ(r.last_row, e.last_row) << e.text;
    EXPECT_EQ(r.first_column, e.first_column) << e.text;
    EXPECT_EQ(r.last_column, e.last_column) << e.text;
  }
}

TEST(OpenpyxlRangeTest, ReversedCornersCoverNoCell) {
  for (const char* text : {"B2:A1", "B:A", "3:2", "B1:A2", "A2:B1"}) {
    const OpenpyxlRegion r = ReadOpenpyxlRange(text, 3, 3);
    EXPECT_TRUE(r.readable) << text;
    EXPECT_TRUE(r.empty()) << text;
    EXPECT_EQ(r.CellCount(), 0u) << text;
  }
}

TEST(OpenpyxlRangeTest, WholeColumnsComeColumnByColumn) {
  EXPECT_TRUE(ReadOpenpyxlRange("A:C", 5, 2).by_column);
  EXPECT_FALSE(ReadOpenpyxlRange("1:2", 5, 2).by_column);
  EXPECT_EQ(ReadOpenpyxlRange("A:C", 5, 2).CellCount(), 15u);
}

TEST(OpenpyxlRangeTest, SplitsOnCommasOutsideQuotesAndStripsEveryQuote) {
  auto parts = SplitPositionAsTheMethod(" 'b2b, sez'!A5:V10 ,'Data'!'B2',C3,,Sheet1''!A:G");
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0].sheet, "b2b, sez");
  EXPECT_EQ(parts[0].range, "A5:V10");
  EXPECT_EQ(parts[1].sheet, "Data");
  EXPECT_EQ(parts[1].range, "B2");
  EXPECT_EQ(parts[2].sheet, "");
  EXPECT_EQ(parts[2].key_prefix(), "");
  EXPECT_EQ(parts[3].range, "");  // an empty part is kept: it reads as one valueless cell
  EXPECT_EQ(parts[4].sheet, "Sheet1");
  EXPECT_EQ(parts[4].key_prefix(), "Sheet1!");
  auto spaced = SplitPositionAsTheMethod("Data! A1");
  ASSERT_EQ(spaced.size(), 1u);
  EXPECT_EQ(spaced[0].range, " A1");  // kept, and openpyxl refuses it
}

}  // namespace
}  // namespace sg::tasks
