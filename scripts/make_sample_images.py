#!/usr/bin/env python3
"""Draw the sample illustrations of the bulletin as SVG files under content/images/<yyyy>/.

The drawings are simple and deterministic: running the script twice gives byte-identical files.
Existing files are left alone unless --force is given, so an editor's replacement image is never
overwritten by accident.

    python3 scripts/make_sample_images.py            # write missing images, refuse to overwrite
    python3 scripts/make_sample_images.py --force    # rewrite all of them
    python3 scripts/make_sample_images.py --out /tmp/anh   # write under another folder

Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "content" / "images"

# A restrained palette: flag red and gold for accents, warm neutrals for the rest.
RED = "#b3261e"
DARK_RED = "#8c1d18"
GOLD = "#f2c14e"
CREAM = "#fbf6ec"
SAND = "#eadfca"
WOOD = "#9a6b3f"
INK = "#33302b"
GREY = "#8a847a"
BLUE = "#3f6f8f"
GREEN = "#5b8a4b"
FONT = "DejaVu Sans, Arial, sans-serif"


def fmt(x: float) -> str:
    """Format a coordinate with at most two decimals and no trailing zeros (stable output)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def star_points(cx: float, cy: float, outer: float, inner: float | None = None) -> str:
    """Return the points of a five-pointed star, first point straight up."""
    inner = outer * 0.382 if inner is None else inner
    pts = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / 5
        pts.append(f"{fmt(cx + r * math.cos(a))},{fmt(cy + r * math.sin(a))}")
    return " ".join(pts)


def text(x: float, y: float, content: str, size: int = 16, fill: str = INK,
         anchor: str = "middle", weight: str = "normal") -> str:
    return (
        f'<text x="{fmt(x)}" y="{fmt(y)}" font-family={quoteattr(FONT)} font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    """Wrap drawing elements in an accessible SVG document."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title desc">\n'
        f'  <title id="title">{escape(title)}</title>\n'
        f'  <desc id="desc">{escape(desc)}</desc>\n'
    )
    return head + "".join(f"  {line}\n" for line in body) + "</svg>\n"


# --- The drawings -------------------------------------------------------------------------------

def conference_hall() -> str:
    """A hall seen from the back rows: red backdrop with a gold star, podium, presidium table."""
    w, h = 800, 450
    body = [
        f'<rect width="{w}" height="{h}" fill="{CREAM}"/>',
        # floor
        f'<polygon points="0,300 800,300 800,450 0,450" fill="{SAND}"/>',
        # stage and backdrop
        f'<rect x="90" y="40" width="620" height="200" rx="6" fill="{RED}"/>',
        f'<rect x="90" y="40" width="620" height="14" fill="{DARK_RED}"/>',
        f'<polygon points="{star_points(400, 100, 40)}" fill="{GOLD}"/>',
        text(400, 166, "HỘI NGHỊ CÁN BỘ CHỦ CHỐT", 22, GOLD, weight="bold"),
        f'<rect x="70" y="240" width="660" height="26" fill="{WOOD}"/>',
        # presidium table with a red cloth
        f'<rect x="250" y="214" width="300" height="34" fill="{DARK_RED}"/>',
        f'<rect x="250" y="210" width="300" height="8" fill="{GOLD}"/>',
        # podium on the left
        f'<polygon points="130,186 190,186 182,262 138,262" fill="{WOOD}"/>',
        f'<rect x="124" y="178" width="72" height="10" rx="2" fill="{INK}"/>',
        f'<polygon points="{star_points(160, 222, 12)}" fill="{GOLD}"/>',
        # flower pots at the stage edge
    ]
    for x in (230, 570):
        body.append(f'<rect x="{x - 14}" y="248" width="28" height="18" fill="{INK}"/>')
        for dx, dy, c in ((-10, 242, GOLD), (0, 236, RED), (10, 242, GOLD)):
            body.append(f'<circle cx="{x + dx}" cy="{dy}" r="9" fill="{c}"/>')
    # presidium members
    for x in (300, 350, 400, 450, 500):
        body.append(f'<circle cx="{x}" cy="196" r="10" fill="{INK}"/>')
        body.append(f'<rect x="{x - 13}" y="204" width="26" height="10" rx="4" fill="{INK}"/>')
    # audience rows, seen from behind
    for row, y in enumerate((320, 368, 416)):
        count = 12 + row
        step = 700 / count
        for i in range(count):
            cx = 50 + step / 2 + i * step
            body.append(f'<rect x="{fmt(cx - 20)}" y="{y + 10}" width="40" height="30" rx="6" fill="{GREY}"/>')
            body.append(f'<circle cx="{fmt(cx)}" cy="{y}" r="13" fill="{INK}"/>')
    return svg(
        w, h,
        "Hội trường hội nghị với bục phát biểu và phông nền đỏ sao vàng",
        "Hình minh họa: đoàn chủ tịch ngồi trên sân khấu, bục phát biểu bên trái, "
        "các hàng ghế đại biểu phía dưới.",
        body,
    )


