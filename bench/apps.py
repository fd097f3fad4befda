from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tools: synthetic demo data and the ceiling view. Installed only when asked for (``BENCH=1``)."""

    name = "bench"
    verbose_name = "Benchmarks"
