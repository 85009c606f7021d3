"""`{% fig value url=… reason=… cls=… id=… key=… %}`: the markup of cockpit/_fig.html (a number that links to its
list, or says on hover why it has none) made in Python. The overview shows a hundred-odd figures; an include each
costs a context push and a template walk, a quarter of the page's template time."""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from lianxin.web.templatetags.punctuation import parens

register = template.Library()


@register.simple_tag(takes_context=True)
def fig(context, value, url="", reason="", cls="", id="", key=""):  # the include's parameter names
    def show(text) -> str:
        return render_value_in_context(text, context)

    classes = f" {show(cls)}" if cls else ""
    attrs = (f' id="{show(id)}"' if id else "") + (f' data-figure="{show(key)}"' if key else "")
    if url:
        return mark_safe(f'<a class="fig{classes}" href="{show(url)}"{attrs}>{show(value)}</a>')  # noqa: S308 — every part escaped by show()
    # The hidden note repeats a few reasons many times: translated once per reason and page.
    notes = context.render_context.setdefault("cockpit_fig_notes", {})
    note = notes.get(reason)
    if note is None:
        note = notes[reason] = conditional_escape(parens(reason))
    return mark_safe(  # noqa: S308 — every part escaped by show() / conditional_escape
        f'<span class="fig fig-nolink{classes}" title="{show(reason)}" data-no-link{attrs}>{show(value)}'
        f'<span class="visually-hidden">{note}</span></span>'
    )
