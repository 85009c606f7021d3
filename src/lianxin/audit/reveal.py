"""The audited reveal of the personal data citizens type into free text (phone, ID card and bank card numbers,
e-mail addresses: lianxin.privacy.find_personal_data). Every screen, export and API answer shows such text
masked; the roles that call citizens back (privacy.TEXT_REVEAL_ROLES) may ask for it in full. Each app's
reveal service checks that the actor sees the object (a foreign one is a NotFound before this) and calls
`text_reveal`, which writes the entry — the kinds found, never the values — and refuses every other role
with a RevealRefused (403), written to the log as well with result "denied"."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin import privacy
from lianxin.accounts.selectors import user_roles
from lianxin.audit.services import log_action
from lianxin.errors import RevealRefused


def may_reveal_text(user) -> bool:
    return bool(user_roles(user) & privacy.TEXT_REVEAL_ROLES)


def _role(user) -> str:
    roles = user_roles(user)
    for role in ("office", "station", "deputy", "unit", "leader", "auditor"):
        if role in roles:
            return role
    return ""


def text_reveal(*, actor, action: str, subject_type: str, subject_id: int | None, texts, actor_role: str = "") -> None:
    """Audit a reveal of `texts` (an iterable of strings) about one object; raise RevealRefused for a role that
    may not. Written outside any transaction of the caller's: a refusal's entry stays."""
    texts = [text or "" for text in texts]
    allowed = may_reveal_text(actor)
    log_action(
        actor=actor,
        actor_role=actor_role or _role(actor),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        public=False,
        data={"kinds": privacy.personal_data_kinds(*texts)},
        result="ok" if allowed else "denied",
    )
    if not allowed:
        raise RevealRefused(_("您无权查看完整内容。"))
