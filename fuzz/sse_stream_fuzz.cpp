// Streamed replies arrive as server-sent events cut into network chunks anywhere. For any
// bytes and any cut points, the parser must give the same events as when fed the whole
// stream at once. The first input byte seeds the cut points; the rest is the stream.
#include <cstdint>
#include <string_view>
#include <vector>

#include "llm/sse_parser.h"

namespace {

std::vector<sg::llm::SseEvent> ParseWhole(std::string_view stream) {
  sg::llm::SseParser parser;
  std::vector<sg::llm::SseEvent> events;
  parser.Feed(stream, events);
  parser.Finish(events);
  return events;
}

std::vector<sg::llm::SseEvent> ParseInPieces(std::string_view stream, uint8_t seed) {
  sg::llm::SseParser parser;
  std::vector<sg::llm::SseEvent> events;
  uint32_t state = seed * 2654435761u + 1;
  size_t at = 0;
  while (at < stream.size()) {
    state = state * 1103515245u + 12345u;
    size_t piece = 1 + (state >> 16) % 7;  // 1 to 7 bytes: splits CRLFs and field names
    piece = std::min(piece, stream.size() - at);
    parser.Feed(stream.substr(at, piece), events);
    at += piece;
  }
  parser.Finish(events);
  return events;
}

bool SameEvents(const std::vector<sg::llm::SseEvent>& a, const std::vector<sg::llm::SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!SameEvents(ParseWhole(stream), ParseInPieces(stream, data[0]))) __builtin_trap();
  return 0;
}
