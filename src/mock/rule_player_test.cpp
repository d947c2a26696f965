#include "mock/rule_player.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sg::mock {
namespace {

Scenario Parse(std::string_view text) {
  auto sc = ParseScenario(text, "test.json");
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  return sc.ok() ? std::move(*sc) : Scenario{};
}

WireRequest OpenAi(const Json& body) {
  auto r = ParseOpenAiRequest(body);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return *r;
}

Json Chat(const std::string& system, const std::string& user, Json extra = Json::object()) {
  Json body = {
      {"model", "m1"},
      {"messages",
       {{{"role", "system"}, {"content", system}}, {{"role", "user"}, {"content", user}}}}};
  body.update(extra);
  return body;
}

std::string RuleOf(RulePlayer& player, const WireRequest& req, bool consume = true) {
  auto m = player.Match(MatchInput{&req, "", 1}, consume);
  return m ? m->rule->name : "<none>";
}

TEST(RulePlayerTest, FirstMatchingRuleWinsInFileOrder) {
  Scenario sc = Parse(R"J({"rules": [
    {"name": "specific", "match": {"last_message": {"contains": "weather"}}, "reply": {"text": "a"}},
    {"name": "model", "match": {"model": "m1"}, "reply": {"text": "b"}},
    {"name": "fallback", "reply": {"text": "c"}}]})J");
  RulePlayer player(sc);
  EXPECT_EQ(RuleOf(player, OpenAi(Chat("s", "what is the weather"))), "specific");
  EXPECT_EQ(RuleOf(player, OpenAi(Chat("s", "hello"))), "model");
  Json other = Chat("s", "hello");
  other["model"] = "m2";
  EXPECT_EQ(RuleOf(player, OpenAi(other)), "fallback");
}

TEST(RulePlayerTest, RegexCapturesFillTextAndArguments) {
  Scenario sc = Parse(R"J({"rules": [{
    "match": {"system": {"regex": "task ([a-z]+)-(\\d+)"}, "last_message": {"regex": "open (\\S+)"}},
    "reply": {"text": "{{system.1}}/{{system.2}} turn {{turn}} model {{model}}",
              "tool_calls": [{"name": "read_{{system.1}}", "arguments": {"path": "{{last.1}}", "n": 3}}]}}]})J");
  RulePlayer player(sc);
  WireRequest req = OpenAi(Chat("You solve task sheet-42 now", "please open data/in.xlsx quickly"));
  auto m = player.Match(MatchInput{&req, "", 7}, true);
  ASSERT_TRUE(m);
  EXPECT_EQ(ExpandTemplate(*m->reply->text, m->captures), "sheet/42 turn 0 model m1");
  EXPECT_EQ(ExpandTemplate(m->reply->tool_calls[0].name, m->captures), "read_sheet");
  Json args = ExpandJsonTemplate(m->reply->tool_calls[0].arguments, m->captures);
  EXPECT_EQ(args, Json({{"path", "data/in.xlsx"}, {"n", 3}}));
  EXPECT_EQ(m->captures.values.at("request"), "7");
}

TEST(RulePlayerTest, TurnToolsRoleAndLastRoleNarrowTheMatch) {
  Scenario sc = Parse(R"J({
    "roles": [{"name": "diagnoser", "system": "diagnose"}],
    "rules": [
      {"name": "diag", "match": {"role": "diagnoser"}, "reply": {"text": "d"}},
      {"name": "after-tool", "match": {"last_message": {"role": "tool"}, "turn": {"min": 1}}, "reply": {"text": "done"}},
      {"name": "tools", "match": {"tools": ["python", "read"], "turn": 0}, "reply": {"text": "t"}},
      {"name": "rest", "reply": {"text": "r"}}]})J");
  RulePlayer player(sc);
  EXPECT_EQ(RuleOf(player, OpenAi(Chat("please diagnose this", "x"))), "diag");
  Json tools = {{"tools",
                 {{{"type", "function"}, {"function", {{"name", "read"}}}},
                  {{"type", "function"}, {"function", {{"name", "python"}}}}}}};
  EXPECT_EQ(RuleOf(player, OpenAi(Chat("exec", "x", tools))), "tools");
  Json one_tool = {{"tools", {{{"type", "function"}, {"function", {{"name", "read"}}}}}}};
  EXPECT_EQ(RuleOf(player, OpenAi(Chat("exec", "x", one_tool))), "rest");
  Json conv = Chat("exec", "x", tools);
  conv["messages"].push_back({{"role", "assistant"},
                              {"content", nullptr},
                              {"tool_calls",
                               {{{"id", "c1"},
                                 {"type", "function"},
                                 {"function", {{"name", "read"}, {"arguments", "{}"}}}}}}});
  conv["messages"].push_back({{"role", "tool"}, {"tool_call_id", "c1"}, {"content", "cells"}});
  WireRequest req = OpenAi(conv);
  EXPECT_EQ(TurnOf(req), 1);
  EXPECT_EQ(RuleOf(player, req), "after-tool");
  // Without a scenario role, the X-Skillgrad-Role header labels the request.
  WireRequest plain = OpenAi(Chat("exec", "x"));
  EXPECT_EQ(RoleLabelOf(sc, plain, "patcher"), "patcher");
}

