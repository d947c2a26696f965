#include "core/yaml_json.h"

#include <gtest/gtest.h>

namespace sg {
namespace {

TEST(ReadYamlTest, PlainScalarsAreTypedQuotedOnesStayStrings) {
  YamlRead r = ReadYaml(
      "a: 12\nb: -3.5e2\nc: true\nd: ~\ne: '12'\nf: \"true\"\ng: text\n"
      "h: 123456789012345678901234567890\ni: [1, x]\n");
  ASSERT_TRUE(r.value) << r.error;
  const Json& v = *r.value;
  EXPECT_EQ(v["a"], 12);
  EXPECT_EQ(v["b"], -350.0);
  EXPECT_EQ(v["c"], true);
  EXPECT_TRUE(v["d"].is_null());
  EXPECT_EQ(v["e"], "12");
  EXPECT_EQ(v["f"], "true");
  EXPECT_EQ(v["g"], "text");
  EXPECT_EQ(v["h"], "123456789012345678901234567890") << "out of range: the text is kept";
  EXPECT_EQ(v["i"], Json::parse(R"([1, "x"])"));
}

TEST(ReadYamlTest, EmptyDocumentIsNullAndComplexKeysBecomeText) {
  YamlRead empty = ReadYaml("");
  ASSERT_TRUE(empty.value);
  EXPECT_TRUE(empty.value->is_null());
  YamlRead complex = ReadYaml("? [a, b]\n: 1\n");
  ASSERT_TRUE(complex.value) << complex.error;
  ASSERT_EQ(complex.value->size(), 1u);
  EXPECT_EQ(complex.value->begin().value(), 1);
}

TEST(ReadYamlTest, SyntaxErrorsCarryTheirPosition) {
  YamlRead r = ReadYaml("a: 1\nb: [unclosed\n");
  EXPECT_FALSE(r.value);
  EXPECT_FALSE(r.error.empty());
  EXPECT_GE(r.error_line, 2);
  EXPECT_GE(r.error_column, 1);
}

}  // namespace
}  // namespace sg
