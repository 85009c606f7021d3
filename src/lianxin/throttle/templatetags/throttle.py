from django import template

from lianxin.throttle import traps

register = template.Library()


@register.inclusion_tag("throttle/_traps.html")
def form_traps() -> dict:
    """The honeypot field and the signed drawing time, inside a public form."""
    return {"drawn": traps.drawn_value(), "honeypot": traps.HONEYPOT}
