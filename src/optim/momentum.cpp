#include "optim/momentum.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/file_util.h"

namespace sg::optim {
namespace {

// A JSON path for error messages: "record.patterns[2].appeared_in[0]".
std::string Join(std::string_view root, std::string_view key) {
  if (root.empty()) return std::string(key);
  return fmt::format("{}.{}", root, key);
}
std::string Index(std::string_view root, size_t i) { return fmt::format("{}[{}]", root, i); }
std::string Where(std::string_view path) {
  return path.empty() ? "(top level)" : std::string(path);
}

Error FieldError(std::string_view path, std::string_view message) {
  return ParseError(fmt::format("{}: {}", Where(path), message));
}

std::string Shown(const Json& value) {
  std::string text = DumpJson(value);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string_view TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

Status ExpectObject(const Json& json, std::string_view path) {
  if (json.is_object()) return Ok();
  return FieldError(path, fmt::format("expected an object, got {}", TypeName(json)));
}

// Looks up a required member of an object.
Result<const Json*> Member(const Json& object, std::string_view path, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) {
    return FieldError(Join(path, key), "missing; this field is required");
  }
  return &*it;
}

Result<std::string> ReadString(const Json& object, std::string_view path, const char* key,
                               bool allow_empty) {
  SG_ASSIGN_OR_RETURN(const Json* value, Member(object, path, key));
  if (!value->is_string()) {
    return FieldError(Join(path, key), fmt::format("expected a string, got {}", TypeName(*value)));
  }
  std::string text = value->get<std::string>();
  if (!allow_empty && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return FieldError(Join(path, key), "must not be empty");
  }
  return text;
}

Result<int> ReadInt(const Json& value, std::string_view path) {
  if (!value.is_number_integer()) {
    return FieldError(path, fmt::format("expected an integer, got {}", Shown(value)));
  }
  int64_t n = value.get<int64_t>();
  if (n < 0 || n > 1000000) return FieldError(path, fmt::format("{} is out of range", n));
  return static_cast<int>(n);
}

Result<int> ReadIntMember(const Json& object, std::string_view path, const char* key) {
  SG_ASSIGN_OR_RETURN(const Json* value, Member(object, path, key));
  return ReadInt(*value, Join(path, key));
}

// Optional member; null and absent both give nullopt.
Result<std::optional<std::string>> ReadOptionalString(const Json& object, std::string_view path,
                                                      const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return FieldError(Join(path, key),
                      fmt::format("expected a string or null, got {}", TypeName(*it)));
  }
  std::string text = it->get<std::string>();
  if (text.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(text));
}

Result<const Json*> ArrayMember(const Json& object, std::string_view path, const char* key,
                                bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return FieldError(Join(path, key), "missing; this field is required");
    return static_cast<const Json*>(nullptr);
  }
  if (!it->is_array()) {
    return FieldError(Join(path, key), fmt::format("expected an array, got {}", TypeName(*it)));
  }
  return &*it;
}

Status CheckAnchor(const std::optional<std::string>& anchor, std::string_view path) {
  if (!anchor) return Ok();
  const std::string& a = *anchor;
  if (a.starts_with("references/")) {
    if (!a.ends_with(".md") || a.size() <= std::string_view("references/.md").size() ||
        a.find("..") != std::string::npos) {
      return FieldError(path, fmt::format("\"{}\" is not of the form references/<file>.md", a));
    }
    return Ok();
  }
  if (!IsValidSlug(a)) {
    return FieldError(path,
                      fmt::format("\"{}\" is neither a B section slug (lowercase-hyphen) nor "
                                  "references/<file>.md; use null when there is no anchor yet",
                                  a));
  }
  return Ok();
}

Result<RemedyEntry> ParseRemedyEntry(const Json& json, std::string_view path) {
  SG_RETURN_IF_ERROR(ExpectObject(json, path));
  RemedyEntry entry;
  SG_ASSIGN_OR_RETURN(entry.iteration, ReadIntMember(json, path, "iteration"));
  if (entry.iteration < 1) return FieldError(Join(path, "iteration"), "iterations start at 1");
  SG_ASSIGN_OR_RETURN(entry.diagnosed, ReadString(json, path, "diagnosed", false));
  SG_ASSIGN_OR_RETURN(entry.patched, ReadString(json, path, "patched", false));
  SG_ASSIGN_OR_RETURN(auto from, ReadOptionalString(json, path, "from"));
  if (from) {
    if (!IsValidSlug(*from)) {
      return FieldError(Join(path, "from"),
                        fmt::format("\"{}\" is not a lowercase-hyphen slug", *from));
    }
    entry.from = *from;
  }
  return entry;
}

