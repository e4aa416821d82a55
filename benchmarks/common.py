"""Shared plumbing: the run context, Markdown tables, machine description, memory figures."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Context:
    """Options of one benchmark run, and the results that later sections reuse."""

    quick: bool = False
    steps: int = 30  # measured training/validation steps per model (section 2)
    warmup: int = 3  # steps run before the measured ones (graph tracing, caches)
    repeats: int = 3  # rounds per model and pipeline in section 2; the table gives the fastest
    batches: int = 100  # measured batches per input pipeline (section 3)
    models: tuple[str, ...] | None = None  # section 2: only these model keys (None: all; --quick: two)
    cache_dir: Path = REPO / "data" / "benchmarks"
    work_dir: Path | None = None  # scratch space (executed notebooks); a temporary folder if None
    jena_pipeline: str = "fast"  # section 2, Jena "notebook" feed: "fast" (7.3's fast_generator) or "book"
    results: dict = field(default_factory=dict)

    def log(self, message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Section:
    key: str
    title: str
    table: str
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        parts = [f"## {self.title}", "", self.table]
        if self.notes:
            parts += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(parts) + "\n"


def md_table(headers: list[str], rows: list[list]) -> str:
    def cell(v) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt_s(seconds: float | None) -> str:
    """Seconds for a table: 3 significant figures, minutes added above 2 minutes."""
    if seconds is None:
        return "-"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    text = f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"
    if seconds >= 120:
        text += f" ({seconds / 60:.1f} min)"
    return text


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def header_line() -> str:
    """Date, machine and versions: the line that goes above the tables."""
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:  # installed versions without importing TensorFlow (seconds)
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"{now} · CPU: {cpu_model()} · {usable_cores()} cores usable (os.cpu_count() = {os.cpu_count()}) · "
            f"{platform.system()} {platform.release()} · Python {platform.python_version()} · "
            f"TensorFlow {v('tensorflow')} · Keras {v('keras')} · NumPy {v('numpy')} · pandas {v('pandas')} · "
            f"load average at start (1/5/15 min): {load_average()}")


def peak_rss_bytes() -> int | None:
    """Peak resident set size of this process so far (None where the platform gives no figure).

    Linux: VmHWM of /proc/self/status, the high-water mark of this program's own memory (ru_maxrss
    would also count the parent's memory at fork time: it survives exec)."""
    hwm = _proc_kib_field("/proc/self/status", "VmHWM:")
    if hwm is not None:
        return hwm
    try:
        import resource
    except ImportError:  # Windows
        return _windows_peak_working_set()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB on Linux


def _windows_peak_working_set() -> int | None:
    try:
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                        ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaNonPagedPoolUsage", ctypes.c_size_t), ("PagefileUsage", ctypes.c_size_t),
                        ("PeakPagefileUsage", ctypes.c_size_t)]

        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        handle = ctypes.windll.kernel32.GetCurrentProcess()
        if ctypes.windll.psapi.GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb):
            return int(counters.PeakWorkingSetSize)
    except (AttributeError, OSError):
        pass
    return None


def _proc_kib_field(path: str, key: str) -> int | None:
    """A "Key:  N kB" line of a /proc file, in bytes (Linux only; None elsewhere)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def current_rss_bytes() -> int | None:
    """Resident set size now (Linux only; None elsewhere)."""
    return _proc_kib_field("/proc/self/status", "VmRSS:")


def available_memory_bytes() -> int | None:
    return _proc_kib_field("/proc/meminfo", "MemAvailable:")


def fmt_mb(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 2**20:,.0f} MB"
