#!/usr/bin/env python3
"""Fails when a source file compiles only thanks to the precompiled header.

Every target shares the precompiled header src/core/pch.h (src/cli adds CLI11), so a .cpp that
forgets `#include <fmt/format.h>` or `<filesystem>` still builds. This check takes each compile
command from compile_commands.json, drops the forced `-include .../cmake_pch.hxx` (and
-Winvalid-pch), replaces `-o OUT -c` with `-fsyntax-only` and runs it, then lists the files that
fail with their first error. Nothing is written to the build folder.

  scripts/check-no-pch.py [-p BUILD_DIR] [-j JOBS] [-v] [--unbuilt] [FILTER...]

FILTER: only the files whose path contains one of these strings (e.g. src/mock/ or scenario).
-v prints every failure's full compiler output. --unbuilt checks only the files whose object file
the build folder does not hold: in a folder configured without the precompiled header
(build-asan), the files it compiled have passed already, so only the rest need checking. Exit status: 0 when every file compiles, 1 when
some fail, 2 on a usage error (e.g. no compile_commands.json: configure first).
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shlex
import subprocess
import sys


def strip_pch(args: list[str]) -> list[str]:
    """The compile command without the precompiled header, checking syntax only."""
    out = []
    i = 0
    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else ""
        if a == "-Winvalid-pch":
            i += 1
        elif a == "-include" and "cmake_pch" in nxt:
            i += 2
        elif a.startswith("-include") and "cmake_pch" in a:  # -include/path/cmake_pch.hxx
            i += 1
        elif a == "-Xclang" and nxt in ("-include", "-include-pch") and i + 3 < len(args) \
                and "cmake_pch" in args[i + 3]:  # clang: -Xclang -include -Xclang PATH
            i += 4
        elif a == "-o":
            i += 2
        elif a == "-c":
            out.append("-fsyntax-only")
            i += 1
        else:
            out.append(a)
            i += 1
    return out


def command_args(entry: dict) -> list[str]:
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def object_built(entry: dict) -> bool:
    """Whether the entry's object file (its -o argument) exists in the build folder."""
    args = command_args(entry)
    if "-o" not in args[:-1]:
        return False
    out = pathlib.Path(args[args.index("-o") + 1])
    return (out if out.is_absolute() else pathlib.Path(entry["directory"]) / out).is_file()


def check(entry: dict) -> tuple[str, int, str]:
    args = strip_pch(command_args(entry))
    proc = subprocess.run(args, cwd=entry["directory"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return entry["file"], proc.returncode, proc.stdout


def first_error(output: str) -> str:
    for line in output.splitlines():
        if "error:" in line or "fatal error:" in line:
            return line.strip()
    lines = output.strip().splitlines()
    return lines[0] if lines else "(no output)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-p", "--build-dir", default=None,
                        help="folder of compile_commands.json (default: build beside scripts/)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--unbuilt", action="store_true",
                        help="only the files whose object file is not in the build folder")
    parser.add_argument("filters", nargs="*")
    opts = parser.parse_args()

    root = pathlib.Path(__file__).resolve().parent.parent
    build = pathlib.Path(opts.build_dir) if opts.build_dir else root / "build"
    db_path = build / "compile_commands.json"
    if not db_path.is_file():
        print(f"check-no-pch: {db_path} not found; configure first "
              f"(cmake -S . -B {build} -G Ninja)", file=sys.stderr)
        return 2
    entries = {}
    built = set()
    for e in json.loads(db_path.read_text()):
        f = e["file"]
        if "cmake_pch" in f:  # the precompiled header's own translation unit
            continue
        if opts.filters and not any(s in f for s in opts.filters):
            continue
        if opts.unbuilt and object_built(e):
            built.add(os.path.normpath(f))
        entries.setdefault(os.path.normpath(f), e)  # one command per file
    for f in built:
        del entries[f]
    if not entries:
        if opts.unbuilt:
            print("check-no-pch: every file was compiled by the build already")
            return 0
        print("check-no-pch: no file matches", file=sys.stderr)
        return 2

    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        for path, rc, output in pool.map(check, entries.values()):
            if rc != 0:
                failures.append((path, output))

    failures.sort()
    for path, output in failures:
        shown = os.path.relpath(path, root)
        print(f"FAIL {shown}: {first_error(output)}")
        if opts.verbose:
            print(output)
    print(f"check-no-pch: {len(failures)} of {len(entries)} files do not compile without the "
          f"precompiled header", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
