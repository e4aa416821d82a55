"""Small helpers for the notebooks: run settings, data sets and caching, history plots.

Plumbing only: what the lecture teaches is written out in the notebook cells.
"""

from .settings import get_settings, show_settings

__all__ = ["get_settings", "show_settings"]
