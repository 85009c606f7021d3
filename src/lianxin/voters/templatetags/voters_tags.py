from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.8765 → "87.7%"; None (nothing counted) → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"
