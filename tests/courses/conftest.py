"""Courses tests run without other apps' hooks unless a test sets them itself."""

import pytest


@pytest.fixture(autouse=True)
def _no_other_app_hooks(settings):
    settings.COURSE_COMPLETION_REQUIREMENTS = []
    settings.COURSE_COMPLETED_TASKS = []
    settings.MY_LEARNING_PANELS = []
    settings.COURSE_PAGE_PANELS = []
