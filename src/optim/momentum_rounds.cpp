#include "optim/momentum_rounds.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <utility>

#include "core/json_fields.h"

namespace sg::optim {
namespace {

// One item of this round: sent by the agent now, or a pending item tried again.
template <typename T>
struct Sent {
  T value;
  Json json;
  std::string key;
  std::string label;
  bool out = false;  // rejected this round
};

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string StripNew(std::string slug) {
  if (slug.starts_with(kNewPatternPrefix)) slug = slug.substr(kNewPatternPrefix.size());
  return slug;
}

std::string StringAt(const Json& json, const char* key) {
  if (!json.is_object()) return "";
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string PatternLabel(const std::string& slug) {
  return fmt::format("record pattern \"{}\"", slug);
}
std::string EntryLabel(const std::string& task) {
  return fmt::format("overlay entry of task \"{}\"", task);
}
std::string ThemeLabel(const std::string& theme) {
  return fmt::format("workflow theme \"{}\"", theme);
}

// An optional array member; `error` is set when it is there but not an array.
const Json* OptionalArray(const Json& object, const char* key, const std::string& path,
                          std::string& error) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    error = fmt::format("{}.{}: expected an array", path, key);
    return nullptr;
  }
  return &*it;
}

// The slug of "... but no overlay entry names \"<slug>\" ..." (ValidateOverlay), if any.
std::optional<std::string> UnnamedSlug(const std::string& violation) {
  static const std::string kHead = "but no overlay entry names \"";
  size_t at = violation.find(kHead);
  if (at == std::string::npos) return std::nullopt;
  at += kHead.size();
  size_t end = violation.find('"', at);
  if (end == std::string::npos) return std::nullopt;
  return violation.substr(at, end - at);
}

bool IsMissingEntry(const std::string& violation) {
  return violation.starts_with("overlay.entries: task \"") &&
         violation.find("of the batch has no entry") != std::string::npos;
}

}  // namespace

Json ToJson(const RejectedItem& item) {
  Json json = {{"key", item.key},
               {"label", item.label},
               {"reasons", item.reasons},
               {"submitted", item.submitted}};
  if (!item.slug.empty()) json["pattern"] = item.slug;
  return json;
}

Result<RejectedItem> ParseRejectedItem(const Json& json) {
  if (!json.is_object() || StringAt(json, "key").empty()) {
    return ParseError("a dropped momentum item needs an object with a \"key\"");
  }
  RejectedItem item;
  item.key = StringAt(json, "key");
  item.label = StringAt(json, "label");
  item.reasons = StringListField(json, "reasons");
  item.submitted = json.value("submitted", Json());
  item.slug = StringAt(json, "pattern");
  return item;
}

struct MomentumRounds::Round {
  std::vector<Sent<Pattern>> patterns;
  std::vector<Sent<OverlayEntry>> entries;
  std::vector<Sent<WorkflowTheme>> themes;
  std::map<std::string, RejectedItem> rejected;  // this round's, by key
  std::vector<std::string> order;                // keys of `rejected` in the order found
  // The candidate state, and for each of its items the Sent it came from (-1: kept before).
  MomentumRecord record;
  Overlay overlay;
  std::vector<int> pattern_from;
  std::vector<int> entry_from;
  std::vector<int> theme_from;

  void Reject(const std::string& key, const std::string& label, const Json& json,
              const std::string& reason, const std::string& slug = "") {
    auto [it, inserted] = rejected.emplace(key, RejectedItem{key, label, json, {}, slug});
    if (inserted) order.push_back(key);
    if (!Contains(it->second.reasons, reason)) it->second.reasons.push_back(reason);
  }
  template <typename T>
  void Reject(Sent<T>& item, const std::string& reason, const std::string& slug = "") {
    item.out = true;
    Reject(item.key, item.label, item.json, reason, slug);
  }
  void RejectEntry(size_t i, const std::string& reason) {
    Reject(entries[i], reason, entries[i].value.slug());
  }
  bool EntryRejectedFor(const std::string& slug, const std::vector<RejectedItem>& pending) const {
    for (const auto& [key, item] : rejected) {
      if (item.slug == slug) return true;
    }
    return std::any_of(pending.begin(), pending.end(),
                       [&](const RejectedItem& item) { return item.slug == slug; });
  }
};

MomentumRounds::MomentumRounds(MomentumRecord previous, MomentumContext context)
    : previous_(std::move(previous)), context_(std::move(context)) {
  record_ = previous_;
  record_.iteration = context_.iteration;
  overlay_.iteration = context_.iteration;
}

