"""The slider question type: its definition, its answer check and its one parser."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import Field, model_validator

from feedback.options import Text
from feedback.question_types import AnswerError
from feedback.questions import number_from
from feedback.survey import QuestionBase

MAX_STEPS = 200


def _g(value: float) -> str:
    return f"{value:g}"


class Slider(QuestionBase):
    """A number from ``min`` to ``max`` in steps of ``step``; the answer is the number."""

    type: Literal["slider"] = "slider"
    min: float = 0
    max: float = 100
    step: float = Field(default=1, gt=0)
    min_label: Text | None = None
    max_label: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Slider:
        if self.max <= self.min:
            raise ValueError(f"expected min < max, found {self.min:g} and {self.max:g}")
        count = (self.max - self.min) / self.step
        if abs(count - round(count)) > 1e-9 or round(count) > MAX_STEPS:
            raise ValueError(
                f"expected max - min to be a whole number of steps (at most {MAX_STEPS}), "
                f"found {self.min:g} to {self.max:g} in steps of {self.step:g}"
            )
        return self

    def texts(self) -> Iterator[tuple[tuple[str | int, ...], Text]]:
        yield from super().texts()
        for name in ("min_label", "max_label"):
            value = getattr(self, name)
            if value is not None:
                yield (name,), value

    def condition_kind(self) -> str:
        return "number"

    def steps(self) -> list[int | float]:
        """Every value the slider can take, from ``min`` to ``max``."""
        count = round((self.max - self.min) / self.step)
        return [self._exact(self.min + i * self.step) for i in range(count + 1)]

    @staticmethod
    def _exact(value: float) -> int | float:
        rounded = round(value, 9)
        return int(rounded) if float(rounded).is_integer() else rounded

    def _on_step(self, value: float) -> bool:
        count = (value - self.min) / self.step
        return abs(count - round(count)) <= 1e-9

    def check(self, value: Any) -> str | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return f"expected a number, found {value!r}"
        if not self.min <= value <= self.max:
            return f"out of range: expected {self.min:g} to {self.max:g}, found {value:g}"
        if not self._on_step(value):
            return f"expected a number in steps of {self.step:g} from {self.min:g}, found {value:g}"
        return None

    def parse(self, raw: Any) -> Any:
        """``"7"``, ``" 7 "``, ``"7.0"``, ``7`` -> 7; ``"2,5"`` -> 2.5 (a decimal comma); blank ->
        ``None``; off the scale or between two steps -> `AnswerError`: ``between`` (a word every
        channel has), or the slider's own ``slider_step`` (no channel has a word for it: they
        show the English message)."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        value = number_from(raw)
        if not self.min <= value <= self.max:
            low, high = _g(self.min), _g(self.max)
            raise AnswerError(
                f"enter a number from {low} to {high}", "between", {"min": low, "max": high}
            )
        if not self._on_step(value):
            raise AnswerError(
                f"enter a number in steps of {_g(self.step)} from {_g(self.min)}, "
                f"like {_g(self.steps()[1])}",
                "slider_step",
                {"step": _g(self.step), "min": _g(self.min), "example": _g(self.steps()[1])},
            )
        return self._exact(value)

    def raw(self, value: Any) -> Any:
        if value is None:
            return None
        return _g(value) if isinstance(value, float) else str(value)
