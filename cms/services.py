"""Write-side operations of the site content."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage


@transaction.atomic
def site_ensure_default(*, hostname: str = "localhost", port: int = 80) -> Site:
    """Make sure there is a default site whose root is the CivicSkills home page.

    The data migration does this on a fresh database; this is for databases emptied since (for
    example by tests that flush tables) and for operators repairing a site. Idempotent.
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(title="Root", slug="root")
        home = root.add_child(
            instance=HomePage(
                title="CivicSkills",
                slug="home",
                intro="<p>Staff learning for the city's digital services.</p>",
            )
        )
    if site is None:
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="CivicSkills",
        )
    else:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return site
