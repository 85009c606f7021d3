"""`python manage.py seed_demo [--cases N]`: the deterministic demo district (run by `make demo`)."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.demo.extensions import run_extensions
from lianxin.demo.seed import demo_exists, extra_login_rows, login_rows, qr_urls, seed_demo
from lianxin.env import env_str


class Command(BaseCommand):
    help = "创建演示区（南湖区）的组织、代表、承办单位和一年的民意件；重复运行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=3000, help="民意件数量（默认 3000）")
        parser.add_argument(
            "--district-only", action="store_true", help="只创建区划、组织和民意件，不添加其他模块的演示数据"
        )

    def handle(self, *args, cases: int, district_only: bool = False, **options):
        if cases < 40 or cases > 100_000:
            raise CommandError(_("--cases 须在 40 到 100000 之间。"))
        # Read again here: a value exported after the settings were loaded (one process seeding twice) counts.
        password = env_str("LIANXIN_DEMO_PASSWORD", settings.DEMO_PASSWORD)
        port = os.environ.get("PORT") or "8000"
        started = time.monotonic()
        existed = demo_exists()
        outcome = seed_demo(cases=cases, password=password, now=timezone.now())
        for summary in [] if district_only else run_extensions(now=timezone.now()):
            self.stdout.write(f"  {summary}")
        elapsed = time.monotonic() - started
        if existed:
            self.stdout.write(
                f"演示数据已存在（区划代码 330402），未重复创建；已重置演示账号密码。用时 {elapsed:.1f} 秒。"
            )
        else:
            total = sum(outcome.statuses.values())
            self.stdout.write(self.style.SUCCESS(f"已创建演示区：{total} 件民意件，用时 {elapsed:.1f} 秒。"))
            self.stdout.write("  " + "  ".join(f"{status}={n}" for status, n in sorted(outcome.statuses.items())))
        self.stdout.write("")
        self.stdout.write(f"{'用户名':<10}{'角色':<16}{'范围':<36}密码")
        for username, role, scope, secret in login_rows(password):
            self.stdout.write(f"{username:<12}{role:<14}{scope:<34}{secret}")
        units, deputies = extra_login_rows()
        if units:
            self.stdout.write("")
            self.stdout.write(f"承办单位账号（{len(units)} 个，密码同上）：")
            for username, name in units:
                self.stdout.write(f"  {username:<20}{name}")
        if deputies:
            self.stdout.write(f"代表账号（{len(deputies)} 个，用户名为代表编码，密码同上）：")
            for start in range(0, len(deputies), 5):
                self.stdout.write("  " + "  ".join(f"{u} {n:<4}" for u, n in deputies[start : start + 5]))
        self.stdout.write("其他联络站工作人员（staff-…）尚未激活：请以 office 登录，在“账号管理”打印或发送激活链接。")
        if "console" in settings.NOTIFY_CHANNELS:
            self.stdout.write("演示不发真实短信：以 office 登录后在 /demo/messages/ 查看已“发出”的短信和验证码。")
        if settings.OTP_REQUIRED_ROLES:
            self.stdout.write(
                "这些角色须两步验证（LIANXIN_OTP_REQUIRED_ROLES）："
                + "、".join(settings.OTP_REQUIRED_ROLES)
                + "；首次登录时用验证器应用扫码绑定。"
            )
        self.stdout.write("")
        self.stdout.write("公开二维码链接：")
        for label, url in qr_urls(f"http://127.0.0.1:{port}"):
            self.stdout.write(f"  {label:<12}{url}")
