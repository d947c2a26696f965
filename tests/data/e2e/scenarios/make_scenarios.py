#!/usr/bin/env python3
"""Writes the mock-LLM scenarios of the optimizer's end-to-end tests (src/optim/e2e_*_test.cpp).

base.json scripts a deterministic model for every role over the wtq-mini benchmark:
  executor   activate_skill -> shell running a python3 script on table.csv -> submit_answer with
             the printed value;
             a "total" question is answered right only when the activated skill body holds the
             separator rule (SEPARATOR_RULE), otherwise the code skips the "1,234" cells.
  diagnosers one LABEL diagnosis per task (failure or contrastive).
  momentum   submit_momentum with one overlay entry per batch task (ids captured from the prompt).
  patcher    write_file SKILL.md (iteration 1 adds the rule, iteration 2 a pitfall), then
             submit_patch_report.
Every other file holds only the rules of one test case; the tests put them before base.json's
rules (the first matching rule wins). Run this script after editing it; commit its output.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = open(os.path.join(HERE, "..", "seed-skill", "table-qa", "SKILL.md")).read()

SEPARATOR_RULE = ("Strip thousands separators (commas) from every numeric cell before adding: "
                  "\"1,200\" is 1200, not text to skip.")
TOTALS_SEED = "Add the values of the asked column over every data row.\n"
V1 = SEED.replace(TOTALS_SEED, TOTALS_SEED + SEPARATOR_RULE + "\n")
PITFALL = "- Skipping numbers written with thousands separators instead of cleaning them.\n"
V2 = V1 + PITFALL
assert V1 != SEED and V2 != V1
# A harmful edit for --accept validate: lookups answered from the first data row.
HARMFUL_RULE = "Answer lookups with the value in the first data row of the asked column."
HARMFUL = SEED.replace("## Lookups\n\nMatch the key in the first column exactly and return the "
                       "cell of the asked column.\n", "## Lookups\n\n" + HARMFUL_RULE + "\n")
assert HARMFUL != SEED
# A patch that breaks lint (an orphan reference), and its repair (the pointer).
REFERENCE = ("# Numbers with separators\n\n```python\nvalue = float(cell.replace(\",\", \"\"))\n"
             "```\n\nCheck: the total of the cleaned column is at least its largest cell; if "
             "not, print the cells that failed to parse and clean them too.\n")
POINTER = ("Read references/separators.md when a numeric column holds text such as \"1,200\". "
           "Skip when the column is already numeric.")
REPAIRED = V1.replace(SEPARATOR_RULE + "\n", SEPARATOR_RULE + "\n" + POINTER + "\n")

USAGE = {"input": 10000, "output": 1000}

ROLES = [
    {"name": "executor", "system": "You are an agent that completes"},
    {"name": "failure_diagnoser", "system": "You are the failure diagnoser"},
    {"name": "contrastive_diagnoser", "system": "You are the contrastive diagnoser"},
    {"name": "momentum", "system": "You are the momentum agent"},
    {"name": "patcher", "system": "You are the patcher"},
]

LOAD = "import csv\nrows = list(csv.DictReader(open('table.csv')))\n"
TOTAL_RIGHT = LOAD + ("total = sum(int(r['{{message.1}}'].replace(',', '')) for r in rows)\n"
                      "print('RESULT=' + str(total))\n")
TOTAL_NAIVE = LOAD + ("total = sum(int(r['{{message.1}}']) for r in rows "
                      "if r['{{message.1}}'].isdigit())\nprint('RESULT=' + str(total))\n")
LOOKUP = LOAD + ("key = list(rows[0].keys())[0]\n"
                 "print('RESULT=' + next(r['{{message.1}}'] for r in rows "
                 "if r[key] == '{{message.2}}'))\n")
LOOKUP_FIRST_ROW = LOAD + "print('RESULT=' + rows[0]['{{message.1}}'])\n"
TOTAL_Q = r"Question: What is the total (\w+)\?"
LOOKUP_Q = r"Question: What is the (\w+) of ([^?]+)\?"


def shell_python(code):
    """A shell call that runs `code` with python3 (the method's executor has no python tool)."""
    return {"name": "shell", "arguments": {"commands": ["python3 - <<'PY'\n" + code + "PY"]}}


def python_call(code):
    return {"tool_calls": [shell_python(code)], "usage": USAGE}


def executor_rules():
    return [
        {"name": "exec-activate", "match": {"role": "executor", "turn": 0},
         "reply": {"tool_calls": [{"name": "activate_skill", "arguments": {"name": "table-qa"}}],
                   "usage": USAGE}},
        {"name": "exec-total-with-rule",
         "match": {"role": "executor", "turn": 1,
                   "last_message": {"role": "tool", "contains": "Strip thousands separators"},
                   "any_message": {"regex": TOTAL_Q}},
         "reply": python_call(TOTAL_RIGHT)},
        {"name": "exec-total-naive",
         "match": {"role": "executor", "turn": 1, "any_message": {"regex": TOTAL_Q}},
         "reply": python_call(TOTAL_NAIVE)},
        {"name": "exec-lookup",
         "match": {"role": "executor", "turn": 1, "any_message": {"regex": LOOKUP_Q}},
         "reply": python_call(LOOKUP)},
        {"name": "exec-submit",
         "match": {"role": "executor", "turn": 2,
                   "last_message": {"role": "tool", "regex": "RESULT=([^\\n\"\\\\]*)"}},
         "reply": {"tool_calls": [{"name": "submit_answer", "arguments": {"answer": "{{last.1}}"}}],
                   "usage": USAGE}},
    ]


FAILURE_DIAGNOSIS = """LABEL: numbers with thousands separators skipped in an aggregate

## What went wrong
The total left out every cell written with a thousands separator.

## Responsible step
The python call summed only the cells that were plain digits.

## Right approach
Strip the separators from every numeric cell, then add all of them.

## Skipped reasoning
The executor never checked that every row took part in the total.
"""

CONTRASTIVE_DIAGNOSIS = """LABEL: separators stripped before aggregating

## What changed
The executor cleaned the separators before adding, as the skill now says.

## Robust or lucky
robust: the rule applies to every numeric column written with separators.

## Decisive step
Cleaning each cell before the sum, instead of skipping the ones that did not parse.
"""


def diagnoser_rules():
    return [
        {"name": "diag-failure", "match": {"role": "failure_diagnoser"},
         "reply": {"text": FAILURE_DIAGNOSIS, "usage": USAGE}},
        {"name": "diag-contrastive", "match": {"role": "contrastive_diagnoser"},
         "reply": {"text": CONTRASTIVE_DIAGNOSIS, "usage": USAGE}},
    ]


SLUG = "separator-stripping"
BATCH_RE = r"momentum for iteration {t}\.[\s\S]*Batch tasks: ([\w-]+) \((\w+)\), ([\w-]+) \((\w+)\)"


def record(t):
    return {
        "format": "skillgrad-momentum/1", "iteration": t,
        "patterns": [{
            "slug": SLUG, "kind": "operation",
            "summary": "Totals skip numbers written with thousands separators",
            "anchor": "totals", "appeared_in": list(range(1, t + 1)),
            "description": "Aggregates drop cells such as 1,200 that do not parse as numbers.",
            "guidance": "Strip separators from every numeric cell before adding.",
            "remedy_log": [{"iteration": 1, "diagnosed": "separator cells skipped in totals",
                            "patched": "Totals: strip separators before adding"}] if t == 1 else [],
        }],
    }


def entry(task_group, signal_group, t, source="last"):
    """An overlay entry whose task id and signal are regex groups of `source`'s pattern."""
    return {"task_id": "{{%s.%d}}" % (source, task_group),
            "signal": "{{%s.%d}}" % (source, signal_group),
            "pattern": ("new:" if t == 1 else "") + SLUG, "anchor": "totals",
            "gap": "the skill does not say how to read numbers with separators",
            "proposed_change": "add a separator rule to Totals"}


def overlay(t, entries):
    return {"iteration": t, "entries": entries, "workflow_themes": []}


def submit_momentum(t, entries):
    return {"tool_calls": [{"name": "submit_momentum",
                            "arguments": {"record": record(t), "overlay": overlay(t, entries)}}],
            "usage": USAGE}


def momentum_rules():
    rules = []
    for t in (1, 2):
        rules.append({
            "name": "momentum-%d" % t,
            "match": {"role": "momentum", "turn": 0,
                      "last_message": {"role": "user", "regex": BATCH_RE.format(t=t)}},
            "reply": submit_momentum(t, [entry(1, 2, t), entry(3, 4, t)])})
    return rules


def write_skill(content, path="table-qa/SKILL.md"):
    return {"name": "write_file", "arguments": {"path": path, "content": content}}


def patch_report(pattern, patched, notes=""):
    return {"tool_calls": [{"name": "submit_patch_report", "arguments": {
        "changes": [{"pattern": pattern, "diagnosed": "separator cells skipped in totals",
                     "patched": patched}] if pattern else [],
        "notes": notes}}], "usage": USAGE}


def patch_task(t):
    return "Patch the skill for iteration %d." % t


def patcher_rules(v1=V1, v2=V2):
    return [
        {"name": "patch-1-write",
         "match": {"role": "patcher", "turn": 0, "last_message": {"role": "user", "contains": patch_task(1)}},
         "reply": {"tool_calls": [write_skill(v1)], "usage": USAGE}},
        {"name": "patch-1-report",
         "match": {"role": "patcher", "turn": 1, "any_message": {"contains": patch_task(1)}},
         "reply": patch_report("new:" + SLUG, "Totals: strip separators before adding")},
        {"name": "patch-2-write",
         "match": {"role": "patcher", "turn": 0, "last_message": {"role": "user", "contains": patch_task(2)}},
         "reply": {"tool_calls": [write_skill(v2)], "usage": USAGE}},
        {"name": "patch-2-report",
         "match": {"role": "patcher", "turn": 1, "any_message": {"contains": patch_task(2)}},
         "reply": patch_report(SLUG, "Common Pitfalls: separator cells skipped")},
    ]


def write(name, scenario):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(scenario, f, indent=1)
        f.write("\n")


def main():
    write("base.json", {
        "description": "The optimizer end to end on wtq-mini: a deterministic model for every role.",
        "models": ["gpt-4o-mini"], "roles": ROLES,
        "rules": executor_rules() + diagnoser_rules() + momentum_rules() + patcher_rules()})

    # Kill -9 points: a rule that stalls one request until the test kills the process.
    stall = {"fault": {"kind": "stall", "stall_ms": 120000}}
    write("kill_execute.json", {"description": "Stalls the first training executor call.", "rules": [
        {"name": "stall", "max_uses": 1,
         "match": {"role": "executor", "system": {"contains": "/train/snapshots/iter_1/"}},
         "reply": stall}]})
    write("kill_diagnose.json", {"description": "Stalls the first failure diagnosis.", "rules": [
        {"name": "stall", "max_uses": 1, "match": {"role": "failure_diagnoser"}, "reply": stall}]})
    write("kill_patch.json", {"description": "Stalls the patcher after its write of iteration 1.",
                              "rules": [
        {"name": "stall", "max_uses": 1,
         "match": {"role": "patcher", "turn": 1, "any_message": {"contains": patch_task(1)}},
         "reply": stall}]})

    write("kill_momentum.json", {"description": "Stalls the momentum call of iteration 2.",
                                 "rules": [
        {"name": "stall", "max_uses": 1,
         "match": {"role": "momentum", "any_message": {"contains": "momentum for iteration 2."}},
         "reply": stall}]})

    # Momentum validation: iteration 1 drops a task, then corrects it; iteration 2 drops a
    # task twice, so the rejection is recorded.
    dropped1 = submit_momentum(1, [entry(1, 2, 1)])
    dropped2 = submit_momentum(2, [entry(1, 2, 2, "message")])
    write("momentum_violation.json", {
        "description": "Momentum replies that drop a batch task.", "rules": [
            {"name": "momentum-1-drops-task",
             "match": {"role": "momentum", "turn": 0,
                       "last_message": {"role": "user", "regex": BATCH_RE.format(t=1)}},
             "reply": dropped1},
            {"name": "momentum-1-corrected",
             "match": {"role": "momentum", "turn": 1,
                       "last_message": {"role": "tool", "contains": "of the batch has no entry"},
                       "any_message": {"regex": BATCH_RE.format(t=1)}},
             "reply": submit_momentum(1, [entry(1, 2, 1, "message"), entry(3, 4, 1, "message")])},
            {"name": "momentum-2-drops-task",
             "match": {"role": "momentum",
                       "any_message": {"regex": BATCH_RE.format(t=2)}},
             "reply": dropped2},
        ]})

    # Lint repair: the patch adds a reference without a pointer; the repair adds the pointer.
    write("lint_repair.json", {"description": "A patch that leaves an orphan reference.", "rules": [
        {"name": "patch-1-orphan",
         "match": {"role": "patcher", "turn": 0, "last_message": {"role": "user", "contains": patch_task(1)}},
         "reply": {"tool_calls": [write_skill(V1), write_skill(REFERENCE, "table-qa/references/separators.md")],
                   "usage": USAGE}},
        {"name": "repair-write",
         "match": {"role": "patcher", "turn": 0,
                   "last_message": {"role": "user", "contains": "found these violations"}},
         "reply": {"tool_calls": [write_skill(REPAIRED)], "usage": USAGE}},
        {"name": "repair-report",
         "match": {"role": "patcher", "turn": 1, "any_message": {"contains": "found these violations"}},
         "reply": patch_report("", "", "orphan-reference: added the pointer under Totals")},
    ]})

    # --accept validate: a harmful patch that breaks lookups (the validation task is one).
    write("harmful_patch.json", {"description": "A patch that makes lookups wrong.", "rules": [
        {"name": "exec-lookup-first-row",
         "match": {"role": "executor", "turn": 1,
                   "last_message": {"role": "tool", "contains": HARMFUL_RULE},
                   "any_message": {"regex": LOOKUP_Q}},
         "reply": python_call(LOOKUP_FIRST_ROW)},
        {"name": "patch-1-harmful",
         "match": {"role": "patcher", "turn": 0, "last_message": {"role": "user", "contains": patch_task(1)}},
         "reply": {"tool_calls": [write_skill(HARMFUL)], "usage": USAGE}},
    ]})

    write("kill_validate.json", {"description": "Stalls the validation run of the harmful skill.",
                                 "rules": [
        {"name": "stall", "max_uses": 1,
         "match": {"role": "executor", "turn": 1,
                   "last_message": {"role": "tool", "contains": HARMFUL_RULE}},
         "reply": stall}]})

    # Rollouts: on a total question the executor strips the separators by luck, half the
    # time (a seeded draw per identical request), so the rollouts of one task differ.
    write("flaky_total.json", {"description": "Totals right half the time, by seeded chance.",
                               "rules": [
        {"name": "exec-total-lucky",
         "match": {"role": "executor", "turn": 1, "any_message": {"regex": TOTAL_Q},
                   "probability": 0.5},
         "reply": python_call(TOTAL_RIGHT)}]})

    # Secrets: the executor prints the sandbox's environment three ways (python3 os.environ,
    # shell env, the environ of every process it can see under /proc) before it activates
    # the skill, so that the environment lands in the trajectory; activate_skill comes last
    # so that the base rules of turn 1 still see its result as the last message.
    print_env = ("import os\nfor k, v in sorted(os.environ.items()):\n"
                 "    print('PYENV ' + k + '=' + v)\n")
    shell_env = ("env | sed 's/^/SHELLENV /'; "
                 "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < \"$f\" | "
                 "sed 's/^/PROCENV /'; done 2>/dev/null; true")
    write("print_env.json", {"description": "The executor prints its sandbox environment.",
                             "rules": [
        {"name": "exec-print-env", "match": {"role": "executor", "turn": 0},
         "reply": {"tool_calls": [
             shell_python(print_env),
             {"name": "shell", "arguments": {"command": shell_env}},
             {"name": "activate_skill", "arguments": {"name": "table-qa"}}],
             "usage": USAGE}}]})

    # The expected skill files, for the tests' content checks.
    expected = os.path.join(HERE, "..", "expected")
    os.makedirs(expected, exist_ok=True)
    for name, text in (("SKILL.v1.md", V1), ("SKILL.v2.md", V2), ("SKILL.harmful.md", HARMFUL),
                       ("SKILL.repaired.md", REPAIRED)):
        with open(os.path.join(expected, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