namespace {

// Lays this round's accepted items over `list` (what earlier rounds kept): an item replaces
// the kept one with the same key, or is appended. `from[j]` is the index in `sent` that
// list[j] came from, -1 for an item kept from an earlier round.
template <typename Item, typename SentItem, typename KeyOf>
void LayOver(std::vector<Item>& list, std::vector<int>& from, const std::vector<SentItem>& sent,
             KeyOf key_of) {
  from.assign(list.size(), -1);
  for (size_t i = 0; i < sent.size(); ++i) {
    if (sent[i].out) continue;
    const Item& item = sent[i].value;
    auto at = std::find_if(list.begin(), list.end(),
                           [&](const Item& q) { return key_of(q) == key_of(item); });
    if (at != list.end()) {
      *at = item;
      from[at - list.begin()] = static_cast<int>(i);
    } else {
      list.push_back(item);
      from.push_back(static_cast<int>(i));
    }
  }
}

// Builds the candidate: what was kept, with this round's accepted items laid over it.
template <typename Round>
void Assemble(Round& round, const MomentumRecord& kept, const Overlay& kept_overlay,
              const MomentumRecord& previous, int t) {
  round.record = kept;
  round.record.iteration = t;
  LayOver(round.record.patterns, round.pattern_from, round.patterns,
          [](const Pattern& p) { return p.slug; });
  std::set<std::string> absorbed;
  for (const auto& sent : round.patterns) {
    if (!sent.out) absorbed.insert(sent.value.merged_from.begin(), sent.value.merged_from.end());
  }
  // A kept pattern that an accepted pattern now merges leaves the list.
  for (size_t i = round.record.patterns.size(); i-- > 0;) {
    if (round.pattern_from[i] < 0 && absorbed.count(round.record.patterns[i].slug)) {
      round.record.patterns.erase(round.record.patterns.begin() + i);
      round.pattern_from.erase(round.pattern_from.begin() + i);
    }
  }
  CarryForwardRemedyLogs(previous, round.record);

  round.overlay = kept_overlay;
  round.overlay.iteration = t;
  LayOver(round.overlay.entries, round.entry_from, round.entries,
          [](const OverlayEntry& e) { return e.task_id; });
  LayOver(round.overlay.workflow_themes, round.theme_from, round.themes,
          [](const WorkflowTheme& w) { return w.theme; });
}

// The fault of a violation at a kept pattern lies with what this round sent about it: the
// entries that name it and the patterns that merge it or share its merges.
template <typename Round>
bool RejectForKeptPattern(Round& round, const Pattern& kept, const std::string& reason) {
  bool any = false;
  std::string why = fmt::format("{} (about the kept pattern \"{}\")", reason, kept.slug);
  for (size_t i = 0; i < round.entries.size(); ++i) {
    if (!round.entries[i].out && round.entries[i].value.slug() == kept.slug) {
      round.RejectEntry(i, why);
      any = true;
    }
  }
  for (auto& sent : round.patterns) {
    if (sent.out) continue;
    const Pattern& p = sent.value;
    bool related = p.slug == kept.slug || Contains(kept.merged_from, p.slug) ||
                   Contains(p.merged_from, kept.slug) ||
                   std::any_of(p.merged_from.begin(), p.merged_from.end(),
                               [&](const std::string& s) { return Contains(kept.merged_from, s); });
    if (related) {
      round.Reject(sent, why);
      any = true;
    }
  }
  return any;
}

// A violation at a kept entry: the patterns sent this round that took its pattern away.
template <typename Round>
bool RejectForKeptEntry(Round& round, const OverlayEntry& kept, const std::string& reason) {
  bool any = false;
  const std::string slug = kept.slug();
  for (auto& sent : round.patterns) {
    if (sent.out) continue;
    if (sent.value.slug == slug || Contains(sent.value.merged_from, slug)) {
      round.Reject(sent,
                   fmt::format("{} (about the kept entry of task \"{}\")", reason, kept.task_id));
      any = true;
    }
  }
  return any;
}

}  // namespace

