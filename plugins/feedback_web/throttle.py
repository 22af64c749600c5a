"""How often an event's open link may store a response: per client address and per event.

An open link is public (it is printed and projected), so a script could stuff an event's figures.
Each stored response counts against its client's address and its event within a sliding window;
past either limit a submission waits (its answers are kept). Counts live in memory only: nothing
about a client is written anywhere.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from feedback_web.settings import WebSettings

Clock = Callable[[], float]


class Window:
    """At most ``limit`` moments per key within any ``window`` seconds, bounded in memory."""

    def __init__(
        self, limit: int, window: float, clock: Clock = time.monotonic, max_keys: int = 100_000
    ):
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._moments: dict[str, deque[float]] = {}

    def wait(self, key: str) -> float | None:
        """Seconds until ``key`` may have another moment, or ``None`` when it may now."""
        moments = self._moments.get(key)
        if moments is None or len(moments) < self.limit:
            return None
        # the oldest of the last `limit` moments: once it leaves the window, one more fits
        left = self.window - (self.clock() - moments[0])
        return left if left > 0 else None

    def add(self, key: str) -> None:
        if key not in self._moments and len(self._moments) >= self.max_keys:
            self._forget()
        self._moments.setdefault(key, deque(maxlen=self.limit)).append(self.clock())

    def _forget(self) -> None:
        """Drop keys whose moments all left the window; then, if still full, the older half."""
        now = self.clock()
        for key in [k for k, m in self._moments.items() if now - m[-1] >= self.window]:
            del self._moments[key]
        if len(self._moments) >= self.max_keys:
            for key in list(self._moments)[: self.max_keys // 2]:
                del self._moments[key]


class OpenLinkThrottle:
    """The limits of open links: per client address and per event (``[web]`` settings)."""

    def __init__(self, settings: WebSettings, clock: Clock = time.monotonic):
        self.addresses = Window(
            settings.open_link_address_limit, settings.open_link_address_window, clock
        )
        self.events = Window(settings.open_link_event_limit, settings.open_link_event_window, clock)

    def wait(self, address: str, event: str) -> float | None:
        """Seconds until a response from ``address`` to ``event`` may be stored, or ``None``."""
        waits = [w for w in (self.addresses.wait(address), self.events.wait(event)) if w]
        return max(waits) if waits else None

    def stored(self, address: str, event: str) -> None:
        """Count a response stored from ``address`` to ``event``."""
        self.addresses.add(address)
        self.events.add(event)