Result<PatternKind> ParseKind(const Json& object, std::string_view path) {
  SG_ASSIGN_OR_RETURN(std::string kind, ReadString(object, path, "kind", false));
  for (PatternKind k : {PatternKind::kOperation, PatternKind::kWorkflow, PatternKind::kMixed}) {
    if (kind == PatternKindName(k)) return k;
  }
  return FieldError(Join(path, "kind"),
                    fmt::format("\"{}\" is not one of operation, workflow, mixed", kind));
}

Result<Pattern> ParsePattern(const Json& json, std::string_view path) {
  SG_RETURN_IF_ERROR(ExpectObject(json, path));
  Pattern p;
  SG_ASSIGN_OR_RETURN(p.slug, ReadString(json, path, "slug", false));
  if (!IsValidSlug(p.slug)) {
    return FieldError(Join(path, "slug"),
                      fmt::format("\"{}\" is not a lowercase-hyphen slug (a-z, 0-9, single "
                                  "hyphens between words, e.g. \"lookup-key-normalization\")",
                                  p.slug));
  }
  SG_ASSIGN_OR_RETURN(p.kind, ParseKind(json, path));
  SG_ASSIGN_OR_RETURN(p.summary, ReadString(json, path, "summary", false));
  if (p.summary.find('\n') != std::string::npos) {
    return FieldError(Join(path, "summary"), "must be one line");
  }
  SG_ASSIGN_OR_RETURN(p.anchor, ReadOptionalString(json, path, "anchor"));
  SG_RETURN_IF_ERROR(CheckAnchor(p.anchor, Join(path, "anchor")));

  std::string appeared_path = Join(path, "appeared_in");
  SG_ASSIGN_OR_RETURN(const Json* appeared, ArrayMember(json, path, "appeared_in", true));
  if (appeared->empty()) {
    return FieldError(appeared_path, "must list at least one iteration the pattern appeared in");
  }
  for (size_t i = 0; i < appeared->size(); ++i) {
    SG_ASSIGN_OR_RETURN(int k, ReadInt((*appeared)[i], Index(appeared_path, i)));
    if (k < 1) return FieldError(Index(appeared_path, i), "iterations start at 1");
    if (!p.appeared_in.empty() && k <= p.appeared_in.back()) {
      return FieldError(Index(appeared_path, i),
                        fmt::format("{} does not come after {}; list iterations ascending, each "
                                    "once",
                                    k, p.appeared_in.back()));
    }
    p.appeared_in.push_back(k);
  }
  SG_ASSIGN_OR_RETURN(p.description, ReadString(json, path, "description", false));
  SG_ASSIGN_OR_RETURN(p.guidance, ReadString(json, path, "guidance", false));

  std::string log_path = Join(path, "remedy_log");
  SG_ASSIGN_OR_RETURN(const Json* log, ArrayMember(json, path, "remedy_log", false));
  if (log) {
    for (size_t i = 0; i < log->size(); ++i) {
      SG_ASSIGN_OR_RETURN(RemedyEntry entry, ParseRemedyEntry((*log)[i], Index(log_path, i)));
      p.remedy_log.push_back(std::move(entry));
    }
  }
  std::string merged_path = Join(path, "merged_from");
  SG_ASSIGN_OR_RETURN(const Json* merged, ArrayMember(json, path, "merged_from", false));
  if (merged) {
    for (size_t i = 0; i < merged->size(); ++i) {
      const Json& item = (*merged)[i];
      if (!item.is_string() || !IsValidSlug(item.get<std::string>())) {
        return FieldError(Index(merged_path, i),
                          fmt::format("{} is not a lowercase-hyphen slug", Shown(item)));
      }
      p.merged_from.push_back(item.get<std::string>());
    }
  }
  return p;
}

Result<Signal> ParseSignal(const Json& object, std::string_view path) {
  SG_ASSIGN_OR_RETURN(std::string signal, ReadString(object, path, "signal", false));
  if (signal == "failure") return Signal::kFailure;
  if (signal == "success") return Signal::kSuccess;
  return FieldError(Join(path, "signal"),
                    fmt::format("\"{}\" is not one of failure, success", signal));
}

