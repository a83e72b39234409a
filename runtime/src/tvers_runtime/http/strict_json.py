"""Request bodies take JSON as it is written: an integer is a JSON integer, not ``"30"`` nor
``true``; a date is an ISO string, not a number of seconds (decision 0017).

FastAPI decodes a body with ``json.loads`` and validates the Python objects it gets in pydantic's
Python mode, whose lax rules turn ``"30"`` and ``true`` into integers and ``1700000000`` into a
date. Pydantic's ``strict`` config refuses those, but in Python mode it refuses the ISO strings of
dates, UUIDs and enum values too, which is all JSON can send. A JSON body needs pydantic's strict
*JSON* mode, and :func:`json_as_written` gives a model's core schema that behaviour: strict
integers, floats, booleans and strings, and dates, times and durations from strings only.

A nested model keeps the validator it was built with (pydantic reuses it whatever the outer
schema says), so this cannot reach into one. A request model may nest only models that take
nothing leniently themselves (other request models, or contract values such as a schedule's
period), and one that nests another kind is refused when it is defined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from pydantic_core import CoreSchema, PydanticCustomError, core_schema

#: Types whose lax mode takes what JSON writes as another type ("30", true, 1.5 for a string).
_STRICT = frozenset({"int", "float", "bool", "str"})
#: Types that JSON sends as strings, with what to say when a number comes instead.
_TEXT = {
    "date": ("date_type", 'a date as a JSON string, e.g. "2025-03-01"'),
    "datetime": ("datetime_type", 'a date and time as a JSON string, e.g. "2025-03-01T18:00Z"'),
    "time": ("time_type", 'a time as a JSON string, e.g. "18:00"'),
    "timedelta": ("time_delta_type", 'a duration as a JSON string, e.g. "PT15M"'),
}
#: Keys of a core schema that hold values or serialisation rather than what is validated.
_NOT_VALIDATION = frozenset({"default", "metadata", "serialization", "cls", "members"})
#: Schemas whose function sees the input before the schema inside it does.
_SEEN_FIRST = frozenset({"function-before", "function-wrap"})

Resolve = Callable[[CoreSchema], CoreSchema]


def json_as_written(schema: CoreSchema, resolve: Resolve, owner: type) -> CoreSchema:
    """``owner``'s core schema ``schema`` (from ``__get_pydantic_core_schema__``), taking JSON
    as written; ``resolve`` looks up a reference to a nested model, which is checked."""
    return cast(CoreSchema, _Walk(resolve, owner).strict(schema))


class _Walk:
    def __init__(self, resolve: Resolve, owner: type) -> None:
        self.resolve = resolve
        self.owner = owner

    def strict(self, node: Any) -> Any:
        """A copy of ``node`` with the scalars strict and the dates from strings only."""
        if isinstance(node, list):
            return [self.strict(item) for item in node]
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        if kind == "definition-ref" or (kind == "model" and node["cls"] is not self.owner):
            self.refuse_lenient(node)
            return node
        copied = {k: v if k in _NOT_VALIDATION else self.strict(v) for k, v in node.items()}
        if kind in _STRICT:
            copied["strict"] = True
        elif kind in _TEXT:
            return core_schema.no_info_before_validator_function(_text_only(*_TEXT[kind]), copied)
        return copied

    def refuse_lenient(self, nested: dict[str, Any]) -> None:
        """Raise TypeError when a nested model takes a lax integer, float or boolean, or a date,
        time or duration that no validator looks at first."""
        found = self.lenient(nested, seen=set(), checked=False, model="a nested model")
        if found is not None:
            model, kind = found
            raise TypeError(
                f"{self.owner.__name__} nests {model}, which takes {kind} values leniently (a "
                f"string for a number, a number for a date): make {model} a request model "
                "(Strict), or that field strict"
            )

    def lenient(
        self, node: Any, *, seen: set[str], checked: bool, model: str
    ) -> tuple[str, str] | None:
        """The model and type of the first lenient scalar in ``node``, if any."""
        if isinstance(node, list):
            found = (self.lenient(n, seen=seen, checked=checked, model=model) for n in node)
            return next((f for f in found if f is not None), None)
        if not isinstance(node, dict):
            return None
        kind = node.get("type")
        if kind == "definition-ref":
            return self.lenient_reference(node, seen=seen, model=model)
        if kind == "model":
            if node["cls"] is self.owner:
                return None  # it refers to itself, and is being made strict
            model = node["cls"].__name__
        if (kind in {"int", "float", "bool"} and not node.get("strict")) or (
            kind in _TEXT and not checked
        ):
            return model, str(kind)
        first = kind in _SEEN_FIRST
        inner = (
            self.lenient(value, seen=seen, checked=first and key == "schema", model=model)
            for key, value in node.items()
            if key not in _NOT_VALIDATION
        )
        return next((f for f in inner if f is not None), None)

    def lenient_reference(
        self, node: dict[str, Any], *, seen: set[str], model: str
    ) -> tuple[str, str] | None:
        """:meth:`lenient` of what a reference refers to, once."""
        if node["schema_ref"] in seen:
            return None
        seen.add(node["schema_ref"])
        target = self.resolve(cast(CoreSchema, node))
        return self.lenient(target, seen=seen, checked=False, model=model)


def _text_only(error_type: str, expected: str) -> Callable[[Any], Any]:
    def text_only(value: Any) -> Any:
        if isinstance(value, int | float):  # bool too: True is an int
            raise PydanticCustomError(error_type, f"Input should be {expected}")
        return value

    return text_only
