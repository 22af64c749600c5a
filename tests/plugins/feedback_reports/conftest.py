"""Report fixtures: the seminar project and its reports, built once per session through the
command line (see ``reports_helpers``), and the same reports built in Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from reports_helpers import Built, build_seminar, invoke, reports_plugin_manager

from feedback.config import load_settings
from feedback.engine import Engine
from feedback.plugins import PluginManager
from feedback.scoring import ScoringContext, build_context
from feedback_reports.build import build_report
from feedback_reports.model import Report


@pytest.fixture(scope="session")
def reports_pm() -> PluginManager:
    return reports_plugin_manager()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, reports_pm: PluginManager) -> Built:
    """The project, and ``feedback report`` in every format for the Hague and the programme."""
    root = tmp_path_factory.mktemp("reports")
    project = build_seminar(root, reports_pm)
    out = root / "out"
    out.mkdir()
    files, outputs = {}, {}
    for scope, args in (("hague", ["--event", "hague-2011"]), ("programme", ["--programme"])):
        for fmt in ("html", "md", "json"):
            path = out / f"{scope}.{fmt}"
            result = invoke(
                reports_pm,
                "--project",
                str(project),
                "report",
                *args,
                "--format",
                fmt,
                "-o",
                str(path),
            )
            assert result.exit_code == 0, result.output
            files[(scope, fmt)] = path
            outputs[(scope, fmt)] = result.output
    return Built(project, files, outputs)


@pytest.fixture
def report_cmd(built: Built, reports_pm: PluginManager) -> Callable[..., Result]:
    """``feedback --project SEMINAR report ARGS`` (the project is shared: leave its data alone)."""

    def run(*args: str) -> Result:
        return invoke(reports_pm, "--project", str(built.project), "report", *args)

    return run


def _report(
    project: Path, pm: PluginManager, event: str | None, generated: dt.date
) -> tuple[ScoringContext, Report]:
    engine = Engine(settings=load_settings(project), pm=pm)
    try:
        context = build_context(engine, event, programme=event is None)
        return context, build_report(engine, context, generated=generated)
    finally:
        engine.close()


@pytest.fixture(scope="session")
def hague(built: Built, reports_pm: PluginManager) -> tuple[ScoringContext, Report]:
    """The Hague's scoring context and `Report`, built in Python."""
    return _report(built.project, reports_pm, "hague-2011", dt.date(2011, 2, 1))


@pytest.fixture(scope="session")
def programme(built: Built, reports_pm: PluginManager) -> tuple[ScoringContext, Report]:
    """The programme's scoring context and `Report`, built in Python."""
    return _report(built.project, reports_pm, None, dt.date(2012, 5, 1))