// Rejects items until the candidate validates (up to the gaps a drop leaves). When a
// violation cannot be pinned on an item of this round, the whole round goes back.
void MomentumRounds::Reconcile(Round& round) {
  static const std::regex kItem(
      R"(^(record\.patterns|overlay\.entries|overlay\.workflow_themes)\[(\d+)\])");
  for (int pass = 0; pass < 1000; ++pass) {
    Assemble(round, record_, overlay_, previous_, context_.iteration);
    std::vector<std::string> violations =
        ValidateMomentum({round.record, round.overlay}, previous_, context_);
    bool progress = false;
    std::vector<std::string> unresolved;
    for (const std::string& v : violations) {
      if (IsMissingEntry(v)) continue;  // recorded by Commit
      if (auto slug = UnnamedSlug(v); slug && round.EntryRejectedFor(*slug, pending_)) continue;
      std::smatch m;
      bool pinned = false;
      if (std::regex_search(v, m, kItem)) {
        const size_t i = std::stoul(m[2].str());
        const std::string where = m[1].str();
        if (where == "record.patterns" && i < round.pattern_from.size()) {
          int from = round.pattern_from[i];
          if (from >= 0) {
            round.Reject(round.patterns[from], v);
            pinned = true;
          } else {
            pinned = RejectForKeptPattern(round, round.record.patterns[i], v);
          }
        } else if (where == "overlay.entries" && i < round.entry_from.size()) {
          int from = round.entry_from[i];
          if (from >= 0) {
            round.RejectEntry(from, v);
            pinned = true;
          } else {
            pinned = RejectForKeptEntry(round, round.overlay.entries[i], v);
          }
        } else if (where == "overlay.workflow_themes" && i < round.theme_from.size() &&
                   round.theme_from[i] >= 0) {
          round.Reject(round.themes[round.theme_from[i]], v);
          pinned = true;
        }
      } else if (v.starts_with("overlay.workflow_themes: ")) {
        for (size_t i = round.themes.size(); i-- > 0 && !pinned;) {
          if (!round.themes[i].out) {
            round.Reject(round.themes[i], v);
            pinned = true;
          }
        }
      }
      if (pinned) {
        progress = true;
      } else {
        unresolved.push_back(v);
      }
    }
    if (!progress && unresolved.empty()) return;
    if (!progress) {
      std::string why =
          fmt::format("not taken: this submission could not be checked item by item ({})",
                      fmt::join(unresolved, "; "));
      for (auto& sent : round.patterns) {
        if (!sent.out) round.Reject(sent, why);
      }
      for (size_t i = 0; i < round.entries.size(); ++i) {
        if (!round.entries[i].out) round.RejectEntry(i, why);
      }
      for (auto& sent : round.themes) {
        if (!sent.out) round.Reject(sent, why);
      }
      Assemble(round, record_, overlay_, previous_, context_.iteration);
      return;
    }
  }
}

void MomentumRounds::Commit(Round& round) {
  record_ = std::move(round.record);
  overlay_ = std::move(round.overlay);
  std::set<std::string> taken;
  for (const auto& sent : round.patterns) {
    if (!sent.out) taken.insert(sent.key);
  }
  for (const auto& sent : round.entries) {
    if (!sent.out) taken.insert(sent.key);
  }
  for (const auto& sent : round.themes) {
    if (!sent.out) taken.insert(sent.key);
  }
  // A task that has no entry after this round is an item the agent still owes.
  for (const std::string& id : context_.batch_task_ids) {
    if (overlay_.FindTask(id)) continue;
    std::string key = "entry:" + id;
    if (round.rejected.count(key)) continue;
    auto old = std::find_if(pending_.begin(), pending_.end(),
                            [&](const RejectedItem& item) { return item.key == key; });
    if (old != pending_.end()) continue;
    round.Reject(key, EntryLabel(id), Json(),
                 fmt::format("overlay.entries: task \"{}\" of the batch has no entry; add one "
                             "(pattern \"{}\" if it teaches nothing reusable)",
                             id, kNoActionableSignal));
  }
  std::erase_if(pending_, [&](const RejectedItem& item) {
    return taken.count(item.key) || round.rejected.count(item.key);
  });
  for (const std::string& key : round.order) pending_.push_back(round.rejected[key]);
}

