"""Champions app models, split by concern (rollouts: engineer A; network: engineer B)."""

from .network import *  # noqa: F403
from .rollouts import *  # noqa: F403
