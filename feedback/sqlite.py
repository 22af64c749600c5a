"""sqlite-utils, imported without numpy and pandas.

sqlite-utils imports numpy and pandas whenever they are installed (to map their types to column
types); numpy alone adds about 17 MiB and 70 ms to every process that opens a database, the kiosk's
included. The project never hands numpy or pandas values to sqlite-utils, so both are hidden while
sqlite-utils is imported (a ``None`` in ``sys.modules`` makes their import fail cleanly) and then
made importable again for the code that needs them (the scorers' scipy).
"""

from __future__ import annotations

import sys

_hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
for _name in _hidden:
    sys.modules[_name] = None  # type: ignore[assignment]
try:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations
finally:
    for _name in _hidden:
        del sys.modules[_name]

__all__ = ["Database", "Migrations"]