MomentumRounds::Reply MomentumRounds::Submit(const Json& arguments) {
  ++submissions_;
  std::string error;
  const Json empty = Json::object();
  const Json* record = &empty;
  const Json* overlay = &empty;
  if (!arguments.is_object()) {
    error = "(top level): expected an object with \"record\" and \"overlay\"";
  } else {
    if (arguments.contains("record")) record = &arguments["record"];
    if (arguments.contains("overlay")) overlay = &arguments["overlay"];
    if (!record->is_object()) error = "record: expected an object";
    if (!overlay->is_object()) error = "overlay: expected an object";
  }
  const Json* patterns =
      error.empty() ? OptionalArray(*record, "patterns", "record", error) : nullptr;
  const Json* entries =
      error.empty() ? OptionalArray(*overlay, "entries", "overlay", error) : nullptr;
  const Json* themes =
      error.empty() ? OptionalArray(*overlay, "workflow_themes", "overlay", error) : nullptr;
  if (!error.empty()) {
    last_error_ = error;
    return Answer({error});
  }
  took_any_ = true;

  Round round;
  std::set<std::string> sent_keys;
  auto add_pattern = [&](const Json& json, const std::string& path) {
    std::string slug = StringAt(json, "slug");
    std::string key = slug.empty() ? path : "pattern:" + slug;
    std::string label = slug.empty() ? path : PatternLabel(slug);
    sent_keys.insert(key);
    auto parsed = ParsePatternJson(json, path);
    if (!parsed.ok()) return round.Reject(key, label, json, parsed.error().message);
    round.patterns.push_back({std::move(parsed).value(), json, key, label});
  };
  auto add_entry = [&](const Json& json, const std::string& path) {
    std::string task = StringAt(json, "task_id");
    std::string key = task.empty() ? path : "entry:" + task;
    std::string label = task.empty() ? path : EntryLabel(task);
    sent_keys.insert(key);
    auto parsed = ParseOverlayEntryJson(json, path);
    if (!parsed.ok()) {
      return round.Reject(key, label, json, parsed.error().message,
                          StripNew(StringAt(json, "pattern")));
    }
    round.entries.push_back({std::move(parsed).value(), json, key, label});
  };
  auto add_theme = [&](const Json& json, const std::string& path) {
    std::string text = StringAt(json, "theme");
    std::string key = text.empty() ? path : "theme:" + text;
    std::string label = text.empty() ? path : ThemeLabel(text);
    sent_keys.insert(key);
    auto parsed = ParseWorkflowThemeJson(json, path);
    if (!parsed.ok()) return round.Reject(key, label, json, parsed.error().message);
    round.themes.push_back({std::move(parsed).value(), json, key, label});
  };
  for (size_t i = 0; patterns && i < patterns->size(); ++i) {
    add_pattern((*patterns)[i], fmt::format("record.patterns[{}]", i));
  }
  for (size_t i = 0; entries && i < entries->size(); ++i) {
    add_entry((*entries)[i], fmt::format("overlay.entries[{}]", i));
  }
  for (size_t i = 0; themes && i < themes->size(); ++i) {
    add_theme((*themes)[i], fmt::format("overlay.workflow_themes[{}]", i));
  }
  // A pending item that was held back by another one comes back by itself once that one
  // is fixed: its last version is tried again unless the agent sent a new one.
  std::vector<RejectedItem> retry;
  for (const RejectedItem& item : pending_) {
    if (!item.submitted.is_null() && !sent_keys.count(item.key)) retry.push_back(item);
  }
  for (const RejectedItem& item : retry) {
    if (item.key.starts_with("pattern:")) add_pattern(item.submitted, item.label);
    if (item.key.starts_with("entry:")) add_entry(item.submitted, item.label);
    if (item.key.starts_with("theme:")) add_theme(item.submitted, item.label);
  }
  Reconcile(round);
  Commit(round);
  return Answer({});
}

MomentumRounds::Reply MomentumRounds::Answer(std::vector<std::string> errors) {
  Reply reply;
  const int left = kMomentumResubmissions + 1 - submissions_;
  if (errors.empty() && pending_.empty()) {
    reply.done = true;
    reply.all_kept = true;
    reply.text = fmt::format(
        "accepted: the record ({} pattern(s)) and the overlay ({} entries, {} workflow "
        "theme(s)) are kept",
        record_.patterns.size(), overlay_.entries.size(), overlay_.workflow_themes.size());
    return reply;
  }
  std::string text;
  if (!errors.empty()) {
    text = fmt::format("The submission could not be read: {}\n", fmt::join(errors, "; "));
  }
  text += fmt::format(
      "Kept so far: {} pattern(s), {} overlay entries, {} workflow theme(s). Not accepted: {} "
      "item(s).\n",
      record_.patterns.size(), overlay_.entries.size(), overlay_.workflow_themes.size(),
      pending_.size());
  for (size_t i = 0; i < pending_.size(); ++i) {
    text +=
        fmt::format("{}. {}: {}\n", i + 1, pending_[i].label, fmt::join(pending_[i].reasons, "; "));
  }
  if (left > 0) {
    text += fmt::format(
        "Call submit_momentum again with only these items, corrected: the patterns in "
        "record.patterns, the entries in overlay.entries, the themes in "
        "overlay.workflow_themes. Leave out what was kept (send a kept item again only to "
        "change it). {} more submission(s); what is still not accepted then is dropped and "
        "recorded.\n",
        left);
  } else {
    reply.done = true;
    text +=
        "No submissions left: these items are dropped and recorded in momentum_dropped.json; "
        "the kept items stand.\n";
  }
  reply.text = std::move(text);
  return reply;
}

}  // namespace sg::optim
