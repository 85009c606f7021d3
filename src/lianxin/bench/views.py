"""The baseline of `make bench-intake`: the cheapest insert the same stack can do.

Same Django, middleware, gunicorn and database as `POST /api/v1/cases`, but one raw INSERT and no
domain work, so `cases/s ÷ baseline/s` shows what the intake path itself costs.
"""

from __future__ import annotations

import json

from django.db import IntegrityError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

KEY_MAX = 100


@csrf_exempt
@require_POST
def baseline(request):
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "请求体不是有效的 JSON。", "code": "invalid_json"}, status=400)
    title = payload.get("title") if isinstance(payload, dict) else None
    key = request.headers.get("Idempotency-Key", "").strip()
    if not isinstance(title, str) or not title.strip() or len(title) > KEY_MAX:
        return JsonResponse({"detail": "请填写标题。", "code": "invalid_input"}, status=422)
    if not key or len(key) > KEY_MAX:
        return JsonResponse({"detail": "幂等键无效（1–100 个字符）。", "code": "invalid_input"}, status=422)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_row (idempotency_key, title, created_at) VALUES (%s, %s, %s)",
                [key, title.strip(), timezone.now()],
            )
    except IntegrityError:
        return JsonResponse({"detail": "该幂等键已被使用。", "code": "idempotency_key_reused"}, status=409)
    return JsonResponse({"idempotency_key": key}, status=201)