TEST(RulePlayerTest, RepliesAreGivenInOrderThenTheRuleRetires) {
  Scenario sc = Parse(R"J({"rules": [
    {"name": "seq", "replies": [{"text": "one"}, {"text": "two"}]},
    {"name": "after", "reply": {"text": "three"}}]})J");
  RulePlayer player(sc);
  WireRequest req = OpenAi(Chat("s", "u"));
  auto a = player.Match(MatchInput{&req, "", 1}, true);
  auto peek = player.Match(MatchInput{&req, "", 2}, false);  // looking does not consume
  auto b = player.Match(MatchInput{&req, "", 2}, true);
  auto c = player.Match(MatchInput{&req, "", 3}, true);
  EXPECT_EQ(*a->reply->text, "one");
  EXPECT_EQ(*peek->reply->text, "two");
  EXPECT_EQ(*b->reply->text, "two");
  EXPECT_EQ(c->rule->name, "after");
}

TEST(RulePlayerTest, CycleAndMaxUses) {
  Scenario sc = Parse(R"J({"rules": [
    {"name": "limited", "max_uses": 2, "replies": [{"text": "a"}, {"text": "b"}], "cycle": true},
    {"name": "cyc", "replies": [{"text": "x"}, {"text": "y"}], "cycle": true}]})J");
  RulePlayer player(sc);
  WireRequest req = OpenAi(Chat("s", "u"));
  std::vector<std::string> got;
  for (int i = 0; i < 6; ++i)
    got.push_back(*player.Match(MatchInput{&req, "", i + 1}, true)->reply->text);
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b", "x", "y", "x", "y"}));
  auto uses = player.Uses();
  EXPECT_EQ(uses[0], (std::pair<std::string, int64_t>{"limited", 2}));
  EXPECT_EQ(uses[1], (std::pair<std::string, int64_t>{"cyc", 4}));
}

TEST(RulePlayerTest, AnthropicToolResultsReadAsToolMessages) {
  auto req = ParseAnthropicRequest(Json::parse(R"J({
    "model": "claude", "max_tokens": 100, "system": [{"type": "text", "text": "sys A"}],
    "tools": [{"name": "read", "input_schema": {"type": "object"}}],
    "messages": [
      {"role": "user", "content": "start"},
      {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "read", "input": {"p": 1}}]},
      {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "result 9"}]}]}]})J"));
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->system, "sys A");
  EXPECT_EQ(TurnOf(*req), 1);
  const auto& last = req->chat.messages.back();
  EXPECT_EQ(last.role, llm::Role::kTool);
  EXPECT_EQ(last.tool_call_id, "t1");
  EXPECT_EQ(last.content, "result 9");
  Scenario sc = Parse(
      R"J({"rules": [{"match": {"api": "anthropic", "last_message": {"role": "tool", "regex": "result (\\d)"}},
                          "reply": {"text": "got {{last.1}}"}}]})J");
  RulePlayer player(sc);
  auto m = player.Match(MatchInput{&*req, "", 1}, true);
  ASSERT_TRUE(m);
  EXPECT_EQ(ExpandTemplate(*m->reply->text, m->captures), "got 9");
}

