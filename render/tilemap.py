"""The 47 prefectures as a square tile map: one tile per prefecture on a 13 × 10 grid.

Positions keep each prefecture next to its real neighbours where a grid allows it (Shikoku as a
2 × 2 block, Kyushu to the west of Chūgoku, Okinawa below). Labels are the short names printed on
the tiles. Both renderers draw from this table: HTML as an inline SVG, Word as a shaded table.
"""

from __future__ import annotations

from dataclasses import dataclass

from transform.prefectures import PREFECTURES

COLUMNS = 13
ROWS = 10

# prefecture → (short label, column, row); keys in JIS order.
POSITIONS: dict[str, tuple[str, int, int]] = {
    "北海道": ("北海道", 12, 0), "青森県": ("青森", 12, 1), "岩手県": ("岩手", 12, 2),
    "宮城県": ("宮城", 12, 3), "秋田県": ("秋田", 11, 2), "山形県": ("山形", 11, 3),
    "福島県": ("福島", 12, 4), "茨城県": ("茨城", 12, 5), "栃木県": ("栃木", 11, 4),
    "群馬県": ("群馬", 10, 4), "埼玉県": ("埼玉", 10, 5), "千葉県": ("千葉", 12, 6),
    "東京都": ("東京", 11, 5), "神奈川県": ("神奈川", 10, 6), "新潟県": ("新潟", 10, 3),
    "富山県": ("富山", 9, 3), "石川県": ("石川", 8, 3), "福井県": ("福井", 7, 4),
    "山梨県": ("山梨", 9, 5), "長野県": ("長野", 9, 4), "岐阜県": ("岐阜", 8, 4),
    "静岡県": ("静岡", 9, 6), "愛知県": ("愛知", 8, 5), "三重県": ("三重", 7, 6),
    "滋賀県": ("滋賀", 7, 5), "京都府": ("京都", 6, 5), "大阪府": ("大阪", 5, 6),
    "兵庫県": ("兵庫", 5, 5), "奈良県": ("奈良", 6, 6), "和歌山県": ("和歌山", 6, 7),
    "鳥取県": ("鳥取", 4, 5), "島根県": ("島根", 3, 5), "岡山県": ("岡山", 4, 6),
    "広島県": ("広島", 3, 6), "山口県": ("山口", 2, 6), "徳島県": ("徳島", 4, 8),
    "香川県": ("香川", 4, 7), "愛媛県": ("愛媛", 3, 7), "高知県": ("高知", 3, 8),
    "福岡県": ("福岡", 1, 6), "佐賀県": ("佐賀", 0, 6), "長崎県": ("長崎", 0, 7),
    "熊本県": ("熊本", 1, 7), "大分県": ("大分", 2, 7), "宮崎県": ("宮崎", 2, 8),
    "鹿児島県": ("鹿児島", 1, 8), "沖縄県": ("沖縄", 0, 9),
}

# Case-count classes: (lowest count, fill, text colour, legend label). Sequential blues; the
# text turns white where the fill is dark enough to need it.
SHADES: tuple[tuple[int, str, str, str], ...] = (
    (0, "EEF1F4", "6B7280", "0"),
    (1, "C6DBEF", "1F2937", "1"),
    (2, "6BAED6", "111827", "2"),
    (3, "2171B5", "FFFFFF", "3–4"),
    (5, "08306B", "FFFFFF", "5以上"),
)


@dataclass(frozen=True)
class Tile:
    """One prefecture tile: where it sits, how many cases it has and how it is shaded."""

    prefecture: str
    code: int  # JIS X 0401
    label: str
    column: int
    row: int
    count: int
    fill: str  # RRGGBB without '#'
    text: str


def shade(count: int) -> tuple[str, str]:
    """(fill, text colour) for a case count."""
    fill, text = SHADES[0][1], SHADES[0][2]
    for low, f, t, _ in SHADES:
        if count >= low:
            fill, text = f, t
    return fill, text


def tiles(counts: dict[str, int]) -> list[Tile]:
    """All 47 tiles in JIS order, shaded by `counts` (prefecture → number of cases)."""
    out = []
    for code, name in enumerate(PREFECTURES, start=1):
        label, column, row = POSITIONS[name]
        count = counts.get(name, 0)
        fill, text = shade(count)
        out.append(Tile(name, code, label, column, row, count, fill, text))
    return out


def grid(counts: dict[str, int]) -> list[list[Tile | None]]:
    """The tiles laid out as ROWS × COLUMNS (None where the grid has sea)."""
    cells: list[list[Tile | None]] = [[None] * COLUMNS for _ in range(ROWS)]
    for tile in tiles(counts):
        cells[tile.row][tile.column] = tile
    return cells
