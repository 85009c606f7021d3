"""GET /api/v1/challenge: a signed proof-of-work challenge (ALTCHA), for a client past a soft limit."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from lianxin.throttle.challenge import new_challenge

router = Router(tags=["challenge"])


class ChallengeParametersOut(Schema):
    algorithm: str
    nonce: str
    salt: str
    cost: int
    keyLength: int
    keyPrefix: str
    expiresAt: int


class ChallengeOut(Schema):
    parameters: ChallengeParametersOut
    signature: str


@router.get(
    "/challenge",
    auth=None,
    response={200: ChallengeOut},
    summary="人机验证题（ALTCHA 工作量证明，公开）",
    description="超过软限额后，公开接口答 429 `challenge_required`。取一道题，用 ALTCHA 组件或库"
    "（PBKDF2/SHA-256）求解，把 base64 编码的 `{challenge, solution}` 放在请求头 `X-Altcha`"
    "（表单也可放在字段 `altcha`）重新提交。每个解答只能用一次。",
)
def challenge(request: HttpRequest):
    return new_challenge()
