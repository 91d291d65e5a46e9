"""Why a bundle is refused: one code and one exit code per kind (docs/cli.md "Sync bundles").

Nothing is changed by a refused bundle; a bundle from a revoked device is kept aside for an
administrator (``bundle.held``) instead of being applied or lost."""

from __future__ import annotations

from ..errors import LeheError

EXIT_NOT_BUNDLE = 20
EXIT_DAMAGED = 21
EXIT_TAMPERED = 22
EXIT_OTHER_RECIPIENT = 23
EXIT_NEWER_FORMAT = 24
EXIT_TOO_LARGE = 25
EXIT_HELD = 26
EXIT_UNKNOWN_SENDER = 27
EXIT_WRONG_KIND = 28

_WORDS: dict[str, tuple[int, str, str]] = {
    "bundle.not_bundle": (EXIT_NOT_BUNDLE, "这个文件不是乐和同步包（.lehe），没有导入任何内容",
                          "This file is not a Lehe sync bundle (.lehe); nothing was imported"),
    "bundle.damaged": (EXIT_DAMAGED, "同步包已损坏或不完整（可能没有拷完或 U 盘出错），没有导入任何内容：请让对方重新导出",
                       "The sync bundle is damaged or incomplete (copied only in part, or a faulty stick); "
                       "nothing was imported: ask the sender to export it again"),
    "bundle.tampered": (EXIT_TAMPERED, "同步包的签名或加密校验不对（被改动过），没有导入任何内容",
                        "The sync bundle's signature or encryption check failed (it was altered); nothing "
                        "was imported"),
    "bundle.other_recipient": (EXIT_OTHER_RECIPIENT, "这个同步包不是给本机（或本服务器）的，没有导入任何内容",
                               "This sync bundle is not addressed to this device (or server); nothing was "
                               "imported"),
    "bundle.newer_format": (EXIT_NEWER_FORMAT, "同步包是更新版本的程序做的，本机读不了：请先升级乐和社工，没有导入任何内容",
                            "The sync bundle was made by a newer version of the program: upgrade Lehe "
                            "Desktop first; nothing was imported"),
    "bundle.too_large": (EXIT_TOO_LARGE, "同步包（或其中解压后的数据）超过允许的大小，没有导入任何内容",
                         "The sync bundle (or the data in it once unpacked) is larger than allowed; nothing "
                         "was imported"),
    "bundle.held": (EXIT_HELD, "同步包来自已停用的设备：已暂存，等管理员审核（held-bundles），没有导入任何内容",
                    "The sync bundle comes from a revoked device: it is kept aside for an administrator's "
                    "review (held-bundles); nothing was imported"),
    "bundle.unknown_sender": (EXIT_UNKNOWN_SENDER, "同步包来自本机不认识的设备（请先同步一次以更新设备名单），没有导入任何内容",
                              "The sync bundle comes from a device this one does not know (sync once to "
                              "refresh the device list); nothing was imported"),
    "bundle.wrong_kind": (EXIT_WRONG_KIND, "这个文件是另一种同步包（导入包和回执要分别用 import-bundle 和 import-receipt）",
                          "This file is the other kind of sync file (bundles go to import-bundle, receipts "
                          "to import-receipt)"),
}

CODES = tuple(_WORDS)


HELD_ON_LAPTOP = ("同步包来自已停用的设备，本机没有导入任何内容：请把这个文件交给管理员（服务器会把它暂存待审）",
                  "The sync bundle comes from a revoked device; nothing was imported here: give the file to "
                  "the administrator (the server keeps it aside for review)")


class BundleError(LeheError):
    """A refused bundle (``code`` one of ``CODES``); its exit code is the kind's own."""

    def __init__(self, code: str, detail: str = "", *, words: tuple[str, str] | None = None) -> None:
        exit_code, zh, en = _WORDS[code]
        if words is not None:
            zh, en = words
        if detail:
            # The detail is a technical pointer for support (often English: "envelope length"):
            # marked as such in the Chinese text rather than left as a stray English word.
            zh, en = f"{zh}（详情：{detail}）", f"{en} ({detail})"
        super().__init__(code, zh, en, exit_code=exit_code)
        self.detail = detail
