"""The tile map: all 47 prefectures, one tile each, on the grid, shaded by count."""

from __future__ import annotations

from render.tilemap import COLUMNS, POSITIONS, ROWS, grid, shade, tiles
from transform.prefectures import PREFECTURES


def test_every_prefecture_has_its_own_tile_on_the_grid() -> None:
    assert list(POSITIONS) == list(PREFECTURES)
    cells = [(column, row) for _, column, row in POSITIONS.values()]
    assert len(set(cells)) == 47
    assert all(0 <= c < COLUMNS and 0 <= r < ROWS for c, r in cells)


def test_neighbours_stay_neighbours() -> None:
    def at(name: str) -> tuple[int, int]:
        _, column, row = POSITIONS[name]
        return column, row

    assert at("北海道")[1] == 0 and at("沖縄県")[1] == ROWS - 1
    assert at("青森県") == (at("北海道")[0], 1)
    assert at("香川県")[1] == at("愛媛県")[1] and at("高知県")[1] == at("徳島県")[1]  # Shikoku, 2 × 2
    assert at("福岡県")[0] < at("山口県")[0]  # Kyushu west of Chūgoku


def test_shades_darken_with_the_count() -> None:
    fills = [shade(n)[0] for n in (0, 1, 2, 3, 5, 9)]
    assert fills[0] != fills[1] != fills[2] != fills[3] != fills[4] and fills[4] == fills[5]
    tokyo = next(t for t in tiles({"東京都": 5}) if t.prefecture == "東京都")
    assert (tokyo.code, tokyo.count, tokyo.text) == (13, 5, "FFFFFF")
    assert sum(t is not None for row in grid({}) for t in row) == 47
