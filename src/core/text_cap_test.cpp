// CapHeadTail over text that already carries omitted markers, and the redactor's
// environment and JSON forms. (The basic cases are in core_test.cpp.)
#include "core/text_cap.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "core/redact.h"

namespace sg {
namespace {

uint64_t FigureOf(const std::string& capped) {
  size_t open = capped.find("\n[... ");
  EXPECT_NE(open, std::string::npos) << capped;
  if (open == std::string::npos) return 0;
  return std::stoull(capped.substr(open + 6));
}

TEST(CapHeadTail, OneMarkerCountsTheBytesAnEarlierCutOmitted) {
  std::string text = std::string(600, 'a') + OmittedMarker(1000000) + std::string(600, 'b');
  std::string capped = CapHeadTail(text, 300);
  EXPECT_EQ(capped.find("1000000"), std::string::npos) << "the old marker is gone";
  EXPECT_EQ(capped.find("bytes omitted"), capped.rfind("bytes omitted")) << "one marker";
  EXPECT_EQ(capped.substr(0, 200), std::string(200, 'a'));
  EXPECT_EQ(capped.substr(capped.size() - 100), std::string(100, 'b'));
  // 400 a's and 500 b's cut here, plus the million cut before.
  EXPECT_EQ(FigureOf(capped), 1000000u + 400 + 500);
}

TEST(CapHeadTail, AMarkerTheCutTouchesIsRemovedWholeAndCounted) {
  // The marker straddles where the head would end (200): the head stops before it.
  std::string text = std::string(190, 'a') + OmittedMarker(77) + std::string(1000, 'b');
  std::string capped = CapHeadTail(text, 300);
  EXPECT_EQ(capped.substr(0, 190), std::string(190, 'a'));
  EXPECT_EQ(capped.find("[... 77 "), std::string::npos);
  EXPECT_EQ(FigureOf(capped), 77u + 900);
}

TEST(CapHeadTail, MarkersOutsideTheCutStay) {
  std::string text = "x" + OmittedMarker(5) + std::string(1000, 'a');
  std::string capped = CapHeadTail(text, 300);
  EXPECT_EQ(capped.rfind("x" + OmittedMarker(5), 0), 0u) << capped.substr(0, 40);
  EXPECT_NE(capped.rfind("bytes omitted"), capped.find("bytes omitted"));
}

TEST(CapHeadTail, TextThatFitsIsUnchangedMarkersIncluded) {
  std::string text = "a" + OmittedMarker(9) + "b";
  EXPECT_EQ(CapHeadTail(text, 100), text);
  EXPECT_EQ(OmittedMarker(9), "\n[... 9 bytes omitted ...]\n");
}

}  // namespace
}  // namespace sg
