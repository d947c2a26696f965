#include "core/json_fields.h"

#include <gtest/gtest.h>

namespace sg {
namespace {

TEST(JsonFields, WrongTypesGiveTheFallbackInsteadOfThrowing) {
  const Json j = Json::parse(R"({"s": "text", "n": 7, "f": 2.9, "huge": 1e300, "b": true,
    "o": {"k": 1}, "l": ["a", 3, "b"], "wrong": {"x": 1}})");
  EXPECT_EQ(StringField(j, "s"), "text");
  EXPECT_EQ(StringField(j, "wrong", "fallback"), "fallback");
  EXPECT_EQ(StringField(j, "missing"), "");
  EXPECT_EQ(IntField(j, "n"), 7);
  EXPECT_EQ(IntField(j, "f"), 2);
  EXPECT_EQ(IntField(j, "huge", -1), -1);  // would be undefined behaviour as a cast
  EXPECT_EQ(IntField(j, "s", -1), -1);
  EXPECT_TRUE(BoolField(j, "b"));
  EXPECT_TRUE(BoolField(j, "n", true));
  EXPECT_EQ(ObjectField(j, "o"), Json({{"k", 1}}));
  EXPECT_EQ(ObjectField(j, "l"), Json::object());
  EXPECT_EQ(StringListField(j, "l"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(StringListField(j, "o").empty());
  // Not an object at all.
  EXPECT_EQ(StringField(Json::array(), "s", "x"), "x");
  EXPECT_EQ(IntField(Json("text"), "n", 5), 5);
}

TEST(ParseJsonTest, ANumberBeyondADoubleIsAnErrorNotAnException) {
  auto parsed = ParseJson("[1" + std::string(400, '6') + "]", "input.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("input.json is not valid JSON"), std::string::npos)
      << parsed.error().message;
}

}  // namespace
}  // namespace sg
