"""Bearer tokens for the API (``Authorization: Bearer <key>``), issued by POST /auth/token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from lianxin.accounts.services import api_token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(key=token.strip())
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
