"""Template helpers of the course and lesson pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def knowledge_result(context, block_id):
    """The graded answer to a lesson's knowledge check (from ``lesson_page_context``), or None."""
    results = context.get("knowledge_results") or {}
    return results.get(block_id)
