// MomentumRounds (optim/momentum_rounds.h): a submission is taken item by item. What
// validates is kept, what does not goes back with its reasons, a resubmission carries only
// the corrected items, and what is still rejected after the last round is dropped.
#include "optim/momentum_rounds.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "optim/momentum.h"
#include "optim/momentum_schema.h"
#include "optim/momentum_validate.h"

namespace sg::optim {
namespace {

Json PatternJson(const std::string& slug, std::vector<int> appeared,
                 const char* kind = "operation") {
  return {{"slug", slug},
          {"kind", kind},
          {"summary", "Lookup keys compared without normalization"},
          {"anchor", "lookup-keys"},
          {"appeared_in", appeared},
          {"description", "Keys with stray spaces do not match."},
          {"guidance", "Trim and case-fold both sides before matching."},
          {"remedy_log", Json::array()}};
}

Json EntryJson(const std::string& task, const std::string& signal, const std::string& pattern) {
  return {{"task_id", task},
          {"signal", signal},
          {"pattern", pattern},
          {"anchor", "lookup-keys"},
          {"gap", "the body does not say to trim keys"},
          {"proposed_change", "add a trimming step to Lookup Keys"}};
}

Json Submission(Json patterns, Json entries, int t = 2) {
  return {
      {"record", {{"iteration", t}, {"patterns", std::move(patterns)}}},
      {"overlay",
       {{"iteration", t}, {"entries", std::move(entries)}, {"workflow_themes", Json::array()}}}};
}

MomentumRecord PreviousRecord() {
  auto record = ParseMomentumRecord(
      Json{{"iteration", 1}, {"patterns", Json::array({PatternJson("lookup-keys", {1})})}});
  EXPECT_TRUE(record.ok()) << record.error().ToString();
  return *record;
}

MomentumContext Context() {
  MomentumContext context;
  context.iteration = 2;
  context.batch_task_ids = {"a", "b", "c"};
  context.outcomes = {{"a", Signal::kFailure}, {"b", Signal::kFailure}, {"c", Signal::kSuccess}};
  return context;
}

std::vector<std::string> Keys(const std::vector<RejectedItem>& items) {
  std::vector<std::string> keys;
  for (const RejectedItem& item : items) keys.push_back(item.key);
  return keys;
}

TEST(MomentumRounds, OneBadEntryIsSentBackAndTheOthersAreKept) {
  MomentumRounds rounds(PreviousRecord(), Context());
  // "c" succeeded this iteration but is submitted as a failure.
  auto reply = rounds.Submit(Submission(Json::array({PatternJson("lookup-keys", {1, 2})}),
                                        Json::array({EntryJson("a", "failure", "lookup-keys"),
                                                     EntryJson("b", "failure", "lookup-keys"),
                                                     EntryJson("c", "failure", "lookup-keys")})));
  EXPECT_FALSE(reply.done);
  EXPECT_FALSE(reply.all_kept);
  ASSERT_EQ(rounds.overlay().entries.size(), 2u);
  EXPECT_EQ(rounds.overlay().entries[0].task_id, "a");
  EXPECT_EQ(rounds.overlay().entries[1].task_id, "b");
  EXPECT_EQ(rounds.record().Find("lookup-keys")->appeared_in, (std::vector<int>{1, 2}));
  EXPECT_EQ(Keys(rounds.rejected()), (std::vector<std::string>{"entry:c"}));
  // The answer names only the rejected entry, with its reason.
  EXPECT_NE(reply.text.find("overlay entry of task \"c\""), std::string::npos) << reply.text;
  EXPECT_NE(reply.text.find("was graded a success"), std::string::npos) << reply.text;
  EXPECT_EQ(reply.text.find("task \"a\""), std::string::npos) << reply.text;
  EXPECT_EQ(reply.text.find("task \"b\""), std::string::npos) << reply.text;

  // The resubmission carries the corrected entry only; everything is then kept.
  reply = rounds.Submit(
      Submission(Json::array(), Json::array({EntryJson("c", "success", "lookup-keys")})));
  EXPECT_TRUE(reply.done);
  EXPECT_TRUE(reply.all_kept) << reply.text;
  EXPECT_TRUE(rounds.rejected().empty());
  ASSERT_EQ(rounds.overlay().entries.size(), 3u);
  EXPECT_EQ(rounds.overlay().FindTask("c")->signal, Signal::kSuccess);
  EXPECT_TRUE(
      ValidateMomentum({rounds.record(), rounds.overlay()}, PreviousRecord(), Context()).empty());
}

TEST(MomentumRounds, AnEntryStillWrongAfterTwoMoreRoundsIsDroppedWithItsReason) {
  MomentumRounds rounds(PreviousRecord(), Context());
  Json bad = EntryJson("c", "failure", "lookup-keys");
  auto reply =
      rounds.Submit(Submission(Json::array({PatternJson("lookup-keys", {1, 2})}),
                               Json::array({EntryJson("a", "failure", "lookup-keys"),
                                            EntryJson("b", "failure", "lookup-keys"), bad})));
  for (int round = 1; round <= kMomentumResubmissions; ++round) {
    ASSERT_FALSE(reply.done) << "round " << round;
    reply = rounds.Submit(Submission(Json::array(), Json::array({bad})));
  }
  EXPECT_TRUE(reply.done);
  EXPECT_FALSE(reply.all_kept);
  EXPECT_EQ(rounds.submissions(), 1 + kMomentumResubmissions);
  ASSERT_EQ(Keys(rounds.rejected()), (std::vector<std::string>{"entry:c"}));
  const RejectedItem& dropped = rounds.rejected()[0];
  EXPECT_EQ(dropped.submitted, bad);
  ASSERT_FALSE(dropped.reasons.empty());
  EXPECT_NE(dropped.reasons[0].find("signal"), std::string::npos) << dropped.reasons[0];
  EXPECT_NE(reply.text.find("dropped"), std::string::npos) << reply.text;
  // The rest of the submission stands.
  EXPECT_EQ(rounds.overlay().entries.size(), 2u);
  EXPECT_EQ(rounds.record().Find("lookup-keys")->appeared_in, (std::vector<int>{1, 2}));
}

TEST(MomentumRounds, ARejectedNewPatternHoldsBackItsEntriesUntilItIsFixed) {
  MomentumRounds rounds(PreviousRecord(), Context());
  // "date-parsing" has a kind outside the enum: it fails to parse, and the entry that
  // introduces it cannot stand without it.
  auto reply = rounds.Submit(Submission(
      Json::array({PatternJson("lookup-keys", {1, 2}), PatternJson("date-parsing", {2}, "bug")}),
      Json::array({EntryJson("a", "failure", "lookup-keys"),
                   EntryJson("b", "failure", "new:date-parsing"),
                   EntryJson("c", "success", "lookup-keys")})));
  EXPECT_FALSE(reply.done);
  EXPECT_EQ(Keys(rounds.rejected()), (std::vector<std::string>{"pattern:date-parsing", "entry:b"}));
  EXPECT_EQ(rounds.overlay().entries.size(), 2u);
  EXPECT_EQ(rounds.record().patterns.size(), 1u);

  // Only the pattern is fixed; the entry held back by it comes back by itself.
  reply = rounds.Submit(Submission(Json::array({PatternJson("date-parsing", {2})}), Json::array()));
  EXPECT_TRUE(reply.all_kept) << reply.text;
  EXPECT_EQ(rounds.record().patterns.size(), 2u);
  ASSERT_NE(rounds.overlay().FindTask("b"), nullptr);
  EXPECT_EQ(rounds.overlay().FindTask("b")->slug(), "date-parsing");
}

TEST(MomentumRounds, AMissingTaskIsAskedForAndAPatternLeftOutIsKeptAsItWas) {
  MomentumRounds rounds(PreviousRecord(), Context());
  // The record leaves "lookup-keys" out and the overlay forgets task "c".
  Json fresh = PatternJson("header-rows", {2});
  auto reply = rounds.Submit(
      Submission(Json::array({fresh}), Json::array({EntryJson("a", "failure", "new:header-rows"),
                                                    EntryJson("b", "failure", "header-rows")})));
  EXPECT_FALSE(reply.done);
  EXPECT_EQ(Keys(rounds.rejected()), (std::vector<std::string>{"entry:c"}));
  EXPECT_NE(reply.text.find("has no entry"), std::string::npos) << reply.text;
  ASSERT_NE(rounds.record().Find("lookup-keys"), nullptr);  // patterns are never deleted
  EXPECT_EQ(rounds.record().Find("lookup-keys")->appeared_in, (std::vector<int>{1}));
  ASSERT_NE(rounds.record().Find("header-rows"), nullptr);
}

TEST(MomentumRounds, AnUnreadableSubmissionKeepsNothingAndSaysWhy) {
  MomentumRounds rounds(PreviousRecord(), Context());
  auto reply = rounds.Submit(Json{{"record", "not an object"}, {"overlay", Json::object()}});
  EXPECT_FALSE(reply.done);
  EXPECT_FALSE(rounds.took_any());
  EXPECT_NE(rounds.last_error().find("record"), std::string::npos) << rounds.last_error();
  EXPECT_NE(reply.text.find("could not be read"), std::string::npos) << reply.text;
  EXPECT_EQ(rounds.record().patterns.size(), 1u);
}

// The method puts no word cap on gap or proposed_change: they quote the mechanism.
TEST(MomentumRounds, ALongGapAndProposedChangeAreAccepted) {
  std::string change;
  for (int i = 0; i < 120; ++i) change += "tighten the trimming rule in lookup-keys and ";
  change += "add the branching procedure to references/lookup.md. Then merge the two sections.";
  Json a = EntryJson("a", "failure", "lookup-keys");
  a["gap"] = change;
  a["proposed_change"] = change;
  Json arguments = Submission(Json::array({PatternJson("lookup-keys", {1, 2})}),
                              Json::array({a, EntryJson("b", "failure", "lookup-keys"),
                                           EntryJson("c", "success", "lookup-keys")}));
  CheckedMomentum checked = CheckMomentumSubmission(arguments, PreviousRecord(), Context());
  EXPECT_TRUE(checked.accepted()) << FormatViolations(checked.violations);
  MomentumRounds rounds(PreviousRecord(), Context());
  auto reply = rounds.Submit(arguments);
  EXPECT_TRUE(reply.all_kept) << reply.text;
  EXPECT_EQ(rounds.overlay().FindTask("a")->proposed_change, change);
  // Nor does the tool's schema cap them.
  const Json entry =
      SubmitMomentumSchema()["properties"]["overlay"]["properties"]["entries"]["items"];
  for (const char* field : {"gap", "proposed_change"}) {
    EXPECT_FALSE(entry["properties"][field].contains("maxLength")) << field;
  }
}

TEST(MomentumRounds, RejectedItemsRoundTripThroughJson) {
  RejectedItem item{"entry:c",
                    "overlay entry of task \"c\"",
                    EntryJson("c", "failure", "x"),
                    {"overlay.entries[2].signal: wrong"},
                    "x"};
  auto back = ParseRejectedItem(ToJson(item));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->key, item.key);
  EXPECT_EQ(back->label, item.label);
  EXPECT_EQ(back->submitted, item.submitted);
  EXPECT_EQ(back->reasons, item.reasons);
  EXPECT_EQ(back->slug, item.slug);
}

}  // namespace
}  // namespace sg::optim
