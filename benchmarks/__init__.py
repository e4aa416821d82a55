"""Benchmarks of the notebooks and of the code they replace: ``python -m benchmarks.run`` (benchmarks/README.md)."""