Result<OverlayEntry> ParseOverlayEntry(const Json& json, std::string_view path) {
  SG_RETURN_IF_ERROR(ExpectObject(json, path));
  OverlayEntry e;
  SG_ASSIGN_OR_RETURN(e.task_id, ReadString(json, path, "task_id", false));
  SG_ASSIGN_OR_RETURN(e.signal, ParseSignal(json, path));
  SG_ASSIGN_OR_RETURN(e.pattern, ReadString(json, path, "pattern", false));
  // A task without actionable signal keeps only its id, signal and pattern; whatever else
  // was written is dropped, as the method says.
  if (!e.actionable()) return e;
  std::string slug = e.slug();
  if (!IsValidSlug(slug)) {
    return FieldError(Join(path, "pattern"),
                      fmt::format("\"{}\" is not a record slug, \"new:<slug>\" or \"{}\"",
                                  e.pattern, kNoActionableSignal));
  }
  SG_ASSIGN_OR_RETURN(e.anchor, ReadOptionalString(json, path, "anchor"));
  SG_RETURN_IF_ERROR(CheckAnchor(e.anchor, Join(path, "anchor")));
  SG_ASSIGN_OR_RETURN(e.gap, ReadString(json, path, "gap", false));
  SG_ASSIGN_OR_RETURN(e.proposed_change, ReadString(json, path, "proposed_change", false));
  return e;
}

Result<WorkflowTheme> ParseTheme(const Json& json, std::string_view path) {
  SG_RETURN_IF_ERROR(ExpectObject(json, path));
  WorkflowTheme theme;
  SG_ASSIGN_OR_RETURN(theme.theme, ReadString(json, path, "theme", false));
  std::string evidence_path = Join(path, "evidence");
  SG_ASSIGN_OR_RETURN(const Json* evidence, ArrayMember(json, path, "evidence", true));
  for (size_t i = 0; i < evidence->size(); ++i) {
    const Json& item = (*evidence)[i];
    if (!item.is_string() || item.get<std::string>().empty()) {
      return FieldError(
          Index(evidence_path, i),
          fmt::format("expected a task id or \"iter<k>:<task id>\", got {}", Shown(item)));
    }
    theme.evidence.push_back(item.get<std::string>());
  }
  return theme;
}

}  // namespace

Result<Pattern> ParsePatternJson(const Json& json, std::string_view path) {
  return ParsePattern(json, path);
}
Result<OverlayEntry> ParseOverlayEntryJson(const Json& json, std::string_view path) {
  return ParseOverlayEntry(json, path);
}
Result<WorkflowTheme> ParseWorkflowThemeJson(const Json& json, std::string_view path) {
  return ParseTheme(json, path);
}

std::string_view PatternKindName(PatternKind kind) {
  switch (kind) {
    case PatternKind::kOperation:
      return "operation";
    case PatternKind::kWorkflow:
      return "workflow";
    case PatternKind::kMixed:
      return "mixed";
  }
  return "operation";
}

std::string_view SignalName(Signal signal) {
  return signal == Signal::kSuccess ? "success" : "failure";
}

bool IsValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 80) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  char prev = 0;
  for (char c : slug) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

const Pattern* MomentumRecord::Find(std::string_view slug) const {
  for (const Pattern& p : patterns) {
    if (p.slug == slug) return &p;
  }
  return nullptr;
}
Pattern* MomentumRecord::Find(std::string_view slug) {
  for (Pattern& p : patterns) {
    if (p.slug == slug) return &p;
  }
  return nullptr;
}
const Pattern* MomentumRecord::FindMergeTarget(std::string_view slug) const {
  for (const Pattern& p : patterns) {
    if (std::find(p.merged_from.begin(), p.merged_from.end(), slug) != p.merged_from.end()) {
      return &p;
    }
  }
  return nullptr;
}

std::string OverlayEntry::slug() const {
  if (!actionable()) return "";
  if (introduces_pattern()) return pattern.substr(kNewPatternPrefix.size());
  return pattern;
}

const OverlayEntry* Overlay::FindTask(std::string_view task_id) const {
  for (const OverlayEntry& e : entries) {
    if (e.task_id == task_id) return &e;
  }
  return nullptr;
}

