"""The 47 prefectures of Japan in JIS X 0401 order (code = index + 1), and region parsing."""

from __future__ import annotations

import re

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)

# Longest names first so that 京都府 is not read as 京都 + something, nor 神奈川県 as 奈川県.
_PATTERN = re.compile("|".join(sorted(PREFECTURES, key=len, reverse=True)))


def prefectures_in(region: str) -> list[str]:
    """Prefectures named in a region string, in order of appearance, without repeats.

    「山口県・滋賀県」 → [山口県, 滋賀県]; 「京都府京都市等」 → [京都府].
    """
    found: list[str] = []
    for m in _PATTERN.finditer(region):
        if m[0] not in found:
            found.append(m[0])
    return found
