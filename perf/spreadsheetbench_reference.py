#!/usr/bin/env python3
"""The SpreadsheetBench official evaluator's comparison restated over openpyxl, plus
generators of test workbooks. Used to check skillgrad's grader verdict for verdict and as
the baseline of bench/grading_throughput.cpp. Run with a Python that has openpyxl
(Debian: /usr/bin/python3 with python3-openpyxl).

  reference.py verdicts MANIFEST.jsonl      one {"pass": bool} line per request line
  reference.py time MANIFEST.jsonl ROUNDS    seconds per round of grading every request
  reference.py corpus DIR                   writes synthetic pairs + DIR/manifest.jsonl
  reference.py cellpairs DIR                writes DIR/cells_{golden,output}.xlsx, prints verdicts
  reference.py big DIR CELLS                 writes DIR/big_golden.xlsx, DIR/big_output.xlsx

The comparison is the official one (evaluation/evaluation.py: transform_value,
compare_cell_value, cell_level_compare, compare_workbooks) with the fixes skillgrad
documents: commas inside a quoted sheet name do not split, whitespace around parts is
ignored, "$" in references is ignored, and whole columns/rows (A:G, 3:5) span the golden
sheet's max_row/max_column, as openpyxl's ws["A:G"] does, instead of raising.
"""
import datetime
import json
import os
import random
import sys
import time
import warnings
import zipfile

import openpyxl


# ---- the official value semantics -------------------------------------------------------

def datetime_to_float(dt):
    excel_start_date = datetime.datetime(1899, 12, 30)
    delta = dt - excel_start_date
    return delta.days + delta.seconds / 86400.0


def transform_value(v):
    if isinstance(v, (int, float)):
        v = round(float(v), 2)
    elif isinstance(v, datetime.time):
        v = str(v)[:-3]
    elif isinstance(v, datetime.datetime):
        v = round(datetime_to_float(v), 0)
    elif isinstance(v, str):
        try:
            v = round(float(v), 2)
        except ValueError:
            pass
    return v


def compare_cell_value(v1, v2):
    v1 = transform_value(v1)
    v2 = transform_value(v2)
    if (v1 == "" and v2 is None) or (v1 is None and v2 == ""):
        return True
    if (v1 == "" and v2 == "") or (v1 is None and v2 is None):
        return True
    if type(v1) != type(v2):
        return False
    return v1 == v2


# ---- positions and ranges ------------------------------------------------------------------

def split_positions(text):
    """Split on commas, except inside a quoted sheet name opening a part ('a, b'!A1)."""
    parts, start, i, at_start = [], 0, 0, True
    while i < len(text):
        c = text[i]
        if at_start and c.isspace():
            i += 1
            continue
        if at_start and c == "'":
            at_start = False
            j = i + 1
            close = -1
            while j < len(text):
                if text[j] == "'":
                    if j + 1 < len(text) and text[j + 1] == "'":
                        j += 2
                        continue
                    if j + 1 < len(text) and text[j + 1] == "!":
                        close = j
                        break
                j += 1
            if close >= 0:
                i = close + 1
                continue
        at_start = False
        if c == ",":
            parts.append(text[start:i])
            start = i + 1
            at_start = True
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def split_sheet(part):
    if part.startswith("'"):
        j = 1
        while j < len(part):
            if part[j] == "'":
                if j + 1 < len(part) and part[j + 1] == "'":
                    j += 2
                    continue
                if j + 1 < len(part) and part[j + 1] == "!":
                    return part[1:j].replace("''", "'"), part[j + 2:]
            j += 1
    if "!" in part:
        sheet, rng = part.split("!")  # more than one "!" raises, as in the official code
        return sheet.lstrip("'").rstrip("'"), rng
    return None, part


def col_num2name(n):
    name = ""
    while n > 0:
        n, remainder = divmod(n - 1, 26)
        name = chr(65 + remainder) + name
    return name


def col_name2num(name):
    num = 0
    for c in name:
        num = num * 26 + (ord(c) - ord("A") + 1)
    return num


def split_ref(ref):
    ref = ref.replace("$", "").upper()
    col = "".join(ch for ch in ref if not ch.isdigit())
    row = "".join(ch for ch in ref if ch.isdigit())
    if ref != col + row:
        raise ValueError("bad reference " + ref)
    return col, row


