from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .permissions import user_roles, uses_admin
from .selectors import nav_links_for


def civicskills(request):
    """Site name, the municipality's settings and the signed-in person's roles, for the header,
    footer and navigation."""
    from cms.routing import municipality_settings

    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "municipality": SimpleLazyObject(municipality_settings),
        "user_roles": user_roles(user) if user is not None else frozenset(),
        "user_uses_admin": uses_admin(user) if user is not None else False,
        "nav_links": nav_links_for(user) if user is not None else [],
    }
