"""Handlers for the Core subcommands (init, demo, stats, status, search, backup …)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..core import paths as paths_mod
from ..core.cli_support import print_json
from ..core.demo import make_demo
from ..core.errors import EXIT_OK, StateError, StorageError, UsageError
from ..core.store import diagnostics, vault
from ..core.store.backup import backup_target
from ..core.store.connection import translate_errors
from ..core.store.keys import check_passphrase
from ..core.store.store import Store
from .registry import command, lang_of
from .secrets_input import read_new_passphrase, read_passphrase, read_recovery_key


def data_paths(args: argparse.Namespace) -> paths_mod.DataPaths:
    return paths_mod.resolve(args.data_dir)


@contextlib.contextmanager
def opened(args: argparse.Namespace) -> Iterator[Store]:
    paths = data_paths(args)
    vault.require_set_up(paths)
    store = vault.unlock(paths, read_passphrase())
    try:
        # Reads outside Store's own wrappers (counts …) may hit a damaged page: a coded error.
        with translate_errors("读取", "Reading"):
            yield store
    finally:
        store.close()


@command("init")
def cmd_init(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    if vault.is_set_up(paths):
        raise StateError("setup.exists", f"已经设置过：{paths.root}", f"Already set up: {paths.root}")
    passphrase = read_passphrase("新密码 New passphrase: ")
    for p in check_passphrase(passphrase):
        if not p.is_error:
            sys.stderr.write(f"warning [{p.code}]: {p.message(lang_of(args))}\n")
    store, recovery = vault.setup(paths, passphrase, worker_name=args.name)
    try:
        info = {"device_id": store.device_id, "epoch": store.epoch, "data_dir": str(paths.root),
                "recovery_key": recovery}
    finally:
        store.close()
    if args.json:
        print_json(info)
    else:
        print(f"数据文件夹 Data folder: {paths.root}")
        print("请抄写并妥善保管恢复密钥（只显示这一次）/ Write down the recovery key (shown only once):")
        print(recovery)
    return EXIT_OK


@command("demo")
def cmd_demo(args: argparse.Namespace) -> int:
    if args.households < 0:
        raise UsageError("demo.households", "户数不能为负数", "--households must not be negative")
    with opened(args) as store:
        areas = args.area or _enrolled_areas(store)
        started = time.perf_counter()
        counts = make_demo(store, args.households, seed=args.seed, areas=areas)
        elapsed = time.perf_counter() - started
    parts = ", ".join(f"{k}={v}" for k, v in counts.items())
    sys.stderr.write(f"demo data created in {elapsed:.1f} s: {parts}\n")
    return EXIT_OK


def _enrolled_areas(store: Store) -> list[str] | None:
    raw = store.meta().get("enrolled_areas")
    if not raw:
        return None
    areas = [a for a in json.loads(raw) if a]
    return areas or None


def print_mapping(data: Mapping[str, object], as_json: bool) -> None:
    if as_json:
        print_json(data)
    else:
        for k, v in data.items():
            print(f"{k}: {v}")


@command("stats")
def cmd_stats(args: argparse.Namespace) -> int:
    with opened(args) as store:
        print_mapping(store.stats(), args.json)
    return EXIT_OK


@command("status")
def cmd_status(args: argparse.Namespace) -> int:
    with opened(args) as store:
        print_mapping(store.status(), args.json)
    return EXIT_OK


@command("search")
def cmd_search(args: argparse.Namespace) -> int:
    with opened(args) as store:
        hits = store.search(args.text, limit=args.limit)
    if args.json:
        print_json(hits)
    else:
        for h in hits:
            print(f"{h['type']}\t{h['id']}\t{h['title']}")
    return EXIT_OK


@command("backup")
def cmd_backup(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    vault.require_set_up(paths)
    db_key = vault.keyfile(paths).unlock(read_passphrase())
    target = backup_target(Path(args.out))
    store = vault.open_with_key(paths, db_key)
    try:
        # A backup of a damaged database would carry the damage silently: check first.
        if store.check_integrity() != "ok":
            raise StorageError("backup.source_damaged", "数据库已损坏，未写入备份；请运行 diagnose 并联系支持",
                               "The database is damaged; no backup was written. Run diagnose and contact support")
        out = vault.backup(store, db_key, target, paths=paths)
    finally:
        store.close()
    sys.stderr.write(f"备份已写入 backup written: {out}\n")
    return EXIT_OK


@command("restore")
def cmd_restore(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    source = Path(args.file)
    with_recovery = args.recovery_key is not None
    if not vault.keyfile(paths).exists():
        # A laptop that never saw FILE: the backup's own header opens it (docs/security.md).
        if paths.database.exists():
            vault.require_set_up(paths)
        recovery = read_recovery_key(args.recovery_key or None) if with_recovery else None
        passphrase = None if with_recovery else read_passphrase("备份的密码 The backup's passphrase: ")
        # A wrong secret is refused (exit 3) before the new passphrase is asked for.
        vault.read_backup_key(source, passphrase=passphrase, recovery_key=recovery)
        store = vault.restore_new(paths, source, read_new_passphrase(), passphrase=passphrase,
                                  recovery_key=recovery)
    elif with_recovery:
        # As `unlock --recovery-key`: this laptop's recovery key, then a new passphrase.
        kf = vault.keyfile(paths)
        db_key = kf.unlock_with_recovery(read_recovery_key(args.recovery_key or None))
        new = read_new_passphrase()
        store = vault.restore(paths, db_key, source)
        kf.change_passphrase(db_key, new)
    else:
        # a lost lehe.db with keys.json left is what restore is for
        db_key = vault.keyfile(paths).unlock(read_passphrase())
        store = vault.restore(paths, db_key, source)
    epoch = store.epoch
    store.close()
    sys.stderr.write(f"restored; new epoch {epoch}\n")
    return EXIT_OK


@command("passphrase change")
def cmd_passphrase_change(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    vault.require_set_up(paths)
    old = read_passphrase("当前密码 Current passphrase: ")
    new = read_new_passphrase()
    vault.change_passphrase(paths, old, new)
    sys.stderr.write("passphrase changed\n")
    return EXIT_OK


@command("unlock")
def cmd_unlock(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    vault.require_set_up(paths)
    recovery = read_recovery_key(args.recovery_key or None)
    new = read_new_passphrase()
    store = vault.unlock_with_recovery(paths, recovery, new)
    store.close()
    sys.stderr.write("new passphrase set\n")
    return EXIT_OK


@command("diagnose")
def cmd_diagnose(args: argparse.Namespace) -> int:
    """Logs, versions, schema and counts — never record contents — for a support request."""
    paths = data_paths(args)
    try:
        with opened(args) as store:
            out = diagnostics.diagnose(Path(args.out), paths, store)
    except Exception as exc:  # diagnose must work on a broken or locked install too
        if isinstance(exc, StorageError) and exc.code == "diagnose.failed":
            raise
        out = diagnostics.diagnose(Path(args.out), paths, None, getattr(exc, "code", type(exc).__name__))
    sys.stderr.write(f"diagnostics written: {out}\n")
    return EXIT_OK
