"""Small helpers for the notebooks: run settings, data sets and their cache, history plots (no lesson code)."""
