"""`gongkai serve`, `gongkai demo`, `gongkai report` and `gongkai manage`: thin shells over the desk.

Django is imported only when one of these runs, so the rest of the command line stays as fast
and dependency-light as before.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED = 0, 1


def add_parsers(subparsers: Any) -> None:
    """Register the desk's subcommands on the `gongkai` parser's subparsers."""
    serve = subparsers.add_parser("serve", help="启动依申请公开办理系统 (start the disclosure desk)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-demo", action="store_true", help="空数据库时不生成演示数据")
    serve.add_argument("--workers", type=int, default=None, metavar="N", help="工作进程数（默认按 CPU 核数）")
    serve.add_argument("--threads", type=int, default=4, metavar="N", help="每个工作进程的线程数")
    serve.add_argument("--no-keepalive", action="store_true", help="每个请求新建连接（压力测试用）")
    serve.add_argument("--quiet", action="store_true", help="不输出访问日志")
    serve.set_defaults(run=run_serve)

    demo = subparsers.add_parser("demo", help="在空数据库中生成演示数据 (fill an empty database with a demo)")
    demo.add_argument("--agencies", type=int, default=12, metavar="N")
    demo.add_argument("--requests", type=int, default=2000, metavar="N")
    demo.add_argument("--year", type=int, default=None, metavar="Y", help="报告年度（默认上一年）")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.set_defaults(run=run_demo)

    report = subparsers.add_parser("report", help="根据办理记录生成年度报告 (annual report from the records)")
    report.add_argument("--agency", required=True, metavar="NAME_OR_ID", help="机关名称、代码或编号")
    report.add_argument("--year", required=True, type=int, metavar="YEAR")
    report.add_argument("--rollup", action="store_true", help="汇总本机关及所有下级机关")
    report.add_argument("--json", action="store_true", help="输出规范 JSON（默认即为 JSON）")
    report.set_defaults(run=run_report)

    manage = subparsers.add_parser("manage", help="Django 管理命令 (Django's manage.py)", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(run=run_manage)


def setup() -> None:
    """Configure Django for the desk; nothing is created on disk here."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or bring up to date the database (and the SQLite data directory): `serve` and `demo` only."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def database_problem() -> str | None:
    """Why the desk's database cannot be read as it is, in Chinese, or None when it can.

    Asked before a command that only reads: a missing SQLite file is reported, never created
    (opening it would), and an unmigrated database is named instead of failing on a missing table.
    """
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import Error as DatabaseError

    connection = connections[DEFAULT_DB_ALIAS]
    hint = (
        "请先运行 gongkai serve 或 gongkai demo 创建数据库，或用 GONGKAI_DATA_DIR、DATABASE_URL 指定数据位置"
    )
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        name = Path(str(connection.settings_dict["NAME"]))
        if not name.is_file():
            return f"找不到数据库文件 {name}：{hint}"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"无法打开数据库（{error}）：{hint}"
    if pending:
        return f"数据库尚未初始化或版本较旧（{len(pending)} 项迁移未执行）：请先运行 gongkai manage migrate"
    return None


def run_serve(args: argparse.Namespace) -> int:
    setup()
    migrate()
    from .agencies.models import Agency

    # The demo's accounts share a published password: it is made for a desk on this machine only.
    if not args.no_demo and is_loopback(args.host) and not Agency.objects.exists():
        _print_demo(_demo())
    refused = unsafe_to_serve(args.host)
    if refused:
        print(f"拒绝在 {args.host} 上对外提供服务：", file=sys.stderr)
        for reason in refused:
            print(f"  - {reason}", file=sys.stderr)
        return EXIT_FAILED
    from .server import default_workers, serve

    print(f"依申请公开办理系统：http://{args.host}:{args.port}/", file=sys.stderr)
    workers = args.workers or default_workers()
    serve(
        args.host,
        args.port,
        workers=workers,
        threads=args.threads,
        keepalive=not args.no_keepalive,
        access_log=not args.quiet,
    )
    return EXIT_OK


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name) listens on this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def unsafe_to_serve(host: str) -> list[str]:
    """Why the desk must not listen on `host`, in Chinese (empty when it may): off loopback, the
    development secret key, debug pages, or an administrator or demo account that still has the
    published demo password."""
    if is_loopback(host):
        return []
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from .agencies.models import Role
    from .demo import PASSWORD

    reasons = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY or len(settings.SECRET_KEY) < 50:
        reasons.append("未设置 GONGKAI_SECRET_KEY（至少 50 个字符的随机密钥），不能使用开发密钥")
    if settings.DEBUG:
        reasons.append("GONGKAI_DEBUG 已开启，对外提供服务时必须关闭")
    users = get_user_model().objects.filter(is_active=True)
    candidates = (
        users.filter(username__startswith="demo_")
        | users.filter(is_superuser=True)
        | users.filter(memberships__role=Role.ADMIN)
    )
    exposed = sorted({u.get_username() for u in candidates.distinct() if u.check_password(PASSWORD)})
    if exposed:
        reasons.append(f"以下账号仍使用公开的演示密码，请先修改密码或停用：{'、'.join(exposed)}")
    return reasons


def _demo(**options: Any) -> Any:
    from .demo import generate

    return generate(**options)


def _print_demo(summary: Any) -> None:
    print(
        f"演示数据：{summary.agencies} 个机关，{summary.requests} 件申请，{summary.events} 个办理事项，"
        f"{summary.appeals} 件复议诉讼",
        file=sys.stderr,
    )
    print(f"演示账号（密码均为 {summary.password}）：", file=sys.stderr)
    for user in summary.users:
        print(f"  {user.username:16} {user.role:6} {user.agency}", file=sys.stderr)


def run_demo(args: argparse.Namespace) -> int:
    setup()
    migrate()
    from .agencies.models import Agency

    if Agency.objects.exists():
        print("数据库中已有数据，未生成演示数据 (the database is not empty)", file=sys.stderr)
        return EXIT_FAILED
    _print_demo(_demo(agencies=args.agencies, requests=args.requests, year=args.year, seed=args.seed))
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    setup()
    problem = database_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_FAILED
    from django.db.models import Q

    from .agencies.models import Agency
    from .reports.services import build_annual_report

    key = args.agency.strip()
    match = Q(name=key) | Q(code=key)
    if key.isdigit():
        match |= Q(pk=int(key))
    found = list(Agency.objects.filter(match)[:2])
    if len(found) != 1:
        reason = "没有找到该机关" if not found else "有多个机关符合条件，请使用编号或代码"
        print(f"{reason}：{key}", file=sys.stderr)
        return EXIT_FAILED
    report = build_annual_report(found[0], args.year, rollup=args.rollup)
    json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def run_manage(args: argparse.Namespace) -> int:
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *args.args])
    return EXIT_OK
