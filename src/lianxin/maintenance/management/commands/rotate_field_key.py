"""`manage.py rotate_field_key`: re-encrypt every encrypted column with a new field key in one transaction.

The new key is read from the environment (LIANXIN_NEW_FIELD_KEY) or from a file (--new-key-file, mode 600), never
from the command line (it would stay in the shell history and in `ps`). `--generate` writes a new random key into
that file first. Stop the web and worker processes before, restart them with the new key after."""

import os
import secrets
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.maintenance.errors import EXIT_FAILED, BackupError
from lianxin.maintenance.services import field_key_rotate

NEW_KEY_VARIABLE = "LIANXIN_NEW_FIELD_KEY"


class Command(BaseCommand):
    help = "Re-encrypt personal data with a new field key (from LIANXIN_NEW_FIELD_KEY or --new-key-file)."
    requires_system_checks = []  # the service checks the configured key itself, with its own message

    def add_arguments(self, parser):
        parser.add_argument("--new-key-file", help="a file holding the new key (created by --generate)")
        parser.add_argument(
            "--generate", action="store_true", help="write a new random key into --new-key-file (a new file)"
        )
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, new_key_file: str | None, generate: bool, no_input: bool, **options):
        new_key = self._new_key(new_key_file, generate)
        if not no_input:
            if not sys.stdin.isatty():
                raise CommandError(
                    _("请确认 Web 和后台任务进程已停止，然后加 --no-input 再运行。"), returncode=EXIT_FAILED
                )
            answer = input(_("Web 和后台任务进程都已停止吗？输入 yes 继续：")).strip().lower()
            if answer != "yes":
                raise CommandError(_("未做任何改动。"), returncode=EXIT_FAILED)
        try:
            changed = field_key_rotate(new_key=new_key)
        except BackupError as exc:
            raise CommandError(exc.message, returncode=exc.code) from exc
        self.stdout.write(
            _("已用新密钥重新加密 %(rows)s 行（%(tables)s 张表），并更新了密钥校验值。")
            % {"rows": sum(changed.values()), "tables": sum(1 for count in changed.values() if count)}
        )
        self.stdout.write(_("接下来："))
        where = new_key_file or NEW_KEY_VARIABLE
        self.stdout.write(
            _("1. 在环境文件（如 /etc/lianxin/env，权限 600）中把 LIANXIN_FIELD_KEY 设为新密钥（%(where)s 中的值）。")
            % {"where": where}
        )
        if settings.FIELD_HASH_KEY == settings.FIELD_ENCRYPTION_KEY:  # not set apart from the field key
            if settings.FIELD_ENCRYPTION_KEY != settings.SECRET_KEY:
                old = _("LIANXIN_FIELD_KEY 现在的值")
            elif settings.SECRET_KEY_FROM_ENVIRONMENT:
                old = _("LIANXIN_SECRET_KEY 的值")
            else:
                old = _("var/secret.key 的内容")
            self.stdout.write(
                _("2. 把 LIANXIN_FIELD_HASH_KEY 设为旧密钥（%(old)s）：按电话查找和已发出的跟进链接依赖它。")
                % {"old": old}
            )
        self.stdout.write(_("3. 重启 Web 和后台任务进程；新密钥不对时它们会拒绝启动。"))
        self.stdout.write(_("4. 立即做一次备份。旧备份只能用旧密钥恢复：旧密钥与旧备份一起保管，直到旧备份过期删除。"))

    def _new_key(self, new_key_file: str | None, generate: bool) -> str:
        if generate:
            if not new_key_file:
                raise CommandError(_("--generate 须同时给出 --new-key-file。"), returncode=2)
            path = Path(new_key_file)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as exc:
                raise CommandError(_("%(path)s 已存在：不会覆盖。") % {"path": path}, returncode=EXIT_FAILED) from exc
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
            self.stdout.write(_("新密钥已写入 %(path)s（权限 600）。") % {"path": path})
        if new_key_file:
            try:
                return Path(new_key_file).read_text().strip()
            except OSError as exc:
                raise CommandError(
                    _("读不到新密钥文件 %(path)s：%(error)s") % {"path": new_key_file, "error": exc.strerror},
                    returncode=EXIT_FAILED,
                ) from exc
        value = settings.NEW_FIELD_KEY
        if not value:
            raise CommandError(
                _("请在环境变量 %(variable)s 中给出新密钥，或用 --new-key-file。") % {"variable": NEW_KEY_VARIABLE},
                returncode=2,
            )
        return value