Result<MomentumRecord> ParseMomentumRecord(const Json& json, std::string_view root) {
  SG_RETURN_IF_ERROR(ExpectObject(json, root));
  MomentumRecord record;
  auto format = json.find("format");
  if (format != json.end() && *format != kMomentumFormat) {
    return FieldError(Join(root, "format"),
                      fmt::format("{} is not \"{}\"", Shown(*format), kMomentumFormat));
  }
  SG_ASSIGN_OR_RETURN(record.iteration, ReadIntMember(json, root, "iteration"));
  std::string patterns_path = Join(root, "patterns");
  SG_ASSIGN_OR_RETURN(const Json* patterns, ArrayMember(json, root, "patterns", true));
  for (size_t i = 0; i < patterns->size(); ++i) {
    SG_ASSIGN_OR_RETURN(Pattern p, ParsePattern((*patterns)[i], Index(patterns_path, i)));
    record.patterns.push_back(std::move(p));
  }
  return record;
}

Result<Overlay> ParseOverlay(const Json& json, std::string_view root) {
  SG_RETURN_IF_ERROR(ExpectObject(json, root));
  Overlay overlay;
  SG_ASSIGN_OR_RETURN(overlay.iteration, ReadIntMember(json, root, "iteration"));
  std::string entries_path = Join(root, "entries");
  SG_ASSIGN_OR_RETURN(const Json* entries, ArrayMember(json, root, "entries", true));
  for (size_t i = 0; i < entries->size(); ++i) {
    SG_ASSIGN_OR_RETURN(OverlayEntry e, ParseOverlayEntry((*entries)[i], Index(entries_path, i)));
    overlay.entries.push_back(std::move(e));
  }
  std::string themes_path = Join(root, "workflow_themes");
  SG_ASSIGN_OR_RETURN(const Json* themes, ArrayMember(json, root, "workflow_themes", false));
  if (themes) {
    for (size_t i = 0; i < themes->size(); ++i) {
      SG_ASSIGN_OR_RETURN(WorkflowTheme t, ParseTheme((*themes)[i], Index(themes_path, i)));
      overlay.workflow_themes.push_back(std::move(t));
    }
  }
  return overlay;
}

Result<MomentumSubmission> ParseMomentumSubmission(const Json& arguments) {
  SG_RETURN_IF_ERROR(ExpectObject(arguments, ""));
  MomentumSubmission submission;
  SG_ASSIGN_OR_RETURN(const Json* record, Member(arguments, "", "record"));
  SG_ASSIGN_OR_RETURN(submission.record, ParseMomentumRecord(*record, "record"));
  SG_ASSIGN_OR_RETURN(const Json* overlay, Member(arguments, "", "overlay"));
  SG_ASSIGN_OR_RETURN(submission.overlay, ParseOverlay(*overlay, "overlay"));
  return submission;
}

Json ToJson(const MomentumRecord& record) {
  Json patterns = Json::array();
  for (const Pattern& p : record.patterns) {
    Json log = Json::array();
    for (const RemedyEntry& e : p.remedy_log) {
      Json entry = {{"iteration", e.iteration}, {"diagnosed", e.diagnosed}, {"patched", e.patched}};
      if (!e.from.empty()) entry["from"] = e.from;
      log.push_back(std::move(entry));
    }
    Json item = {{"slug", p.slug},
                 {"kind", PatternKindName(p.kind)},
                 {"summary", p.summary},
                 {"anchor", p.anchor ? Json(*p.anchor) : Json(nullptr)},
                 {"appeared_in", p.appeared_in},
                 {"description", p.description},
                 {"guidance", p.guidance},
                 {"remedy_log", std::move(log)}};
    if (!p.merged_from.empty()) item["merged_from"] = p.merged_from;
    patterns.push_back(std::move(item));
  }
  return {{"format", kMomentumFormat},
          {"iteration", record.iteration},
          {"patterns", std::move(patterns)}};
}

Json ToJson(const Overlay& overlay) {
  Json entries = Json::array();
  for (const OverlayEntry& e : overlay.entries) {
    Json item = {{"task_id", e.task_id}, {"signal", SignalName(e.signal)}, {"pattern", e.pattern}};
    if (e.actionable()) {
      item["anchor"] = e.anchor ? Json(*e.anchor) : Json(nullptr);
      item["gap"] = e.gap;
      item["proposed_change"] = e.proposed_change;
    }
    entries.push_back(std::move(item));
  }
  Json themes = Json::array();
  for (const WorkflowTheme& t : overlay.workflow_themes) {
    themes.push_back({{"theme", t.theme}, {"evidence", t.evidence}});
  }
  return {{"iteration", overlay.iteration},
          {"entries", std::move(entries)},
          {"workflow_themes", std::move(themes)}};
}

