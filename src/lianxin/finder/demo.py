"""Demo data for the finder: deputies' publication choices and placeholder portraits.

Deterministic (fixed seed), idempotent (a second run finds its marker, the publication rows, and adds
nothing) and fast. The demo district already has grid polygons, grid workers and station locations.
"""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from lianxin.finder.models import PUBLICATION_FLAGS, DeputyPublication
from lianxin.finder.services import grid_version_bump
from lianxin.organisation.models import Deputy

SEED = 20260505
PALETTE = ["#8d6e63", "#5c6bc0", "#26a69a", "#ef5350", "#7e57c2", "#42a5f5", "#66bb6a", "#ffa726"]


def portrait(rng: random.Random) -> bytes:
    """A plain silhouette on a coloured background (no real person's likeness)."""
    image = Image.new("RGB", (240, 320), rng.choice(PALETTE))
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 50, 170, 160), fill="#f5e0d0")
    draw.ellipse((30, 170, 210, 380), fill="#263238")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def seed_demo_extension(*, now) -> str:
    if DeputyPublication.objects.exists():
        return "找代表：演示数据已存在，未重复添加。"
    rng = random.Random(SEED)
    deputies = list(Deputy.objects.filter(public=True, active=True).order_by("code"))
    rows, photos = [], 0
    for deputy in deputies:
        flags = dict.fromkeys(PUBLICATION_FLAGS, True)
        if rng.random() < 0.15:
            flags["show_stats"] = False
        if rng.random() < 0.1:
            flags["show_photo"] = False
        if rng.random() < 0.1:
            flags["show_constituency"] = False
        rows.append(DeputyPublication(deputy=deputy, **flags))
        if not deputy.photo:
            deputy.photo.save(f"demo-{deputy.code}.jpg", ContentFile(portrait(rng)), save=True)
            photos += 1
    DeputyPublication.objects.bulk_create(rows)
    grid_version_bump()
    hidden = sum(1 for row in rows if not row.show_stats)
    return f"找代表：{len(rows)} 位代表的公开选项（{hidden} 位不公开履职统计），{photos} 张演示头像。"
