"""Site-wide admin screens that belong to no single app's content."""

# The audit log and personal-data requests (registered by their module's hooks).
from lms import admin_security  # noqa: F401
