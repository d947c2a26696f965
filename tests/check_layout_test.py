#!/usr/bin/env python3
"""scripts/check-layout.py: passes on the project's tree, fails on an include that points up.

Usage: check_layout_test.py SOURCE_DIR
"""
import pathlib
import subprocess
import sys
import tempfile


def run(script: pathlib.Path, root: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(script), str(root)], capture_output=True, text=True)


def main() -> int:
    source = pathlib.Path(sys.argv[1])
    script = source / "scripts" / "check-layout.py"
    failures = []

    tree = run(script, source)
    if tree.returncode != 0:
        failures.append(f"the project's own tree fails:\n{tree.stderr}")

    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "src" / "core").mkdir(parents=True)
        (root / "src" / "run").mkdir(parents=True)
        (root / "src" / "run" / "engine.h").write_text("#pragma once\n")
        (root / "src" / "core" / "good.cpp").write_text('#include "core/good.h"\n#include <vector>\n')
        ok = run(script, root)
        if ok.returncode != 0:
            failures.append(f"a tree with downward includes only fails:\n{ok.stderr}")
        (root / "src" / "core" / "bad.cpp").write_text('#include "core/good.h"\n#include "run/engine.h"\n')
        bad = run(script, root)
        if bad.returncode == 0:
            failures.append("core including run/engine.h passes")
        elif "src/core/bad.cpp:2: src/core includes run/engine.h" not in bad.stderr:
            failures.append(f"the error does not name the file and line:\n{bad.stderr}")
        (root / "src" / "core" / "bad.cpp").unlink()
        (root / "src" / "newpart").mkdir()
        (root / "src" / "newpart" / "x.cpp").write_text("\n")
        unknown = run(script, root)
        if unknown.returncode == 0 or "not a known part" not in unknown.stderr:
            failures.append(f"an unknown folder under src/ passes:\n{unknown.stderr}")

    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    print(f"check_layout_test: {4 - len(failures)} of 4 checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
