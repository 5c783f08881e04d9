"""`gongkai manage digest`: the daily reminders (due soon, overdue) and their e-mail digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...services import reminders


class Command(BaseCommand):
    help = "生成到期、超期提醒并发送每日提醒邮件 (daily reminders and their e-mail digest)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--within", type=int, default=reminders.DEFAULT_WITHIN, help="提前提醒的工作日数")
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="按该日期计算（YYYY-MM-DD）"
        )
        parser.add_argument("--no-mail", action="store_true", help="只生成站内提醒，不发送邮件")

    def handle(self, *args: Any, **options: Any) -> None:
        done = reminders.remind(options["date"], options["within"])
        sent = 0 if options["no_mail"] else reminders.send_digest()
        self.stderr.write(f"即将到期 {done.due_soon} 件，已超期 {done.overdue} 件；发送提醒邮件 {sent} 封")