def vote_chart() -> str:
    """A bar chart of nomination votes for five candidates, with the threshold line."""
    w, h = 800, 450
    votes = [("Ứng viên 1", 41), ("Ứng viên 2", 37), ("Ứng viên 3", 29), ("Ứng viên 4", 22), ("Ứng viên 5", 12)]
    total = 46
    left, top, right, bottom = 110, 70, 760, 370
    scale = (bottom - top) / total
    body = [
        f'<rect width="{w}" height="{h}" fill="{CREAM}"/>',
        text(w / 2, 40, "Kết quả lấy phiếu giới thiệu quy hoạch (46 phiếu hợp lệ)", 20, INK, weight="bold"),
    ]
    for v in range(0, total + 1, 10):
        y = bottom - v * scale
        body.append(f'<line x1="{left}" y1="{fmt(y)}" x2="{right}" y2="{fmt(y)}" stroke="{SAND}" stroke-width="1"/>')
        body.append(text(left - 12, y + 5, str(v), 14, GREY, anchor="end"))
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{INK}" stroke-width="2"/>')
    body.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}" stroke-width="2"/>')
    slot = (right - left) / len(votes)
    for i, (name, v) in enumerate(votes):
        x = left + i * slot + slot * 0.2
        bw = slot * 0.6
        y = bottom - v * scale
        colour = RED if v * 2 > total else GREY
        body.append(f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(bw)}" height="{fmt(v * scale)}" fill="{colour}"/>')
        body.append(text(x + bw / 2, y - 8, str(v), 16, INK, weight="bold"))
        body.append(text(x + bw / 2, bottom + 24, name, 15, INK))
    half = bottom - (total / 2) * scale
    body.append(
        f'<line x1="{left}" y1="{fmt(half)}" x2="{right}" y2="{fmt(half)}" '
        f'stroke="{GOLD}" stroke-width="3" stroke-dasharray="10 6"/>'
    )
    body.append(text(right, half - 8, "Ngưỡng trên 50%", 14, DARK_RED, anchor="end"))
    body.append(text(w / 2, 425, "Số liệu minh họa, không phải kết quả thật", 13, GREY))
    return svg(
        w, h,
        "Biểu đồ cột số phiếu giới thiệu quy hoạch của năm ứng viên",
        "Ba ứng viên đạt trên 50% số phiếu hợp lệ, tô màu đỏ; hai ứng viên còn lại tô màu xám.",
        body,
    )


