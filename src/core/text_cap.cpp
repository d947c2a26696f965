#include "core/text_cap.h"

#include <fmt/format.h>

#include <algorithm>

namespace sg {
namespace {

constexpr std::string_view kMarkerOpen = "\n[... ";
constexpr std::string_view kMarkerClose = " bytes omitted ...]\n";

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A marker found in a text: [begin, end) and the bytes it says were omitted.
struct Marker {
  size_t begin = 0;
  size_t end = 0;
  uint64_t omitted = 0;
};

// The marker starting at `pos` (at kMarkerOpen), if the text there is one.
bool ParseMarker(std::string_view text, size_t pos, Marker& marker) {
  size_t digits = pos + kMarkerOpen.size();
  size_t i = digits;
  uint64_t value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - digits < 19) {
    value = value * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == digits || text.substr(i, kMarkerClose.size()) != kMarkerClose) return false;
  marker = {pos, i + kMarkerClose.size(), value};
  return true;
}

}  // namespace

std::string OmittedMarker(uint64_t omitted) {
  return fmt::format("{}{}{}", kMarkerOpen, omitted, kMarkerClose);
}

std::string CapHeadTail(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t head = max_bytes * 2 / 3;
  size_t tail = max_bytes - head;
  while (head > 0 && IsContinuation(text[head])) --head;
  size_t tail_start = text.size() - tail;
  while (tail_start < text.size() && IsContinuation(text[tail_start])) ++tail_start;

  // Widen the cut to cover whole every marker it touches, and count what they report
  // instead of their own bytes. Markers do not overlap, so one pass in order suffices:
  // widening to a marker's start never reaches back into an earlier one.
  uint64_t earlier_omitted = 0;
  size_t marker_bytes = 0;
  for (size_t pos = text.find(kMarkerOpen); pos != std::string_view::npos;) {
    Marker m;
    if (!ParseMarker(text, pos, m)) {
      pos = text.find(kMarkerOpen, pos + 1);
      continue;
    }
    if (m.end > head && m.begin < tail_start) {
      head = std::min(head, m.begin);
      tail_start = std::max(tail_start, m.end);
      earlier_omitted += m.omitted;
      marker_bytes += m.end - m.begin;
    }
    pos = text.find(kMarkerOpen, m.end);
  }
  uint64_t omitted = (tail_start - head) - marker_bytes + earlier_omitted;
  return fmt::format("{}{}{}", text.substr(0, head), OmittedMarker(omitted),
                     text.substr(tail_start));
}

}  // namespace sg