Result<MomentumRecord> ReadMomentumRecord(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return MomentumRecord{};
  SG_ASSIGN_OR_RETURN(Json json, ReadJsonFile(path));
  auto record = ParseMomentumRecord(json, "");
  if (!record.ok()) return record.error().WithContext(path.string());
  return record;
}

void CarryForwardRemedyLogs(const MomentumRecord& previous, MomentumRecord& record) {
  for (const Pattern& before : previous.patterns) {
    if (Pattern* now = record.Find(before.slug)) {
      if (now->remedy_log.empty()) now->remedy_log = before.remedy_log;
    }
  }
  for (const Pattern& before : previous.patterns) {
    if (record.Find(before.slug) || before.remedy_log.empty()) continue;
    const Pattern* found = record.FindMergeTarget(before.slug);
    if (!found) continue;
    Pattern* target = record.Find(found->slug);
    bool carried_any = std::any_of(
        before.remedy_log.begin(), before.remedy_log.end(), [&](const RemedyEntry& entry) {
          return std::any_of(target->remedy_log.begin(), target->remedy_log.end(),
                             [&](const RemedyEntry& e) { return e.SameRemedy(entry); });
        });
    if (carried_any) continue;
    for (RemedyEntry entry : before.remedy_log) {
      if (entry.from.empty()) entry.from = before.slug;
      target->remedy_log.push_back(std::move(entry));
    }
  }
}

Result<PatchReport> ParsePatchReport(const Json& arguments) {
  SG_RETURN_IF_ERROR(ExpectObject(arguments, ""));
  PatchReport report;
  SG_ASSIGN_OR_RETURN(const Json* changes, ArrayMember(arguments, "", "changes", true));
  for (size_t i = 0; i < changes->size(); ++i) {
    std::string path = Index("changes", i);
    const Json& item = (*changes)[i];
    SG_RETURN_IF_ERROR(ExpectObject(item, path));
    PatchChange change;
    SG_ASSIGN_OR_RETURN(change.pattern, ReadString(item, path, "pattern", false));
    if (change.pattern.starts_with(kNewPatternPrefix)) {
      change.pattern = change.pattern.substr(kNewPatternPrefix.size());
    }
    SG_ASSIGN_OR_RETURN(change.diagnosed, ReadString(item, path, "diagnosed", false));
    SG_ASSIGN_OR_RETURN(change.patched, ReadString(item, path, "patched", false));
    report.changes.push_back(std::move(change));
  }
  auto notes = arguments.find("notes");
  if (notes != arguments.end() && !notes->is_null()) {
    if (!notes->is_string()) {
      return FieldError("notes", fmt::format("expected a string, got {}", TypeName(*notes)));
    }
    report.notes = notes->get<std::string>();
  }
  return report;
}

Json ToJson(const PatchReport& report) {
  Json changes = Json::array();
  for (const PatchChange& c : report.changes) {
    changes.push_back({{"pattern", c.pattern}, {"diagnosed", c.diagnosed}, {"patched", c.patched}});
  }
  return {{"changes", std::move(changes)}, {"notes", report.notes}};
}

std::vector<std::string> AppendRemedies(MomentumRecord& record,
                                        const std::vector<PatchChange>& changes, int iteration) {
  std::vector<std::string> unmatched;
  for (size_t i = 0; i < changes.size(); ++i) {
    const PatchChange& change = changes[i];
    std::string slug = change.pattern;
    if (slug.starts_with(kNewPatternPrefix)) slug = slug.substr(kNewPatternPrefix.size());
    Pattern* target = record.Find(slug);
    if (!target) {
      if (const Pattern* merged = record.FindMergeTarget(slug)) target = record.Find(merged->slug);
    }
    if (!target) {
      unmatched.push_back(fmt::format(
          "changes[{}].pattern: \"{}\" is not a pattern of the momentum record; the change was "
          "not logged",
          i, change.pattern));
      continue;
    }
    target->remedy_log.push_back({iteration, change.diagnosed, change.patched, ""});
  }
  return unmatched;
}

}  // namespace sg::optim