def generate_cell_names(range_str, ws_gt):
    a, _, b = range_str.partition(":")
    if not b:
        b = a
    ca, ra = split_ref(a)
    cb, rb = split_ref(b)
    if ca and cb and not ra and not rb:  # whole columns
        ra, rb = "1", str(ws_gt.max_row)
    elif ra and rb and not ca and not cb:  # whole rows
        ca, cb = "A", col_num2name(ws_gt.max_column)
    c1, c2 = sorted((col_name2num(ca), col_name2num(cb)))
    r1, r2 = sorted((int(ra), int(rb)))
    return [f"{col_num2name(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)]


def cell_level_compare(wb_gt, wb_proc, sheet_name, cell_range):
    if sheet_name not in wb_proc:
        return False
    ws_gt = wb_gt[sheet_name]
    ws_proc = wb_proc[sheet_name]
    for cell_name in generate_cell_names(cell_range, ws_gt):
        if not compare_cell_value(ws_gt[cell_name].value, ws_proc[cell_name].value):
            return False
    return True


def compare_workbooks(gt_file, proc_file, answer_position):
    if not os.path.exists(proc_file):
        return False
    try:
        wb_gt = openpyxl.load_workbook(filename=gt_file, data_only=True)
        wb_proc = openpyxl.load_workbook(filename=proc_file, data_only=True)
    except Exception:
        return False
    results = []
    for part in split_positions(answer_position):
        try:
            sheet_name, cell_range = split_sheet(part)
            if sheet_name is None:
                sheet_name = wb_gt.sheetnames[0]
            cell_range = cell_range.strip().lstrip("'").rstrip("'").strip()
            results.append(cell_level_compare(wb_gt, wb_proc, sheet_name, cell_range))
        except Exception:
            results.append(False)
    return all(results)


def read_manifest(path):
    base = os.path.dirname(os.path.abspath(path))
    out = []
    with open(path) as fp:
        for line in fp:
            if line.strip():
                r = json.loads(line)
                out.append((os.path.join(base, r["golden"]), os.path.join(base, r["output"]),
                            r["answer_position"]))
    return out


# ---- synthetic workbooks ---------------------------------------------------------------------

TRICKY = [
    None, "", " ", 0, 1, -1, 2.675, 2.67, 2.665, 0.125, 0.12, 0.13, 0.375, 0.38, 1.005, 1.0,
    1.015, 1.01, 1.02, -0.001, 0.0, 1 / 3, 0.33, 1e16, 1e-7, 123456789.125, 123456789.12,
    True, False, "1", "0", " 12 ", 12, "1_000", 1000, "1__0", "1e3", "1E-2", 0.01, "inf",
    "Infinity", "-inf", "nan", "NaN", "\xa012\u2003", "0x10", 16, "12abc", "abc", "ABC",
    "#N/A", "TRUE", ".5", "5.", 0.5, "1_0.5", 10.5, "+3", 3, "3 4", "١٢",
    datetime.datetime(2020, 1, 1), 43831, 43831.4, datetime.datetime(2020, 1, 1, 12, 0),
    datetime.datetime(2020, 1, 1, 13, 0), 43832, datetime.datetime(2020, 1, 2),
    datetime.time(10, 30, 15), datetime.time(10, 30, 45), "10:30", datetime.time(0, 0),
    datetime.date(2021, 5, 17), datetime.datetime(1900, 2, 28), datetime.datetime(1900, 3, 1),
    datetime.timedelta(hours=30, minutes=5), datetime.timedelta(hours=30, minutes=5, seconds=1),
]

FORMATS = [None, "0.00", "yyyy-mm-dd", "mm-dd-yy", "h:mm", "[h]:mm:ss", "d-mmm-yy", "@",
           '"Day "0', "[Red]0.00", "hh:mm:ss AM/PM", 'yyyy"年"m"月"', "\\d0"]


def put(ws, ref, value, fmt=None):
    cell = ws[ref]
    cell.value = value
    if fmt:
        cell.number_format = fmt


def pair_path(d, name, which):
    return os.path.join(d, f"{name}_{which}.xlsx")


def write_random_pair(d, name, rng):
    wb_g, wb_o = openpyxl.Workbook(), openpyxl.Workbook()
    sheets = ["Sheet1", "Data, 2024", "O'Brien"][: rng.randint(1, 3)]
    for wb in (wb_g, wb_o):
        wb.active.title = sheets[0]
        for s in sheets[1:]:
            wb.create_sheet(s)
    positions = []
    change = rng.choice([0.0, 0.0, 0.05, 0.3])
    for s in sheets:
        rows, cols = rng.randint(1, 6), rng.randint(1, 4)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                ref = f"{col_num2name(c)}{r}"
                gv = rng.choice(TRICKY)
                ov = gv if rng.random() >= change else rng.choice(TRICKY)
                gf = rng.choice(FORMATS)
                put(wb_g[s], ref, gv, gf)
                put(wb_o[s], ref, ov, gf if rng.random() >= change else rng.choice(FORMATS))
        if rng.random() < 0.2:  # extra rows below the golden data in the output
            put(wb_o[s], f"A{rows + 2}", "extra")
        quoted = "'" + s.replace("'", "''") + "'"
        form = rng.randint(0, 4)
        last = f"{col_num2name(cols)}{rows}"
        if form == 0 and s == sheets[0]:
            positions.append(f"A1:{last}")
        elif form == 1:
            positions.append(f"{quoted}!A:{col_num2name(cols)}")
        elif form == 2:
            positions.append(f"{quoted}!A1,{quoted}!{last}")
        elif form == 3:
            positions.append(f"{quoted}!1:{rows}")
        else:
            positions.append(f"{quoted}!A1:{last}")
    if rng.random() < 0.05:
        del wb_o[sheets[-1]]
        wb_o.create_sheet(sheets[-1].upper() if sheets[-1] != sheets[-1].upper() else "Other")
    wb_g.save(pair_path(d, name, "golden"))
    wb_o.save(pair_path(d, name, "output"))
    sep = rng.choice([",", ", "])
    return sep.join(positions)


def write_raw_xlsx(path, sheet_xml, shared=None, epoch_1904=False, styles=None):
    """A workbook written by hand, for what openpyxl does not write itself (inline and
    rich-text strings, t="str" and t="e" cached values, the 1904 date system)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    odr = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{odr}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        pr = '<workbookPr date1904="1"/>' if epoch_1904 else ""
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel_ns}>{pr}'
                   '<sheets><sheet name="Raw" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{odr}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{odr}/sharedStrings" Target="sharedStrings.xml"/>'
                   f'<Relationship Id="rId3" Type="{odr}/styles" Target="/xl/styles.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}>{sheet_xml}</worksheet>')
        items = "".join(f"<si>{s}</si>" for s in (shared or []))
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {ns}>{items}</sst>')
        z.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet {ns}>'
                   '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
                   '<numFmt numFmtId="165" formatCode="[h]:mm"/></numFmts>'
                   '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
                   '<xf numFmtId="165"/><xf numFmtId="20"/></cellXfs></styleSheet>')


RAW_CELLS = [
    '<c t="s"><v>0</v></c>', '<c t="s"><v>1</v></c>', '<c t="s"><v>2</v></c>',
    '<c t="inlineStr"><is><t>inline</t></is></c>',
    '<c t="inlineStr"><is><r><t>rich</t></r><r><t xml:space="preserve"> text</t></r></is></c>',
    '<c t="str"><f>A1</f><v>formula text</v></c>', '<c t="str"><f>A1</f><v>12.5</v></c>',
    '<c t="e"><f>1/0</f><v>#DIV/0!</v></c>', '<c t="b"><v>1</v></c>', '<c t="b"><v>0</v></c>',
    '<c><v>45000.75</v></c>', '<c s="1"><v>45000.75</v></c>', '<c s="2"><v>45000.5</v></c>',
    '<c s="3"><v>1.25</v></c>', '<c s="4"><v>0.4375</v></c>', '<c s="1"><v>59</v></c>',
    '<c s="1"><v>61</v></c>', '<c><f>SUM(A1)</f></c>', '<c t="s"><v></v></c>', '<c/>',
    '<c><v>1E3</v></c>', '<c><v>2.675</v></c>', '<c t="s"><v>3</v></c>',
]
RAW_SHARED = ["<t>shared</t>", "<r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r>",
              "<t>12.50</t>", '<t xml:space="preserve"> 7 </t><rPh sb="0" eb="2"><t>ignored</t></rPh>']


def write_raw_pair(d, name, rng):
    def sheet(cells):
        rows = "".join('<row r="%d">%s</row>' % (i + 1, c.replace("<c", '<c r="A%d"' % (i + 1), 1))
                       for i, c in enumerate(cells))
        return f"<sheetData>{rows}</sheetData>"
    g = [rng.choice(RAW_CELLS) for _ in range(rng.randint(1, 6))]
    o = [c if rng.random() < 0.75 else rng.choice(RAW_CELLS) for c in g]
    epoch = rng.random() < 0.3
    write_raw_xlsx(pair_path(d, name, "golden"), sheet(g), RAW_SHARED, epoch)
    write_raw_xlsx(pair_path(d, name, "output"), sheet(o), RAW_SHARED, epoch and rng.random() < 0.8)
    return f"A1:A{len(g)}"


def write_corpus(d, count=400, seed=7):
    os.makedirs(d, exist_ok=True)
    rng = random.Random(seed)
    with open(os.path.join(d, "manifest.jsonl"), "w") as fp:
        for i in range(count):
            name = f"case{i:04d}"
            pos = write_raw_pair(d, name, rng) if i % 4 == 3 else write_random_pair(d, name, rng)
            fp.write(json.dumps({"golden": f"{name}_golden.xlsx", "output": f"{name}_output.xlsx",
                                 "answer_position": pos}) + "\n")


def write_cell_pairs(d, seed=11):
    """Every pair of TRICKY values, one per row of column A, each with a random number
    format; prints the official verdict of each row as a JSON list (row 1 first)."""
    os.makedirs(d, exist_ok=True)
    rng = random.Random(seed)
    wb_g, wb_o = openpyxl.Workbook(), openpyxl.Workbook()
    row = 0
    for gv in TRICKY:
        for ov in TRICKY:
            row += 1
            put(wb_g.active, f"A{row}", gv, rng.choice(FORMATS))
            put(wb_o.active, f"A{row}", ov, rng.choice(FORMATS))
    g, o = os.path.join(d, "cells_golden.xlsx"), os.path.join(d, "cells_output.xlsx")
    wb_g.save(g)
    wb_o.save(o)
    ws_g = openpyxl.load_workbook(g, data_only=True).active
    ws_o = openpyxl.load_workbook(o, data_only=True).active
    print(json.dumps([compare_cell_value(ws_g[f"A{r}"].value, ws_o[f"A{r}"].value)
                      for r in range(1, row + 1)]))


def write_big(d, cells):
    """A workbook of `cells` populated cells (10 columns of numbers, text, dates) and a
    copy with every 1000th cell changed."""
    os.makedirs(d, exist_ok=True)
    rows = cells // 10
    for which in ("golden", "output"):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Data"
        for r in range(1, rows + 1):
            row = []
            for c in range(10):
                k = r * 10 + c
                if which == "output" and k % 1000 == 0:
                    row.append("changed")
                elif c % 3 == 0:
                    row.append(k * 1.25)
                elif c % 3 == 1:
                    row.append(f"item {k % 977}")
                else:
                    row.append(datetime.datetime(2020, 1, 1) + datetime.timedelta(days=k % 3000))
            ws.append(row)
        wb.save(os.path.join(d, f"big_{which}.xlsx"))
    return f"A1:J{rows}"


def main(argv):
    warnings.simplefilter("ignore")
    if len(argv) >= 2 and argv[0] == "verdicts":
        for g, o, p in read_manifest(argv[1]):
            print(json.dumps({"pass": compare_workbooks(g, o, p)}))
    elif len(argv) >= 3 and argv[0] == "time":
        requests = read_manifest(argv[1])
        rounds = int(argv[2])
        start = time.perf_counter()
        passed = 0
        for _ in range(rounds):
            passed = sum(compare_workbooks(g, o, p) for g, o, p in requests)
        print(json.dumps({"seconds_per_round": (time.perf_counter() - start) / rounds,
                          "passed": passed}))
    elif len(argv) >= 2 and argv[0] == "corpus":
        write_corpus(argv[1], int(argv[2]) if len(argv) > 2 else 400)
    elif len(argv) >= 2 and argv[0] == "cellpairs":
        write_cell_pairs(argv[1])
    elif len(argv) >= 3 and argv[0] == "big":
        print(write_big(argv[1], int(argv[2])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