def ballot_box() -> str:
    """A ballot box with a folded ballot dropping into the slot."""
    w, h = 600, 450
    body = [
        f'<rect width="{w}" height="{h}" fill="{CREAM}"/>',
        f'<ellipse cx="300" cy="400" rx="190" ry="22" fill="{SAND}"/>',
        # box: front, top, side
        f'<polygon points="170,190 400,190 400,395 170,395" fill="{RED}"/>',
        f'<polygon points="170,190 230,150 460,150 400,190" fill="{DARK_RED}"/>',
        f'<polygon points="400,190 460,150 460,355 400,395" fill="{DARK_RED}" opacity="0.85"/>',
        f'<polygon points="258,172 268,164 372,164 362,172" fill="{INK}"/>',
        f'<polygon points="{star_points(285, 275, 40)}" fill="{GOLD}"/>',
        text(285, 360, "HÒM PHIẾU", 24, GOLD, weight="bold"),
        # ballot
        f'<g transform="rotate(-8 315 100)">'
        f'<rect x="270" y="52" width="90" height="112" fill="#ffffff" stroke="{GREY}" stroke-width="2"/>'
        f'<line x1="282" y1="74" x2="348" y2="74" stroke="{GREY}" stroke-width="3"/>'
        f'<line x1="282" y1="92" x2="348" y2="92" stroke="{SAND}" stroke-width="3"/>'
        f'<line x1="282" y1="108" x2="348" y2="108" stroke="{SAND}" stroke-width="3"/>'
        f'<line x1="282" y1="124" x2="332" y2="124" stroke="{SAND}" stroke-width="3"/>'
        f'<polyline points="330,138 338,148 354,126" fill="none" stroke="{RED}" stroke-width="4"/>'
        f'</g>',
    ]
    return svg(
        w, h,
        "Hòm phiếu màu đỏ và lá phiếu đang được bỏ vào",
        "Hình minh họa: hòm phiếu màu đỏ có ngôi sao vàng, một lá phiếu đã đánh dấu đang rơi vào khe.",
        body,
    )


def unit_map() -> str:
    """A map-like diagram: the province as a soft outline, districts as regions with communes as dots."""
    w, h = 800, 500
    body = [
        f'<rect width="{w}" height="{h}" fill="{CREAM}"/>',
        f'<path d="M120,90 C220,40 420,50 560,70 C680,90 740,170 720,270 C700,380 600,450 450,455 '
        f'C300,460 170,420 110,330 C60,250 60,140 120,90 Z" fill="{SAND}" stroke="{GREY}" stroke-width="2"/>',
        text(400, 40, "Sơ đồ minh họa các đảng bộ tham gia đợt kiểm tra", 20, INK, weight="bold"),
    ]
    districts = [
        ("Lộc Ninh", 300, 150, BLUE, [(250, 120), (345, 185)]),
        ("Hớn Quản", 470, 280, GREEN, [(430, 250), (520, 250), (480, 330)]),
        ("Bình Long", 270, 320, RED, [(300, 350)]),
    ]
    centre = (590, 160)
    for name, x, y, colour, communes in districts:
        body.append(
            f'<line x1="{centre[0]}" y1="{centre[1]}" x2="{x}" y2="{y}" stroke="{GREY}" '
            f'stroke-width="2" stroke-dasharray="6 5"/>'
        )
        body.append(f'<circle cx="{x}" cy="{y}" r="62" fill="{colour}" opacity="0.18"/>')
        for cx, cy in communes:
            body.append(f'<line x1="{x}" y1="{y}" x2="{cx}" y2="{cy}" stroke="{colour}" stroke-width="2"/>')
            body.append(f'<circle cx="{cx}" cy="{cy}" r="7" fill="#ffffff" stroke="{colour}" stroke-width="3"/>')
        body.append(f'<circle cx="{x}" cy="{y}" r="14" fill="{colour}"/>')
        body.append(text(x, y + 84, name, 16, INK, weight="bold"))
    body.append(f'<circle cx="{centre[0]}" cy="{centre[1]}" r="22" fill="{RED}"/>')
    body.append(f'<polygon points="{star_points(centre[0], centre[1], 14)}" fill="{GOLD}"/>')
    body.append(text(centre[0], centre[1] - 32, "Tỉnh ủy", 16, INK, weight="bold"))
    # legend
    body.append(f'<circle cx="80" cy="470" r="7" fill="#ffffff" stroke="{INK}" stroke-width="3"/>')
    body.append(text(96, 475, "đảng bộ xã, phường, thị trấn", 14, INK, anchor="start"))
    body.append(f'<circle cx="380" cy="470" r="10" fill="{INK}"/>')
    body.append(text(398, 475, "đảng bộ huyện, thị xã", 14, INK, anchor="start"))
    return svg(
        w, h,
        "Sơ đồ dạng bản đồ các đảng bộ huyện, thị xã và đảng bộ cơ sở",
        "Ba vùng màu tượng trưng cho Lộc Ninh, Hớn Quản và Bình Long, nối với biểu tượng Tỉnh ủy; "
        "các chấm tròn nhỏ là đảng bộ cơ sở.",
        body,
    )


