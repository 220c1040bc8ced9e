"""Serving Wagtail pages without walking the page tree on every request.

Wagtail routes a URL one path segment at a time (a query per segment, plus one to load the
specific page), then looks up view restrictions on the page and all its ancestors (two more
queries). For a lesson at /catalogue/<course>/<lesson>/ that is eight queries before our own
code runs, on every request, for a tree that changes only when an editor publishes.

So:

* ``serve`` remembers, in each process, where a path led — the page's id and type, with the
  Site — and next time loads that page with one query (no cache round trip either: the map is
  small, and the pages generation token every request reads already says whether it is
  current). Only plain routes are remembered: a live page reached with no
  extra route arguments (RoutablePage sub-routes and anything that raised 404 are routed by
  Wagtail every time). A cached route is only a shortcut to the same page: the page is loaded
  fresh, must still be live, and goes through every ``before_serve_page`` / ``on_serve_page``
  hook exactly as before.
* ``CachedViewRestrictionsMixin`` answers ``get_view_restrictions`` from a cached index of the
  few pages that carry a restriction (one query when the index is built, none after), and falls
  back to Wagtail's own lookup whenever any alias page exists (aliases borrow their source
  page's restrictions, which the index does not model).

Both live under one cache generation, ``pages``, that is renewed whenever a page, a view
restriction or a site is saved, deleted, moved, published or unpublished (signals below,
connected in ``CmsConfig.ready``). Any change anywhere renews it: coarse, but editors publish a
few times a day and learners open lessons thousands of times, and coarse cannot be wrong.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from lms.cache import generation, memoized, new_generation, read_on_every_request

MAX_ROUTES = 20_000  # paths are chosen by requests: never let the map grow without bound
PAGES = read_on_every_request("pages")


def _hashed(request, path: str = "") -> str:
    where = f"{request._get_raw_host()}:{request.get_port()}/{path}"
    return hashlib.sha256(where.encode()).hexdigest()[:32]


class _Routes:
    """Where each path led, in this process, for one pages generation."""

    token: str | None = None
    entries: dict[tuple[str, str, str], tuple] = {}

    @classmethod
    def for_token(cls, token: str) -> dict[tuple[str, str, str], tuple]:
        if token != cls.token or len(cls.entries) >= MAX_ROUTES:
            cls.token, cls.entries = token, {}
        return cls.entries


def _route_key(request, path: str) -> tuple[str, str, str]:
    return (request._get_raw_host(), request.get_port(), path)


def _page_from_entry(entry, path: str) -> Page | None:
    """Load a remembered page: one query for its specific type. None if it is gone, not live,
    or no longer at this path (so even a stale entry can only ever miss, never mislead)."""
    site, root_url_path, (app_label, model_name, page_id) = entry
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    page = model.objects.filter(pk=page_id, live=True).first()
    if page is None or page.url_path != root_url_path + path:
        return None
    return page


def serve(request, path: str):
    """Wagtail's ``serve`` view, with the route and the Site remembered between requests."""
    from wagtail import views as wagtail_views

    token = generation(PAGES)
    if token is not None and not hasattr(request, "_wagtail_route_for_request"):
        routes = _Routes.for_token(token)
        key = _route_key(request, path)
        entry = routes.get(key)
        page = _page_from_entry(entry, path) if entry else None
        if page is not None:
            request._wagtail_site = entry[0]
            request._wagtail_route_for_request = RouteResult(page)
        else:
            route = Page.route_for_request(request, path)
            site = getattr(request, "_wagtail_site", None)
            if _plain(route) and site is not None:
                page = route[0]
                # Wagtail's url_path is the site root's url_path followed by the path routed.
                root_url_path = page.url_path[: len(page.url_path) - len(path)]
                ref = (page._meta.app_label, page._meta.model_name, page.pk)
                routes[key] = (site, root_url_path, ref)
    return wagtail_views.serve(request, path)


class CachedSiteMiddleware:
    """Find the request's Wagtail Site, and the site root paths Wagtail builds page URLs from,
    without a query or a cache read per request: both kept in each process under the pages
    generation (a Site or Page change renews it; Wagtail's own cache of the root paths is
    cleared on fewer events than that)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if generation(PAGES) is not None:
            request._wagtail_site = memoized(
                f"site:{_hashed(request)}", PAGES, lambda: Site._find_for_request(request)
            )
            # Lazy: only pages that link to pages need them.
            request._wagtail_cached_site_root_paths = SimpleLazyObject(
                lambda: memoized("site-root-paths", PAGES, Site.get_site_root_paths)
            )
        return self.get_response(request)


def _plain(route) -> bool:
    if route is None:
        return False
    page, args, kwargs = route
    return bool(page.live) and not args and not kwargs


def municipality_settings():
    """The default site's MunicipalitySettings (what every page's header and footer show),
    remembered under the pages generation; None when there is no default site yet."""
    from .models import MunicipalitySettings

    def load():
        site = Site.objects.filter(is_default_site=True).first()
        return MunicipalitySettings.for_site(site) if site is not None else None

    return memoized("municipality-settings", PAGES, load)


def _restriction_index() -> dict | None:
    """{"aliases": any alias page exists?, "paths": [(page path, restriction id), …]}."""
    if generation(PAGES) is None:
        return None

    def load() -> dict:
        return {
            "aliases": Page.objects.filter(alias_of__isnull=False).exists(),
            "paths": list(PageViewRestriction.objects.values_list("page__path", "pk")),
        }

    return memoized("view-restrictions", PAGES, load)


class CachedViewRestrictionsMixin:
    """Page types that take their view restrictions from the cached index (see module doc)."""

    def get_view_restrictions(self):
        index = _restriction_index()
        if index is None or index["aliases"] or getattr(self, "alias_of_id", None):
            return super().get_view_restrictions()
        ids = [pk for path, pk in index["paths"] if self.path.startswith(path)]
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)


def pages_changed(sender=None, **kwargs) -> None:
    """Signal receiver: a page, a view restriction, a site or the site's settings changed."""
    from .models import MunicipalitySettings

    if isinstance(sender, type) and issubclass(
        sender, (Page, PageViewRestriction, Site, MunicipalitySettings)
    ):
        new_generation(PAGES)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    for signal in (post_save, post_delete):
        signal.connect(pages_changed, dispatch_uid=f"cms.routing.{id(signal)}")
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(pages_changed, dispatch_uid=f"cms.routing.{id(signal)}")
