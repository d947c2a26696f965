#include "report/report_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sg::report {
namespace {

constexpr double kWidth = 600;
constexpr double kHeight = 340;
constexpr double kLeft = 64;
constexpr double kRight = 16;
constexpr double kTop = 40;
constexpr double kBottom = 78;  // x tick labels, x label, legend
constexpr int kYTicks = 5;

const char* Color(size_t i) { return kSeriesColors[i % std::size(kSeriesColors)]; }

// The plot area and the mapping of data to it.
struct Frame {
  double x_min = 0, x_max = 1, y_max = 1;
  double PlotW() const { return kWidth - kLeft - kRight; }
  double PlotH() const { return kHeight - kTop - kBottom; }
  double X(double x) const {
    return x_max == x_min ? kLeft + PlotW() / 2 : kLeft + (x - x_min) / (x_max - x_min) * PlotW();
  }
  double Y(double y) const { return kTop + PlotH() * (1 - std::clamp(y / y_max, 0.0, 1.0)); }
};

std::string TickLabel(double value, bool percent) {
  if (percent) return fmt::format("{:.0f}%", value * 100);
  if (value == std::floor(value) && std::abs(value) < 1e9) return fmt::format("{:.0f}", value);
  return fmt::format("{:.3g}", value);
}

std::string Open(const std::string& id, const std::string& title) {
  return fmt::format(
      "<svg class=\"chart\" id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
      "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}\">\n"
      "<rect x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#ffffff\"/>\n"
      "<text class=\"chart-title\" x=\"{:.0f}\" y=\"22\" text-anchor=\"middle\" "
      "font-size=\"15\" font-weight=\"bold\">{}</text>\n",
      HtmlEscape(id), kWidth, kHeight, kWidth, kHeight, HtmlEscape(title), kWidth, kHeight,
      kWidth / 2, HtmlEscape(title));
}

// The y axis with gridlines and tick labels, the x axis line, and the y label.
std::string YAxis(const Frame& f, bool percent, const std::string& y_label) {
  std::string out = "<g class=\"y-axis\" font-size=\"11\" fill=\"#333333\">\n";
  for (int i = 0; i <= kYTicks; ++i) {
    double v = f.y_max * i / kYTicks;
    double y = f.Y(v);
    out += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e3e3\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
        kLeft, y, kWidth - kRight, y, kLeft - 6, y + 4, TickLabel(v, percent));
  }
  out += fmt::format(
      "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#333333\"/>"
      "<line x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{3:.1f}\" y2=\"{2:.1f}\" stroke=\"#333333\"/>\n",
      kLeft, kTop, kTop + f.PlotH(), kWidth - kRight);
  out += fmt::format(
      "<text x=\"14\" y=\"{0:.1f}\" transform=\"rotate(-90 14 {0:.1f})\" text-anchor=\"middle\" "
      "font-size=\"12\">{1}</text>\n</g>\n",
      kTop + f.PlotH() / 2, HtmlEscape(y_label));
  return out;
}

std::string Legend(const std::vector<std::string>& names) {
  std::string out = "<g class=\"legend\" font-size=\"12\">\n";
  double x = kLeft;
  const double y = kHeight - 14;
  for (size_t i = 0; i < names.size(); ++i) {
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" fill=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
        x, y - 10, Color(i), x + 16, y, HtmlEscape(names[i]));
    x += 28 + 7.0 * static_cast<double>(names[i].size());
  }
  return out + "</g>\n";
}

