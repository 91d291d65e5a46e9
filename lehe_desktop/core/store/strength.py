"""How guessable a passphrase is: zxcvbn, with the pinyin words Chinese passwords are made of.

zxcvbn (Dropbox's estimator, the Python port) scores 0–4 by the guesses its attacker model
needs: dictionary words, names, keyboard runs, dates, repeats, l33t. Its dictionaries are
English; ``PINYIN`` adds what Chinese users actually type — the pinyin of common words,
phrases and surnames (woaini, zhongguo, wangwei …), ranked roughly by how often they appear in
published leaked-password studies. A score below ``MIN_SCORE`` is refused (``passphrase.weak``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

MIN_SCORE = 3

# Most frequent first (the rank is the word's guess cost).
PINYIN = """
woaini mima wodemima nihao aini woaini1314 zhongguo beijing shanghai xiaoming laopo laogong baobao
xiaobao tiantian kuaile xingfu pingan aiqing yongyuan yisheng yishi yiqi yiqilai jiayou nihaoma xiexie
zaijian wangwei zhangwei lihua liming wanglei zhangjie lijie liuyang wangfang zhangmin zhanglei
zhangyan lina wangjing liqiang wangyong zhangjun wanghao lixin wangli zhangli
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie
song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu
ding ren shen yao jin qian dai fan fang shi tan jia zou xiong meng qin yan xue hou lei long duan
hao kong shao mao qiu qiao
shegong shequ cunwei nongcun lehe lehe123 shehui gongzuo shegongzhan cunmin jumin laoren ertong
mingzi shengri zhongguoren wodejia jia jiating baba mama gege jiejie didi meimei yeye nainai
xiaomei xiaohong xiaogang xiaolong xiaoyu xiaofeng xiaoli xiaowei xiaojie xiaohua xiaoqiang
tianshi mengxiang xinxin yuanyuan lele huanhuan feifei yangyang dongdong jingjing lili tingting
qwerty nicai haoma shouji diannao mimamima buzhidao wangluo hello haha hehe xixi
""".split()  # noqa: SIM905 (a word list reads better than a list literal)

_loaded = threading.Lock()
_ready = False


def _dictionaries() -> None:
    # zxcvbn is imported on first use: its dictionaries cost ~30 ms of every start otherwise.
    from zxcvbn.matching import add_frequency_lists

    global _ready
    with _loaded:
        if not _ready:
            add_frequency_lists({"pinyin": PINYIN})
            _ready = True


@dataclass(frozen=True)
class Strength:
    score: int           # 0 … 4
    guesses_log10: float
    warning: str         # zxcvbn's warning (English), may be ""


def estimate(passphrase: str) -> Strength:
    from zxcvbn import zxcvbn

    _dictionaries()
    # zxcvbn's cost grows with length; beyond 100 characters nothing is guessable anyway.
    result = zxcvbn(passphrase[:100])
    return Strength(int(result["score"]), float(result["guesses_log10"]),
                    str(result["feedback"].get("warning") or ""))