def congress_timeline() -> str:
    """A timeline of the steps from the grassroots congresses to the provincial congress."""
    w, h = 800, 360
    steps = [
        ("Quý I", ("Đại hội", "chi bộ")),
        ("Quý II", ("Đại hội", "đảng bộ cơ sở")),
        ("Quý III", ("Đại hội cấp", "trên cơ sở")),
        ("Quý IV", ("Đại hội", "đảng bộ tỉnh")),
    ]
    body = [
        f'<rect width="{w}" height="{h}" fill="{CREAM}"/>',
        text(w / 2, 48, "Lộ trình đại hội đảng bộ các cấp", 22, INK, weight="bold"),
        f'<line x1="100" y1="180" x2="700" y2="180" stroke="{SAND}" stroke-width="10" stroke-linecap="round"/>',
    ]
    for i, (when, what) in enumerate(steps):
        x = 100 + i * 200
        last = i == len(steps) - 1
        fill = RED if last else GOLD
        body.append(f'<circle cx="{x}" cy="180" r="{30 if last else 24}" fill="{fill}" stroke="{DARK_RED}" stroke-width="3"/>')
        if last:
            body.append(f'<polygon points="{star_points(x, 181, 18)}" fill="{GOLD}"/>')
        else:
            body.append(text(x, 187, str(i + 1), 20, DARK_RED, weight="bold"))
        body.append(text(x, 120, when, 16, GREY))
        for n, line in enumerate(what):
            body.append(text(x, 245 + n * 22, line, 15, INK, weight="bold"))
    body.append(text(w / 2, 320, "Sơ đồ minh họa, thời gian cụ thể theo kế hoạch của cấp ủy", 13, GREY))
    return svg(
        w, h,
        "Lộ trình bốn bước tổ chức đại hội đảng bộ các cấp",
        "Trục thời gian từ đại hội chi bộ trong quý I đến đại hội đảng bộ tỉnh trong quý IV.",
        body,
    )


IMAGES = {
    "2022/hoi-truong-hoi-nghi.svg": conference_hall,
    "2023/bieu-do-so-phieu.svg": vote_chart,
    "2024/so-do-don-vi.svg": unit_map,
    "2025/hom-phieu.svg": ballot_box,
    "2026/lo-trinh-dai-hoi.svg": congress_timeline,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Vẽ ảnh minh họa mẫu (SVG) cho bản tin.")
    parser.add_argument("--force", action="store_true", help="ghi đè các tệp đã có")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="thư mục gốc của ảnh (mặc định: content/images)")
    args = parser.parse_args(argv)

    targets = {args.out / rel: draw for rel, draw in IMAGES.items()}
    existing = [path for path in targets if path.exists()]
    if existing and not args.force:
        for path in existing:
            print(f"{path}: tệp đã có, không ghi đè (dùng --force để ghi đè)", file=sys.stderr)
        return 1
    for path, draw in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(draw(), encoding="utf-8", newline="\n")
        print(f"đã ghi {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
