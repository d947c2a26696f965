#!/usr/bin/env python3
"""The SkillGrad method's cell-accuracy grading restated over openpyxl, and a corpus of
workbook pairs whose answer positions stress where it differs from the official evaluator.
Checks skillgrad's `--grader skillgrad` count for count. Run with a Python that has openpyxl
(Debian: /usr/bin/python3 with python3-openpyxl).

  cell_accuracy_reference.py counts MANIFEST.jsonl   one {"match_count", "total_count"} line
                                                      per request line
  cell_accuracy_reference.py corpus DIR [COUNT]      synthetic pairs + DIR/manifest.jsonl

The method, as described: the answer position is split on commas outside single quotes; a
part holding "!" is a sheet and a range (split at the first "!", each with every leading and
trailing quote removed); a part without one is a range of each workbook's own first sheet.
Each workbook is read separately into a map from key to value: the key is "<sheet>!" (only
when the part names a sheet) plus each covered cell's coordinate, as openpyxl's ws[range]
returns the cells; a sheet the workbook lacks, or a range openpyxl refuses, is one entry
keyed by the part's own text with no value. The expected map's entries are counted; an entry
matches when the output map's value for its key (none when absent) compares equal with the
official value semantics. A missing output file matches nothing.
"""
import json
import os
import random
import sys
import warnings

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spreadsheetbench_reference as official  # noqa: E402


def split_parts(text):
    parts, current, quoted = [], "", False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current:
        parts.append(current)
    out = []
    for part in parts:
        part = part.strip()
        if "!" in part:
            sheet, rng = part.split("!", 1)
            out.append((sheet.strip("'"), rng.strip("'")))
        else:
            out.append((None, part))
    return out


def read_cells(path, position):
    wb = openpyxl.load_workbook(path, data_only=True)
    cells = {}
    for sheet, rng in split_parts(position):
        name = sheet if sheet else wb.sheetnames[0]
        prefix = sheet + "!" if sheet else ""
        if name not in wb.sheetnames:
            cells[prefix + rng] = None
            continue
        try:
            region = wb[name][rng]
        except Exception:
            cells[prefix + rng] = None
            continue
        if not isinstance(region, tuple):
            region = ((region,),)
        elif region and not isinstance(region[0], tuple):
            region = (region,)
        for line in region:
            for cell in line:
                cells[prefix + cell.coordinate] = cell.value
    return cells


def counts(golden, output, position):
    expected = read_cells(golden, position)
    if not os.path.exists(output):
        return {"match_count": 0, "total_count": len(expected)}
    actual = read_cells(output, position)
    matched = sum(1 for key, value in expected.items()
                  if official.compare_cell_value(actual.get(key), value))
    return {"match_count": matched, "total_count": len(expected)}


# ---- the corpus -----------------------------------------------------------------------------

# Positions that read differently under the method and under the official evaluator.
TRICKY_POSITIONS = [
    "B2:A1", "C:A", "3:1", "A1:B2,B2:C3", "A1,A1,'Data'!A1", "Data!A1:B2", "'Data'!A1:B2",
    "Missing!A1:B3", "Missing!A1", "BD2:308", "A1:B", " A1", "A1 ", "A0:B2", "A1:B0", "0:2",
    "XFD1,1:1", "C5,A:A", "A:A,C5", "A", "2", "$A$1:$B$2", "a1:b2", "''!A1", "!B2",
    "Data!A:A,Data!A1", "Data! A1", "'Data, 2'!A1:A3", "A1,,B2", "Data!1:2", "A$:B",
]


def fill(ws, rng, rows, cols, change, wb_out_ws):
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            ref = f"{official.col_num2name(c)}{r}"
            value = rng.choice(official.TRICKY[:40])
            ws[ref] = value
            if wb_out_ws is not None:
                wb_out_ws[ref] = value if rng.random() >= change else rng.choice(official.TRICKY)


def write_pair(d, name, rng):
    g, o = openpyxl.Workbook(), openpyxl.Workbook()
    first_out = rng.choice(["Sheet1", "Sheet1", "Renamed"])
    g.active.title, o.active.title = "Sheet1", first_out
    change = rng.choice([0.0, 0.1, 0.4])
    fill(g.active, rng, rng.randint(1, 5), rng.randint(1, 4), change, o.active)
    for title in ("Data", "Data, 2"):
        if rng.random() < 0.7:
            gs = g.create_sheet(title)
            os_ = o.create_sheet(title) if rng.random() < 0.85 else None
            fill(gs, rng, rng.randint(1, 5), rng.randint(1, 3), change, os_)
    if rng.random() < 0.3:  # the output grows below or beside the golden data
        o.active[f"A{rng.randint(6, 9)}"] = "extra"
    if rng.random() < 0.2:
        o.create_sheet("Missing")["A1"] = rng.choice(["x", None, ""])
    g.save(official.pair_path(d, name, "golden"))
    if rng.random() < 0.05:
        return rng.choice(TRICKY_POSITIONS), False
    o.save(official.pair_path(d, name, "output"))
    picks = rng.sample(TRICKY_POSITIONS, rng.randint(1, 3))
    return ",".join(picks), True


def write_corpus(d, count=300, seed=23):
    os.makedirs(d, exist_ok=True)
    rng = random.Random(seed)
    with open(os.path.join(d, "manifest.jsonl"), "w") as fp:
        for i in range(count):
            name = f"acc{i:04d}"
            position, _ = write_pair(d, name, rng)
            fp.write(json.dumps({"golden": f"{name}_golden.xlsx", "output": f"{name}_output.xlsx",
                                 "answer_position": position}) + "\n")


def main(argv):
    warnings.simplefilter("ignore")
    if len(argv) >= 2 and argv[0] == "counts":
        for g, o, p in official.read_manifest(argv[1]):
            print(json.dumps(counts(g, o, p)))
    elif len(argv) >= 2 and argv[0] == "corpus":
        write_corpus(argv[1], int(argv[2]) if len(argv) > 2 else 300)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
