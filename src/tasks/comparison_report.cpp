#include "tasks/comparison_report.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/json_fields.h"

namespace sg::tasks {
namespace {

const Json& Field(const Json& object, const char* name) { return AnyField(object, name); }

std::string Text(const Json& value) { return value.is_string() ? value.get<std::string>() : ""; }

std::optional<std::uint64_t> Count(const Json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  return std::nullopt;
}

// "Expected cells (3):" with every cell, or "(50 of 60 shown)" and a line for the rest.
std::string CellList(const char* title, const Json& shown) {
  const Json& cells = Field(shown, "cells");
  const std::uint64_t total = Count(Field(shown, "total")).value_or(cells.size());
  const std::size_t listed = cells.is_array() ? std::min(cells.size(), kShownCellLimit) : 0;
  std::string out = listed < total ? fmt::format("{} ({} of {} shown):\n", title, listed, total)
                                   : fmt::format("{} ({}):\n", title, total);
  for (std::size_t i = 0; i < listed; ++i) {
    out += fmt::format("  {}: {}\n", Text(Field(cells[i], "cell")),
                       DisplayCellValue(Field(cells[i], "value")));
  }
  if (listed < total) out += fmt::format("  ... {} more not shown\n", total - listed);
  return out;
}

bool OutputMissing(const Json& comparison) {
  const Json& missing = Field(comparison, "output_missing");
  return missing.is_boolean() && missing.get<bool>();
}

struct Mismatch {
  std::string cell, expected, actual;
};

// The differing cells in the grader's order; with no output file, every expected cell the
// comparison kept, got "<no file>".
std::vector<Mismatch> Mismatches(const Json& comparison, std::uint64_t* total) {
  std::vector<Mismatch> out;
  const Json& diffs = Field(comparison, "diffs");
  const Json& expected = Field(Field(Field(comparison, "shown"), "expected"), "cells");
  const bool no_file = OutputMissing(comparison);
  if (diffs.is_array() && !diffs.empty()) {
    *total = diffs.size();
    for (const Json& d : diffs) {
      if (out.size() == kShownMismatchLimit) break;
      out.push_back({Text(Field(d, "sheet")) + "!" + Text(Field(d, "cell")),
                     DisplayCellValue(Field(d, "expected")), DisplayCellValue(Field(d, "actual"))});
    }
  } else if (no_file && expected.is_array()) {
    *total = Count(Field(comparison, "total_count")).value_or(expected.size());
    for (const Json& c : expected) {
      if (out.size() == kShownMismatchLimit) break;
      out.push_back({Text(Field(c, "cell")), DisplayCellValue(Field(c, "value")), "<no file>"});
    }
  } else {
    *total = 0;
  }
  return out;
}

// At most kFallbackLineLimit lines of a grader's own text.
std::string CutLines(const std::string& text) {
  std::string out;
  std::size_t start = 0, lines = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (lines == kFallbackLineLimit) {
      std::size_t rest = 0;
      for (std::size_t i = start; i < text.size(); ++i) rest += text[i] == '\n' ? 1 : 0;
      if (text.back() != '\n') ++rest;
      return out + fmt::format("... {} more lines not shown\n", rest);
    }
    out += text.substr(start, end - start) + "\n";
    ++lines;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string DisplayCellValue(const Json& value) {
  if (value.is_null()) return "<empty>";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_number_integer()) return value.dump();
  if (value.is_number()) {
    const double v = value.get<double>();
    if (std::isfinite(v) && v == std::floor(v)) return fmt::format("{:.0f}", v);
    return fmt::format("{:.6g}", v);
  }
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string FormatPercent(double fraction) { return fmt::format("{:.1f}%", fraction * 100.0); }

std::string FormatWorkbookComparison(const Json& comparison) {
  const Json& shown = Field(comparison, "shown");
  const bool no_file = OutputMissing(comparison);
  std::string out;
  if (shown.is_object()) {
    out += CellList("Expected cells", Field(shown, "expected"));
    out += "\n";
    if (no_file) {
      out += "Actual cells: none, the output workbook was not produced.\n";
    } else {
      out += CellList("Actual cells", Field(shown, "actual"));
    }
  } else {
    out += "Expected and actual cells: not recorded by this grading.\n";
  }
  const std::uint64_t matched = Count(Field(comparison, "match_count")).value_or(0);
  const std::uint64_t total = Count(Field(comparison, "total_count")).value_or(0);
  const double accuracy = total == 0 ? 1.0 : static_cast<double>(matched) / total;
  out += fmt::format("\nSummary: {}/{} cells match ({} accuracy)\n", matched, total,
                     FormatPercent(accuracy));
  for (const char* field : {"problems", "notes"}) {
    const Json& lines = Field(comparison, field);
    if (!lines.is_array()) continue;
    for (const Json& line : lines) out += "Grader: " + Text(line) + "\n";
  }
  std::uint64_t mismatch_total = 0;
  std::vector<Mismatch> mismatches = Mismatches(comparison, &mismatch_total);
  if (!mismatches.empty()) {
    out += mismatches.size() < mismatch_total
               ? fmt::format("Mismatches ({} of {} shown):\n", mismatches.size(), mismatch_total)
               : fmt::format("Mismatches ({}):\n", mismatch_total);
    for (const Mismatch& m : mismatches) {
      out += fmt::format("  {}: expected \"{}\", got \"{}\"\n", m.cell, m.expected, m.actual);
    }
    if (mismatches.size() < mismatch_total) {
      out += fmt::format("  ... {} more not shown\n", mismatch_total - mismatches.size());
    }
  }
  return out;
}

GradingReport ReportGrading(const Json& assessment) {
  GradingReport report;
  const Json& verdict = Field(assessment, "verdict");
  if (!verdict.is_object()) {
    const std::string why = Text(Field(assessment, "error"));
    report.accuracy_line = "Accuracy: not measured (the grader could not run)";
    report.comparison = "(the grader could not run" + (why.empty() ? "" : ": " + why) + ")\n";
    return report;
  }
  const Json& cases = Field(Field(verdict, "details"), "test_cases");
  std::uint64_t matched = 0, total = 0;
  bool counted = false;
  if (cases.is_array() && !cases.empty()) {
    for (const Json& c : cases) {
      if (cases.size() > 1) {
        if (!report.comparison.empty()) report.comparison += "\n";
        report.comparison += fmt::format("### Test case {} ({})\n\n", Field(c, "test_case").dump(),
                                         Text(Field(c, "output")));
      }
      report.comparison += FormatWorkbookComparison(c);
      if (!Text(Field(c, "output")).empty()) report.outputs.push_back(Text(Field(c, "output")));
      if (auto m = Count(Field(c, "match_count")), t = Count(Field(c, "total_count")); m && t) {
        matched += *m;
        total += *t;
        counted = true;
      }
    }
  } else {
    report.comparison = CutLines(Text(Field(verdict, "comparison")));
  }
  // The assessment's own figures win: they are what the loop scored.
  report.match_count = Count(Field(assessment, "match_count"));
  report.total_count = Count(Field(assessment, "total_count"));
  if (!report.match_count || !report.total_count) {
    report.match_count = counted ? std::optional(matched) : std::nullopt;
    report.total_count = counted ? std::optional(total) : std::nullopt;
  }
  if (!report.match_count || !report.total_count) {
    report.accuracy_line =
        "Accuracy: no cell counts (this benchmark grades the answer as a whole; the run " +
        std::string(Field(verdict, "pass").is_boolean() && Field(verdict, "pass").get<bool>()
                        ? "passed"
                        : "failed") +
        ")";
    return report;
  }
  const Json& stored = Field(assessment, "cell_accuracy");
  report.accuracy = stored.is_number() ? stored.get<double>()
                    : *report.total_count == 0
                        ? 1.0
                        : static_cast<double>(*report.match_count) / *report.total_count;
  report.accuracy_line = fmt::format("Accuracy: {}/{} cells match ({})", *report.match_count,
                                     *report.total_count, FormatPercent(*report.accuracy));
  return report;
}

}  // namespace sg::tasks
