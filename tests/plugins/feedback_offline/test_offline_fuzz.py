"""The importers fed random documents by hypothesis: a file is refused with a reason, or its responses
are checked by the engine and refused with reasons; never a crash, and a refused file stores
nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.engine import Engine
from feedback_offline.files import BUNDLE, FORMAT, checksum
from feedback_offline.importer import FileRefused, FileReport, import_files, read_json_file

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)
QUESTIONS = ["role", "country", "recommend", "rapporteur_role", "passed_contacts", "contacts"]
answers = st.dictionaries(st.sampled_from([*QUESTIONS, "nonsense"]), json_values, max_size=6)
responses = st.fixed_dictionaries(
    {},
    optional={
        "id": st.uuids().map(str) | json_values,
        "survey": st.sampled_from(["post-seminar", "other"]) | json_values,
        "survey_version": st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)
        | json_values,
        "event": st.sampled_from(["hague-2011", "rome-2099"]) | json_values,
        "channel": st.just("offline") | json_values,
        "language": st.sampled_from(["en", "nl", "xx"]) | json_values,
        "submitted": st.dates().map(str) | json_values,
        "answers": answers | json_values,
        "extra": json_values,
    },
)


def file_of(response: Any, good_checksum: bool) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": 1,
        "response": response,
        "checksum": checksum(response) if good_checksum and isinstance(response, dict) else "x",
    }


documents = (
    json_values
    | st.builds(file_of, responses | json_values, st.booleans())
    | st.builds(
        lambda files: {"format": BUNDLE, "format_version": 1, "files": files},
        st.lists(st.builds(file_of, responses, st.booleans()) | json_values, max_size=4),
    )
)


def count(engine: Engine) -> int:
    return engine.store.count_responses()


@FUZZ
@given(document=documents)
def test_random_documents_are_refused_never_crash(
    engine: Engine, tmp_path: Path, document: Any
) -> None:
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = count(engine)
    try:
        items = read_json_file(path)
    except FileRefused as exc:
        assert str(exc)
        return
    [report] = import_files(engine, [path])
    assert isinstance(report, FileReport)
    if report.problem or report.rejected:
        assert count(engine) == before  # a refused file stores nothing
        for rejection in report.rejected:
            assert rejection.render()
    else:
        assert report.stored + report.already_stored + len(report.conflicts) == len(items)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_are_refused_never_crash(engine: Engine, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    before = count(engine)
    [report] = import_files(engine, [path])
    assert report.problem or report.rejected or report.stored == 0
    assert count(engine) == before
