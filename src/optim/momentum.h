// The optimizer state of SkillGrad (DESIGN section 2.2, "Momentum"): the pattern record
// M_t, carried from iteration to iteration, and the per-iteration overlay O_t. Both are
// value types parsed from and serialized to JSON (momentum_memory.json,
// momentum_overlay.json, the arguments of the submit_momentum tool). Validation against
// the previous record and the batch lives in momentum_validate.h, markdown rendering in
// momentum_render.h. docs/momentum.md describes the format and the merge rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace sg::optim {

inline constexpr std::string_view kMomentumFormat = "skillgrad-momentum/1";
// The overlay value of `pattern` for a task that teaches nothing reusable.
inline constexpr std::string_view kNoActionableSignal = "no-actionable-signal";
// Prefix of the overlay value of `pattern` that introduces a pattern this iteration.
inline constexpr std::string_view kNewPatternPrefix = "new:";
inline constexpr int kMaxWorkflowThemes = 3;

enum class PatternKind { kOperation, kWorkflow, kMixed };
std::string_view PatternKindName(PatternKind kind);

// One line of a pattern's append-only remedy log: what was diagnosed and what was patched
// in one iteration. `from` names the pattern the entry was written for when it was
// carried into this pattern by a merge (empty for the pattern's own entries).
struct RemedyEntry {
  int iteration = 0;
  std::string diagnosed;
  std::string patched;
  std::string from;

  // Same iteration, diagnosis and patch (the provenance `from` is not compared).
  bool SameRemedy(const RemedyEntry& other) const {
    return iteration == other.iteration && diagnosed == other.diagnosed && patched == other.patched;
  }
  friend bool operator==(const RemedyEntry&, const RemedyEntry&) = default;
};

// A class of mistake or success: same decision rule and same corrective action.
struct Pattern {
  std::string slug;  // lowercase-hyphen, unique in the record
  PatternKind kind = PatternKind::kOperation;
  std::string summary;                  // one line
  std::optional<std::string> anchor;    // a B section slug, "references/<file>.md", or none yet
  std::vector<int> appeared_in;         // iterations, ascending and unique
  std::string description;              // rewritten as evidence grows
  std::string guidance;                 // current best statement of what the executor should do
  std::vector<RemedyEntry> remedy_log;  // append-only
  // Slugs of patterns folded into this one (by this or an earlier iteration). A merged
  // slug never comes back as a pattern of its own; see docs/momentum.md.
  std::vector<std::string> merged_from;

  // How many iterations the pattern appeared in.
  int recurrence() const { return static_cast<int>(appeared_in.size()); }
  friend bool operator==(const Pattern&, const Pattern&) = default;
};

struct MomentumRecord {
  int iteration = 0;  // the last iteration folded in; 0 for the empty record
  std::vector<Pattern> patterns;

  const Pattern* Find(std::string_view slug) const;
  Pattern* Find(std::string_view slug);
  // The active pattern that absorbed `slug` through merged_from, or nullptr.
  const Pattern* FindMergeTarget(std::string_view slug) const;
  bool empty() const { return patterns.empty(); }
  friend bool operator==(const MomentumRecord&, const MomentumRecord&) = default;
};

enum class Signal { kFailure, kSuccess };
std::string_view SignalName(Signal signal);

struct OverlayEntry {
  std::string task_id;
  Signal signal = Signal::kFailure;
  // An existing slug, "new:<slug>", or "no-actionable-signal".
  std::string pattern;
  // The fields below are empty for no-actionable-signal.
  std::optional<std::string> anchor;
  std::string gap;
  std::string proposed_change;

  bool actionable() const { return pattern != kNoActionableSignal; }
  bool introduces_pattern() const { return pattern.starts_with(kNewPatternPrefix); }
  // The record slug this entry refers to ("new:" stripped); empty when not actionable.
  std::string slug() const;
  friend bool operator==(const OverlayEntry&, const OverlayEntry&) = default;
};

// A thinking step shared by successes. Evidence items are task ids of this iteration's
// batch, or "iter<k>:<task id>" for a success of an earlier iteration k.
struct WorkflowTheme {
  std::string theme;
  std::vector<std::string> evidence;
  friend bool operator==(const WorkflowTheme&, const WorkflowTheme&) = default;
};

struct Overlay {
  int iteration = 0;
  std::vector<OverlayEntry> entries;
  std::vector<WorkflowTheme> workflow_themes;

  const OverlayEntry* FindTask(std::string_view task_id) const;
  friend bool operator==(const Overlay&, const Overlay&) = default;
};

// What the momentum agent submits in one call of submit_momentum.
struct MomentumSubmission {
  MomentumRecord record;
  Overlay overlay;
};

// Parsers. Structural problems (a missing field, a wrong type, a value outside an enum, a
// slug that is not lowercase-hyphen, an unsorted appeared_in) are a kParse error whose
// message starts with the JSON path of the field at fault under `root`, e.g.
// "record.patterns[2].kind: \"bug\" is not one of operation, workflow, mixed".
// Cross-checks against the iteration, the batch and the previous record are left to
// ValidateMomentum (momentum_validate.h), which reports every violation at once.
Result<MomentumRecord> ParseMomentumRecord(const Json& json, std::string_view root = "");
Result<Overlay> ParseOverlay(const Json& json, std::string_view root = "");
// One item of a record or an overlay, with the same error paths (for the per-item
// acceptance of momentum_rounds.h).
Result<Pattern> ParsePatternJson(const Json& json, std::string_view path);
Result<OverlayEntry> ParseOverlayEntryJson(const Json& json, std::string_view path);
Result<WorkflowTheme> ParseWorkflowThemeJson(const Json& json, std::string_view path);
// The arguments of submit_momentum: {"record": {...}, "overlay": {...}}.
Result<MomentumSubmission> ParseMomentumSubmission(const Json& arguments);

Json ToJson(const MomentumRecord& record);
Json ToJson(const Overlay& overlay);

// Reads momentum_memory.json; a missing file is the empty record.
Result<MomentumRecord> ReadMomentumRecord(const std::filesystem::path& path);

bool IsValidSlug(std::string_view slug);

// Fills in what the momentum agent may leave out of a submission (docs/momentum.md):
// a pattern of `previous` submitted with an empty remedy_log gets its previous log back,
// and a merge target that holds none of a merged pattern's entries gets them appended,
// each marked with `from`. Anything else the agent wrote is left for ValidateRecord.
void CarryForwardRemedyLogs(const MomentumRecord& previous, MomentumRecord& record);

// One change of the patcher's submit_patch_report.
struct PatchChange {
  std::string pattern;  // a record slug ("new:" accepted and stripped)
  std::string diagnosed;
  std::string patched;  // what was changed where
};
struct PatchReport {
  std::vector<PatchChange> changes;
  std::string notes;
};
// The arguments of submit_patch_report: {"changes": [...], "notes": "..."}.
Result<PatchReport> ParsePatchReport(const Json& arguments);
Json ToJson(const PatchReport& report);

// Appends one remedy-log entry of iteration `iteration` per change to the pattern the
// change names. A change that names a slug merged into another pattern goes to that
// pattern. Returns one message per change whose pattern is not in the record (those are
// not appended; the caller records them).
std::vector<std::string> AppendRemedies(MomentumRecord& record,
                                        const std::vector<PatchChange>& changes, int iteration);

}  // namespace sg::optim
