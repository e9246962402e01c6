"""How a build reports its progress: per source read, and as each of its steps begins.

A progress reporter is a callable ``progress(done, total, source_id)``, called after each
source is read. One that also has a ``stage(name, expected)`` method hears each step of
the build begin (BUILD_STEPS, then "done"), with the seconds each step took in the last
build of the same KB (``expected``; empty for a first build): enough to say how long
is left of a step that counts nothing, such as grouping claims.

Example::

    class Printer:
        def __call__(self, done, total, source_id): print(done, total, source_id)
        def stage(self, name, expected): print(name, expected.get(name))
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

__all__ = ["BUILD_STEPS", "Progress", "StepClock"]

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, source_id)`` after each source is processed; see the
module for its optional ``stage`` method."""

# The steps of a build, in the order they run. Reading (per source: reading, profiling,
# segmentation, extraction) is most of a first build; the others run over the corpus.
BUILD_STEPS = ("reading", "claims", "near-duplicates", "agreement", "conflicts", "writing")


class StepClock:
    """Times a build's steps, and tells ``progress`` (when it has ``stage``) as each
    begins, with ``expected``: what each took in the last build (see ``seconds``)."""

    def __init__(
        self,
        progress: Progress | None,
        expected: Mapping[str, float],
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._tell = getattr(progress, "stage", None)
        self.expected = dict(expected)
        self._clock = clock
        self._current: tuple[str, float] | None = None
        self.seconds: dict[str, float] = {}

    def begin(self, name: str) -> None:
        """``name`` begins (and the step before it ends); "done" ends the last one."""
        now = self._clock()
        if self._current is not None:
            step, started = self._current
            self.seconds[step] = round(self.seconds.get(step, 0.0) + now - started, 3)
        self._current = None if name == "done" else (name, now)
        if self._tell is not None:
            self._tell(name, self.expected)
