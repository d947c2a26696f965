// Inline SVG charts and HTML escaping for the run report (docs/report.md). Every chart is
// a self-contained <svg> element with axes, tick labels and a legend; no script, no
// external asset. Every text that reaches the markup goes through HtmlEscape.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sg::report {

// Escapes & < > " ' for use in element content and in quoted attribute values.
std::string HtmlEscape(std::string_view text);

// The colours of the report's series, in order (also what the browser test looks for).
inline constexpr const char* kSeriesColors[] = {"#1f77b4", "#d62728", "#2ca02c",
                                                "#ff7f0e", "#9467bd", "#8c564b"};

struct ChartPoint {
  double x = 0;
  double y = 0;
};

struct LineSeries {
  std::string name;
  std::vector<ChartPoint> points;  // x ascending
};

struct LineChartSpec {
  std::string id;  // the svg element's id
  std::string title;
  std::string x_label;
  std::string y_label;
  // The y axis spans [0, y_max]; y_max <= 0 picks a rounded maximum from the data.
  double y_max = 0;
  bool y_percent = false;  // tick labels as percentages of 1
  bool x_integers = true;  // one tick per integer x (iterations)
  std::vector<LineSeries> series;
};

// A line chart: one polyline per series with a circle (class "point") at every point.
std::string RenderLineChart(const LineChartSpec& spec);

struct BarGroup {
  std::string label;           // category on the x axis
  std::vector<double> values;  // one per series name
  // Optional 95% intervals, one [low, high] per value (low > high: none for that value).
  std::vector<std::pair<double, double>> intervals;
};

struct BarChartSpec {
  std::string id;
  std::string title;
  std::string y_label;
  std::vector<std::string> series_names;  // legend; one colour each
  std::vector<BarGroup> groups;
  double y_max = 0;  // as in LineChartSpec
  bool y_percent = false;
  std::string value_format = "{:.2f}";  // fmt format of the value printed over each bar
};

// A grouped vertical bar chart: one rect (class "bar") per group and series, and an error
// bar (a path of class "interval") over each value that has an interval.
std::string RenderBarChart(const BarChartSpec& spec);

// A maximum for an axis: the smallest of 1, 2, 2.5, 5 times a power of ten >= `value`.
double NiceCeiling(double value);

}  // namespace sg::report
