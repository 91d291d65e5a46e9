"""What the demo modules share: the context a demo step gets, and synthetic names, ID numbers
and phone numbers (no real person's data). demo.py and demo_work.py both import it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .store.store import Store
from .validation.idnumber import check_digit

COUNTY_CODE = "500238"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆磊国建德志文兵林福贵财生成忠义"
GIVEN_F = "芳娜敏静丽艳娟霞秀英华慧巧美玉兰凤琴云莲红梅燕翠珍萍桂芬淑春"


@dataclass
class DemoContext:
    store: Store
    rng: random.Random
    today: date
    area_ids: list[str]
    households: list[dict[str, Any]] = field(default_factory=list)   # id, area_id, group_name, head_name
    members: list[dict[str, Any]] = field(default_factory=list)      # id, household_id, name, birth_date, sex


# A later record type's demo: adds rows for the context's households and members, returns counts.
DemoStep = Callable[[DemoContext], dict[str, int]]


def person_name(rng: random.Random, sex: str, surname: str | None = None) -> str:
    surname = surname or rng.choice(SURNAMES)
    pool = GIVEN_M if sex == "1" else GIVEN_F
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return surname + given


def id_number(rng: random.Random, birth: date, sex: str) -> str:
    seq = rng.randrange(0, 50) * 2 + (1 if sex == "1" else 0)
    body = f"{COUNTY_CODE}{birth:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"
    return body + check_digit(body)


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(str(rng.randrange(10)) for _ in range(9))
