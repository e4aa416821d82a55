"""Benchmarks of the course notebooks and of their input pipelines (issue 7).

Run from the repository root: ``python -m benchmarks.run`` (see benchmarks/README.md).
Nothing here is imported by the notebooks or by ``utils``.
"""
