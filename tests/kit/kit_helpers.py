"""Installing a plugin package for a subprocess, the way pip would for `feedback`."""

from __future__ import annotations

import os
from pathlib import Path


def install_in_place(package: Path, name: str, source: Path | None = None) -> dict[str, str]:
    """What installing ``package`` does for `feedback`, without pip: its source on the path and
    its entry point in a ``.dist-info`` (importlib.metadata finds plugins through it). Returns
    the environment for a subprocess."""
    site = package / "site"
    info = site / f"feedback_{name}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: feedback-{name}\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[feedback]\n{name} = feedback_{name}\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACK_")}
    env["PYTHONPATH"] = os.pathsep.join([str(source or package / "src"), str(site)])
    env.pop("PYTEST_XDIST_WORKER", None)
    return env
