"""Sort keys that put Chinese names in pinyin order, as Chinese readers expect.

SQLite compares text by code point, which puts 张 before 李 and 王 (U+5F20 < U+674E < U+738B):
no order a reader recognises. The store keeps beside each name a key that sorts correctly
under SQLite's plain BINARY comparison (``sort_key``), so lists of 100,000 households sort in
SQL, by an index. Small lists held in memory may use Qt's collation instead.

Each character becomes its toneless pinyin, its tone (1–4, 5 neutral) and the character itself:
李明 → ``li3李ming2明``. The digit ends the syllable (digits sort before letters), so 李 (li) comes
before 林 (lin); the tone orders homophones; the character keeps each surname's people together.
Characters that are not Chinese go in as they are, lowercased (Latin letters among the pinyin).

The readings come from pypinyin's single-character dictionary (``pinyin_dict.json``, its first
reading), read directly: importing the ``pypinyin`` package would also parse its 2.5 MB phrase
dictionary (0.7 s) that names do not need. A name's first character is read as a surname where
the common reading differs (曾 zēng, not céng; 单 shàn; 解 xiè …). Each character's part is
computed once and remembered, so a key costs a dictionary lookup per character.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import unicodedata
from pathlib import Path

# Surnames whose usual reading is not pypinyin's first one (toneless syllable + tone).
SURNAMES: dict[str, str] = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "朴": "piao2", "区": "ou1", "查": "zha1",
    "盖": "ge3", "覃": "qin2", "尉": "yu4", "员": "yun4", "乐": "yue4", "繁": "po2", "缪": "miao4",
    "翟": "zhai2", "秘": "bi4", "召": "shao4", "折": "she2", "种": "chong2", "重": "chong2", "长": "chang2",
    "任": "ren2", "华": "hua4", "纪": "ji3", "过": "guo1", "宁": "ning4", "谌": "chen2", "句": "gou1",
    "沈": "shen3", "柏": "bai3", "薄": "bo2", "藏": "zang4", "吕": "lv3", "于": "yu2", "曲": "qu1",
    "东": "dong1", "令": "ling2", "那": "na1", "哈": "ha3", "阚": "kan4", "难": "nan2", "隗": "wei3",
}

_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_PARTS: dict[str, str] = {}
_READINGS: dict[str, str] | None = None
_LOCK = threading.Lock()


def _load() -> dict[str, str]:
    """pypinyin's code point → readings table (keys are decimal code points as text)."""
    global _READINGS
    with _LOCK:
        if _READINGS is None:
            spec = importlib.util.find_spec("pypinyin")     # locates the package without running it
            folders = list(spec.submodule_search_locations or []) if spec else []
            path = next((Path(f) / "pinyin_dict.json" for f in folders if (Path(f) / "pinyin_dict.json").is_file()),
                        None)
            if path is not None:
                _READINGS = json.loads(path.read_text(encoding="utf-8"))
            else:   # an unusual installation: the package's own loader (slower, same table)
                from pypinyin.pinyin_dict import pinyin_dict

                _READINGS = {str(k): v for k, v in pinyin_dict.items()}
        return _READINGS


def syllable(reading: str) -> str:
    """'zhōng' → 'zhong1', 'lǜ' → 'lv4', 'ma' → 'ma5' (toneless letters, ü as v, then the tone)."""
    tone = "5"
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", reading):
        mark = _TONES.get(ch)
        if mark is not None:
            tone = mark
        elif ch == "\u0308":          # the dots of ü
            if out and out[-1] == "u":
                out[-1] = "v"
        elif ch.isalpha():
            out.append(ch.lower())
    return "".join(out) + tone


def _part(ch: str) -> str:
    part = _PARTS.get(ch)
    if part is None:
        readings = _load().get(str(ord(ch)))
        part = syllable(readings.split(",", 1)[0]) + ch if readings else ch.lower()
        if ch.isspace() or ch in "·•.-":   # separators in minority names: no weight of their own
            part = ""
        if len(_PARTS) < 100_000:
            _PARTS[ch] = part
    return part


def sort_key(name: str | None) -> str | None:
    """The pinyin sort key of a person's name (None for no name); compare keys as plain text."""
    if not name:
        return None
    get = _PARTS.get
    first = name[0]
    head = SURNAMES.get(first)
    parts = [head + first if head else (get(first) or _part(first))]
    parts += [get(c) or _part(c) for c in name[1:]]
    return "".join(parts)
