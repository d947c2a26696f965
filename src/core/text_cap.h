// Caps text for a model's or a log's consumption: keeps the head and the tail and marks
// the cut with the number of bytes removed. Cuts never split a UTF-8 sequence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sg {

// The line that marks a cut, with its newlines: "\n[... N bytes omitted ...]\n". The
// sandbox's output capture (sandbox/capped_output.h) writes the same marker.
std::string OmittedMarker(uint64_t omitted);

// Returns `text` unchanged when it fits in `max_bytes`; otherwise about two thirds head
// and one third tail around one omitted marker. The marker's figure counts every byte of
// the original output the result no longer shows: the bytes cut here plus the figures of
// the markers already in `text` that the cut removes (a marker the cut touches is removed
// whole, never split). Markers outside the cut stay as they are. So 1 GiB of output that
// the sandbox cut to 32 KiB still reads as about 1 GiB omitted after a second cut. Text
// that merely looks like a marker is counted as one.
std::string CapHeadTail(std::string_view text, size_t max_bytes);

}  // namespace sg