TEST(WireRequestTest, BadRequestsNameTheField) {
  auto r = ParseOpenAiRequest(
      Json::parse(R"J({"model": "m", "messages": [{"role": "wizard", "content": "x"}]})J"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("messages[0].role"), std::string::npos) << r.error().message;
  r = ParseOpenAiRequest(Json::parse(R"J({"messages": []})J"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("model"), std::string::npos);
  r = ParseAnthropicRequest(
      Json::parse(R"J({"model": "m", "messages": [{"role": "user", "content": "x"}]})J"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("max_tokens"), std::string::npos);
}

TEST(WireRequestTest, OptionalFieldsOfAnotherTypeAreReadAsAbsent) {
  // Requests come from whatever client is under test: a wrong-typed optional field must not
  // throw out of the parser (the mock would answer 500), it reads as if it were missing.
  auto openai = ParseOpenAiRequest(Json::parse(R"J({
      "model": "m", "stream_options": {"include_usage": "yes"},
      "messages": [{"role": "user", "content": [{"type": 7, "text": "x"}, {"type": "text", "text": "hi"}]},
                   {"role": "assistant", "tool_calls": [{"id": 3, "function": {"name": [], "arguments": {"a": 1}}}]}],
      "tools": [{"function": {"name": "f", "description": {"no": 1}}}]})J"));
  ASSERT_TRUE(openai.ok()) << openai.error().message;
  EXPECT_FALSE(openai->include_usage);
  EXPECT_EQ(openai->chat.messages[0].content, "hi");
  ASSERT_EQ(openai->chat.messages[1].tool_calls.size(), 1u);
  EXPECT_EQ(openai->chat.messages[1].tool_calls[0].id, "");
  EXPECT_EQ(openai->chat.messages[1].tool_calls[0].name, "");
  EXPECT_EQ(openai->chat.messages[1].tool_calls[0].arguments, R"({"a":1})");
  EXPECT_EQ(openai->chat.tools[0].description, "");

  auto anthropic = ParseAnthropicRequest(Json::parse(R"J({
      "model": "m", "max_tokens": 10,
      "messages": [{"role": "user", "content": [
          {"type": "text", "text": 5},
          {"type": "tool_result", "tool_use_id": false, "is_error": "no", "content": [{"type": 1}]}]}],
      "tools": [{"name": "f", "description": 2}]})J"));
  ASSERT_TRUE(anthropic.ok()) << anthropic.error().message;
  ASSERT_EQ(anthropic->chat.messages.size(), 1u);
  EXPECT_EQ(anthropic->chat.messages[0].role, llm::Role::kTool);
  EXPECT_EQ(anthropic->chat.messages[0].tool_call_id, "");
  EXPECT_FALSE(anthropic->chat.messages[0].is_error);
  EXPECT_EQ(anthropic->chat.tools[0].description, "");
}

}  // namespace
}  // namespace sg::mock

namespace sg::mock {
namespace {

// The rules a probability rule picks over 200 identical requests, one letter per request.
std::string Draws(const Scenario& sc, uint64_t seed, const WireRequest& req) {
  RulePlayer player(sc, seed);
  std::string out;
  const MatchInput input{&req, "", 1, ContentHash(req)};
  for (int i = 0; i < 200; ++i) {
    auto m = player.Match(input, true);
    out += m && m->rule->name == "lucky" ? 'L' : 'u';
  }
  return out;
}

TEST(RulePlayerTest, ProbabilityDrawsAreSeededPerIdenticalRequestAndRepeatable) {
  Scenario sc = Parse(R"J({"rules": [
    {"name": "lucky", "match": {"probability": 0.5}, "reply": {"text": "right"}, "cycle": true},
    {"name": "usual", "reply": {"text": "wrong"}, "cycle": true}]})J");
  const WireRequest req = OpenAi(Chat("s", "total?"));
  const std::string draws = Draws(sc, 7, req);
  const auto lucky = std::count(draws.begin(), draws.end(), 'L');
  EXPECT_GT(lucky, 70) << draws;  // binomial(200, 1/2): 70..130 holds but for 1 in 10^5
  EXPECT_LT(lucky, 130) << draws;
  EXPECT_EQ(Draws(sc, 7, req), draws);  // the same seed draws the same
  EXPECT_NE(Draws(sc, 8, req), draws);  // another seed, others
  // A look without consuming does not move the draw on.
  RulePlayer player(sc, 7);
  const MatchInput input{&req, "", 1, ContentHash(req)};
  const std::string first = player.Match(input, false)->rule->name;
  EXPECT_EQ(player.Match(input, true)->rule->name, first);
  EXPECT_EQ(first, draws[0] == 'L' ? "lucky" : "usual");
}

TEST(RulePlayerTest, ProbabilityZeroNeverAndOneAlwaysMatchesAndOutOfRangeIsRefused) {
  Scenario never = Parse(R"J({"rules": [
    {"name": "lucky", "match": {"probability": 0}, "reply": {"text": "a"}, "cycle": true},
    {"name": "usual", "reply": {"text": "b"}, "cycle": true}]})J");
  Scenario always = Parse(R"J({"rules": [
    {"name": "lucky", "match": {"probability": 1}, "reply": {"text": "a"}, "cycle": true},
    {"name": "usual", "reply": {"text": "b"}, "cycle": true}]})J");
  const WireRequest req = OpenAi(Chat("s", "x"));
  EXPECT_EQ(Draws(never, 1, req), std::string(200, 'u'));
  EXPECT_EQ(Draws(always, 1, req), std::string(200, 'L'));
  auto bad = ParseScenario(
      R"J({"rules": [{"match": {"probability": 1.5}, "reply": {"text": "a"}}]})J", "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("rules[0].match.probability"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace sg::mock