double DataMax(double requested, double data_max) {
  if (requested > 0) return requested;
  return NiceCeiling(data_max > 0 ? data_max : 1);
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

double NiceCeiling(double value) {
  if (!(value > 0) || !std::isfinite(value)) return 1;
  double power = std::pow(10.0, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (step * power >= value * (1 - 1e-12)) return step * power;
  }
  return 10 * power;
}

std::string RenderLineChart(const LineChartSpec& spec) {
  Frame f;
  bool any = false;
  double data_max = 0;
  for (const auto& s : spec.series) {
    for (const auto& p : s.points) {
      f.x_min = any ? std::min(f.x_min, p.x) : p.x;
      f.x_max = any ? std::max(f.x_max, p.x) : p.x;
      data_max = std::max(data_max, p.y);
      any = true;
    }
  }
  f.y_max = DataMax(spec.y_max, data_max);
  std::string out = Open(spec.id, spec.title) + YAxis(f, spec.y_percent, spec.y_label);

  // x ticks
  out += "<g class=\"x-axis\" font-size=\"11\" fill=\"#333333\">\n";
  if (any) {
    std::vector<double> ticks;
    if (spec.x_integers) {
      int lo = static_cast<int>(std::ceil(f.x_min)), hi = static_cast<int>(std::floor(f.x_max));
      int step = std::max(1, (hi - lo) / 12 + 1);
      for (int x = lo; x <= hi; x += step) ticks.push_back(x);
    } else {
      for (int i = 0; i <= 5; ++i) ticks.push_back(f.x_min + (f.x_max - f.x_min) * i / 5);
    }
    for (double x : ticks) {
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                         f.X(x), kTop + f.PlotH() + 16, TickLabel(x, false));
    }
  } else {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">no data</text>\n",
                       kWidth / 2, kTop + f.PlotH() / 2);
  }
  out += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n</g>\n",
      kLeft + f.PlotW() / 2, kTop + f.PlotH() + 34, HtmlEscape(spec.x_label));

  std::vector<std::string> names;
  for (size_t i = 0; i < spec.series.size(); ++i) {
    const LineSeries& s = spec.series[i];
    names.push_back(s.name);
    out += fmt::format("<g class=\"series\" data-series=\"{}\" fill=\"{}\" stroke=\"{}\">\n",
                       HtmlEscape(s.name), Color(i), Color(i));
    if (s.points.size() > 1) {
      std::string pts;
      for (const auto& p : s.points) pts += fmt::format("{:.1f},{:.1f} ", f.X(p.x), f.Y(p.y));
      out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke-width=\"2.5\"/>\n", pts);
    }
    for (const auto& p : s.points) {
      out += fmt::format(
          "<circle class=\"point\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" data-x=\"{}\" "
          "data-y=\"{}\"><title>{}: {} at {}</title></circle>\n",
          f.X(p.x), f.Y(p.y), p.x, p.y, HtmlEscape(s.name), TickLabel(p.y, spec.y_percent),
          TickLabel(p.x, false));
    }
    out += "</g>\n";
  }
  return out + Legend(names) + "</svg>\n";
}

std::string RenderBarChart(const BarChartSpec& spec) {
  Frame f;
  double data_max = 0;
  for (const auto& g : spec.groups) {
    for (double v : g.values) data_max = std::max(data_max, v);
    for (const auto& [low, high] : g.intervals) data_max = std::max(data_max, high);
  }
  f.y_max = DataMax(spec.y_max, data_max);
  std::string out = Open(spec.id, spec.title) + YAxis(f, spec.y_percent, spec.y_label);
  const size_t n_series = std::max<size_t>(1, spec.series_names.size());
  const double group_w = spec.groups.empty() ? f.PlotW() : f.PlotW() / spec.groups.size();
  const double bar_w = std::min(48.0, group_w * 0.8 / n_series);
  if (spec.groups.empty()) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">no data</text>\n",
                       kWidth / 2, kTop + f.PlotH() / 2);
  }
  for (size_t gi = 0; gi < spec.groups.size(); ++gi) {
    const BarGroup& g = spec.groups[gi];
    const double center = kLeft + group_w * (gi + 0.5);
    const double start = center - bar_w * n_series / 2;
    out += fmt::format("<g class=\"group\" data-label=\"{}\">\n", HtmlEscape(g.label));
    for (size_t si = 0; si < g.values.size() && si < n_series; ++si) {
      const double v = g.values[si];
      const double y = f.Y(v);
      const double h = kTop + f.PlotH() - y;
      const std::string series = si < spec.series_names.size() ? spec.series_names[si] : "";
      const std::string shown =
          spec.y_percent ? TickLabel(v, true) : fmt::format(fmt::runtime(spec.value_format), v);
      out += fmt::format(
          "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"{}\" data-value=\"{}\"><title>{} {}: {}</title></rect>"
          "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"10\">{}</text>\n",
          start + bar_w * si, y, bar_w - 2, h, Color(si), v, HtmlEscape(g.label),
          HtmlEscape(series), shown, start + bar_w * si + bar_w / 2 - 1, y - 3, shown);
      if (si < g.intervals.size() && g.intervals[si].first <= g.intervals[si].second) {
        const double x = start + bar_w * si + bar_w / 2 - 1;
        const double y_low = f.Y(g.intervals[si].first), y_high = f.Y(g.intervals[si].second);
        out += fmt::format(
            "<path class=\"interval\" d=\"M{0:.1f} {1:.1f}V{2:.1f}M{3:.1f} {1:.1f}H{4:.1f}"
            "M{3:.1f} {2:.1f}H{4:.1f}\" stroke=\"#333\" fill=\"none\" data-low=\"{5}\" "
            "data-high=\"{6}\"/>\n",
            x, y_low, y_high, x - 4, x + 4, g.intervals[si].first, g.intervals[si].second);
      }
    }
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n</g>\n",
        center, kTop + f.PlotH() + 16, HtmlEscape(g.label));
  }
  return out + Legend(spec.series_names) + "</svg>\n";
}

}  // namespace sg::report
