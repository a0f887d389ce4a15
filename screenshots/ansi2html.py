#!/usr/bin/env python3
"""Turn `tmux capture-pane -e -p` output into an HTML page laid out on an exact cell grid.

Every terminal cell becomes a fixed-width box (wide CJK characters take two), so the
picture lines up exactly as the terminal did, whatever the fonts' own advances are.
Usage: ansi2html.py COLS ROWS TITLE < capture.txt > page.html
"""
import html
import re
import sys
import unicodedata

CELL_W, CELL_H, FONT = 9, 19, 15
BG, FG = "#1b1d23", "#d5d8de"
# The 16 ANSI colours: a restrained dark palette.
PALETTE = [
    "#1b1d23", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#d5d8de",
    "#5c6370", "#ef8a91", "#b5e08f", "#f0d197", "#8cc8ff", "#dba3ec", "#7fd3dc", "#ffffff",
]


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + 10 * (n - 232)
    return "#%02x%02x%02x" % (v, v, v)


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def main():
    cols, rows, title = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    lines = sys.stdin.read().split("\n")[:rows]
    state = dict(fg=None, bg=None, bold=False, dim=False, italic=False, ul=False, rev=False)
    out_rows = []
    sgr = re.compile(r"\x1b\[([0-9;:]*)m")
    for line in lines:
        cells = []
        pos = 0
        while pos < len(line):
            m = sgr.match(line, pos)
            if m:
                apply(state, m.group(1))
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\x1b":
                continue
            w = width(ch)
            if w == 0 and cells:
                cells[-1] = (cells[-1][0] + ch, cells[-1][1], cells[-1][2])
                continue
            cells.append((ch, w, dict(state)))
        used = sum(c[1] for c in cells)
        cells += [(" ", 1, dict(state, rev=False, ul=False, bg=None))] * max(0, cols - used)
        out_rows.append(cells)
    while len(out_rows) < rows:
        out_rows.append([(" ", 1, {"fg": None, "bg": None, "bold": False, "dim": False, "italic": False, "ul": False, "rev": False})] * cols)
    body = []
    for cells in out_rows:
        spans = []
        for ch, w, st in cells:
            fg = st["fg"] or FG
            bg = st["bg"] or BG
            if st["rev"]:
                fg, bg = (st["bg"] or BG), (st["fg"] or FG)
            css = [f"width:{w * CELL_W}px", f"color:{fg}"]
            if bg != BG:
                css.append(f"background:{bg}")
            if st["bold"]:
                css.append("font-weight:bold")
            if st["italic"]:
                css.append("font-style:italic")
            if st["ul"]:
                css.append("text-decoration:underline")
            if st["dim"]:
                css.append("opacity:0.6")
            spans.append(f'<span style="{";".join(css)}">{html.escape(ch) if ch != " " else "&nbsp;"}</span>')
        body.append('<div class="r">' + "".join(spans) + "</div>")
    print(f"""<!doctype html><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
html,body{{margin:0;background:{BG}}}
.t{{padding:12px;font:{FONT}px/{CELL_H}px "DejaVu Sans Mono","Noto Sans Mono CJK JP",monospace;white-space:pre}}
.r{{height:{CELL_H}px;display:flex}}
.r span{{display:inline-block;height:{CELL_H}px;overflow:visible;text-align:left}}
</style><div class="t">{"".join(body)}</div>""")


def apply(st, params):
    ps = [int(p) if p.isdigit() else 0 for p in re.split("[;:]", params)] if params else [0]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p == 0:
            st.update(fg=None, bg=None, bold=False, dim=False, italic=False, ul=False, rev=False)
        elif p == 1:
            st["bold"] = True
        elif p == 2:
            st["dim"] = True
        elif p == 3:
            st["italic"] = True
        elif p == 4:
            st["ul"] = True
        elif p == 7:
            st["rev"] = True
        elif p == 22:
            st["bold"] = st["dim"] = False
        elif p == 23:
            st["italic"] = False
        elif p == 24:
            st["ul"] = False
        elif p == 27:
            st["rev"] = False
        elif 30 <= p <= 37:
            st["fg"] = PALETTE[p - 30]
        elif 90 <= p <= 97:
            st["fg"] = PALETTE[p - 90 + 8]
        elif 40 <= p <= 47:
            st["bg"] = PALETTE[p - 40]
        elif 100 <= p <= 107:
            st["bg"] = PALETTE[p - 100 + 8]
        elif p == 39:
            st["fg"] = None
        elif p == 49:
            st["bg"] = None
        elif p in (38, 48) and i + 1 < len(ps):
            key = "fg" if p == 38 else "bg"
            if ps[i + 1] == 5 and i + 2 < len(ps):
                st[key] = xterm256(ps[i + 2])
                i += 2
            elif ps[i + 1] == 2 and i + 4 < len(ps):
                st[key] = "#%02x%02x%02x" % tuple(ps[i + 2:i + 5])
                i += 4
        i += 1


if __name__ == "__main__":
    main()
