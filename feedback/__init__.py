"""feedback: survey and feedback collection for seminars, extended through pluggy plugins.

Importing this package loads no plugin and no user-interface library; see `feedback.engine.Engine`.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: Decorator marking a plugin's hook implementations.
hookimpl = pluggy.HookimplMarker("feedback")

__all__ = ["__version__", "hookimpl"]
