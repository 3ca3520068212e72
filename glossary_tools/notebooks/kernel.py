"""What an example may use of the machine (imported inside the kernel).

When examples run side by side the runner gives each kernel its share of the cores
(``GLOSSARY_THREADS``, and ``OMP_NUM_THREADS`` and its kin for the libraries). An example that calls
``torch.set_num_threads`` with a number of its own overrides that share, and kernels that each take
every core wait on each other: batch_norm at reduced size took 7.7 s alone and 51.5 s beside a copy
of itself when it asked for two threads on a two-core machine. ``threads`` keeps a wish within the
share::

    from glossary_tools.notebooks.kernel import threads

    torch.set_num_threads(threads(2))  # two threads, or fewer when the kernel's share is smaller
"""

from __future__ import annotations

import os

VARIABLE = "GLOSSARY_THREADS"


def cores() -> int:
    """The cores this process may use (its CPU affinity, where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def share() -> int:
    """The threads this kernel may use: the runner's share, else every core it may use."""
    try:
        given = int(os.environ.get(VARIABLE, ""))
    except ValueError:
        given = 0
    return given if given > 0 else cores()


def threads(wanted: int | None = None) -> int:
    """``wanted`` threads (all of the share when None), at most the kernel's share, at least one."""
    return max(1, min(wanted or share(), share()))
