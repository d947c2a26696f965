#!/usr/bin/env python3
"""Fails when an #include points up the part order of docs/architecture.md.

Every folder under src/ is a part with a rank; a file may include headers of its own part and
of parts it is allowed to depend on (the table below, which docs/architecture.md draws). The
tests beside the code may also include the mock (they run clients against it); tests/e2e,
perf and fuzz sit above everything. Run from anywhere: scripts/check-layout.py [ROOT].
"""
import pathlib
import re
import sys

# part -> the parts it may include (besides itself). Keep in step with docs/architecture.md.
ALLOWED = {
    "core": set(),
    "skill": {"core"},
    "xlsx": {"core"},
    "tasks": {"core", "xlsx"},
    "llm": {"core"},
    "mock": {"core", "llm"},
    "sandbox": {"core"},
    "tools": {"core", "sandbox", "skill"},
    "agent": {"core", "llm", "tools", "sandbox", "skill"},
    "run": {"core", "skill", "xlsx", "tasks", "llm", "sandbox", "tools", "agent"},
    "optim": {"core", "skill", "xlsx", "tasks", "llm", "sandbox", "tools", "agent", "run"},
    "report": {"core", "skill", "tasks", "llm", "run", "optim"},
    "cli": {"core", "skill", "xlsx", "tasks", "llm", "mock", "sandbox", "tools", "agent", "run",
            "optim", "report"},
}
# Unit tests may also run against the mock server (and core's testing helpers).
TEST_EXTRA = {"mock"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def check(root: pathlib.Path) -> list[str]:
    errors = []
    src = root / "src"
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp"):
            continue
        part = path.relative_to(src).parts[0]
        if part not in ALLOWED:
            errors.append(f"{path.relative_to(root)}: folder src/{part} is not a known part; "
                          "add it to scripts/check-layout.py and docs/architecture.md")
            continue
        allowed = ALLOWED[part] | {part}
        if path.name.endswith("_test.cpp"):
            allowed |= TEST_EXTRA
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in INCLUDE.finditer(text):
            target = match.group(1)
            head = target.split("/", 1)[0]
            if "/" not in target or head not in ALLOWED:
                # A file-relative include (generated headers) or a third-party header.
                if head in ("tests", "perf", "fuzz"):
                    errors.append(f"{path.relative_to(root)}: includes {target}: src/ never "
                                  "includes tests, perf or fuzz")
                continue
            if head not in allowed:
                line = text.count("\n", 0, match.start()) + 1
                errors.append(f"{path.relative_to(root)}:{line}: src/{part} includes {target}, "
                              f"which points up to src/{head} (docs/architecture.md: "
                              f"{part} may use {', '.join(sorted(ALLOWED[part])) or 'nothing'})")
    return errors


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        pathlib.Path(__file__).resolve().parent.parent)
    errors = check(root)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"check-layout: {len(errors)} include(s) point up the part order", file=sys.stderr)
        return 1
    print("check-layout: every include points down the part order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
