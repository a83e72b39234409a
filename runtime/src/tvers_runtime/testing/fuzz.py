"""Property tests of a service's HTTP API, generated from its own OpenAPI document (schemathesis).

The service runs in the test process, on the test's PostgreSQL and NATS (the ``client``
fixture). Hypothesis generates requests for every documented operation, valid and invalid, in
a worker thread; each request goes through the test's own event loop to the app, and each answer
must be no 5xx and conform to what the document says: its status codes, content types, headers
and schemas, and invalid input must be refused.

Every request carries a token of a role the route admits, for this service only: staff where
staff may, otherwise the route's first role, bound to the door or volunteer the request names.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import hypothesis
import hypothesis.errors
import schemathesis
from fastapi import FastAPI
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import bearer, guarded_routes

#: Examples per operation, mode and pass; ``TVERS_FUZZ_EXAMPLES`` asks for more on a long run.
#: Most of a fuzz test's time is Hypothesis drafting the requests (about two thirds; sending and
#: checking them is the rest), so this number is the suite's lever: 10 keeps every operation
#: tried in both modes, and with the seeded ids, in a third less time than 15 did.
EXAMPLES = int(os.environ.get("TVERS_FUZZ_EXAMPLES", "10"))
#: The volunteer that volunteer tokens of these tests are bound to.
VOLUNTEER = UUID("00000000-0000-4000-8000-00000000f022")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
Case = schemathesis.Case[Any]
HeadersFor = Callable[[Case], dict[str, str]]


def _checks_for(responses: Mapping[str, Any]) -> list[Any]:
    """The checks of an operation: a 5xx it documents (``/readyz``'s 503) is an answer, not a
    server error; any other 5xx is a finding."""
    if any(status.startswith("5") for status in responses):
        return [check for check in _CHECKS if check is not not_a_server_error]
    return list(_CHECKS)


@dataclass
class ApiFuzz:
    """Fuzzes every operation of ``app``'s OpenAPI document through ``client``.

    ``known`` names path parameter values that exist (seeded by the test): each operation whose
    path parameters are all known runs once more with them, to reach past the 404s. ``paths``,
    if given, says which operations to fuzz (by path): a service with many routes splits its
    fuzzing over several tests, which run side by side.
    """

    app: FastAPI
    client: httpx.AsyncClient
    known: Mapping[str, str] = field(default_factory=dict)
    paths: Callable[[str], bool] = lambda _path: True
    examples: int = EXAMPLES
    failures: list[str] = field(default_factory=list)
    requests: int = 0

    async def run(self) -> None:
        """Fuzz every operation; fail the test with every finding at once."""
        loop = asyncio.get_running_loop()
        schema = schemathesis.openapi.from_dict(self.app.openapi())
        roles = {(r.method, r.path): r.roles for r in guarded_routes(self.app)[0]}
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                self.failures.append(f"the document has an invalid operation: {result.err()}")
                continue
            operation = result.ok()
            if not self.paths(operation.path):
                continue
            headers_for = self._headers_for(roles.get((operation.method.upper(), operation.path)))
            checks = _checks_for(operation.definition.raw.get("responses", {}))
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                passes: list[dict[str, Any] | None] = [None]
                names = set(re.findall(r"{(\w+)}", operation.path))
                if names and names <= set(self.known):
                    passes.append({name: self.known[name] for name in names})
                for path_parameters in passes:
                    strategy = operation.as_strategy(
                        generation_mode=mode, path_parameters=path_parameters
                    )
                    found = await asyncio.to_thread(
                        self._explore, strategy, headers_for, checks, mode, loop
                    )
                    if found:
                        self.failures.append(f"{operation.label} ({mode.value}): {found}")
        assert not self.failures, "\n\n".join(self.failures)
        assert self.requests > self.examples, "hardly anything was sent"

    def _explore(
        self,
        strategy: Any,
        headers_for: HeadersFor,
        checks: list[Any],
        mode: GenerationMode,
        loop: asyncio.AbstractEventLoop,
    ) -> str | None:
        """Run the examples; what was found, if anything."""
        if mode is GenerationMode.NEGATIVE:
            checks = [*checks, negative_data_rejection]

        @hypothesis.settings(
            max_examples=self.examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.generate, hypothesis.Phase.shrink],
        )
        @hypothesis.given(case=strategy)
        def explore(case: Case) -> None:
            headers = headers_for(case)
            response = asyncio.run_coroutine_threadsafe(self._send(case, headers), loop).result()
            case.validate_response(response, checks=checks, headers=headers)

        try:
            explore()
        except hypothesis.errors.Unsatisfiable:
            return None  # nothing to make invalid (an operation without input)
        except (Exception, BaseExceptionGroup) as error:
            return str(error)
        return None

    async def _send(self, case: Case, headers: dict[str, str]) -> httpx.Response:
        self.requests += 1
        sent = case.as_transport_kwargs(base_url=str(self.client.base_url), headers=headers)
        body = sent.get("data")
        params = sent.get("params")
        if isinstance(params, dict):
            # httpx leaves out a parameter whose value is an empty list: the negative case's
            # unknown parameter would not be sent at all, and the valid rest be taken as the
            # invalid request. Send it empty instead.
            params = {name: "" if value == [] else value for name, value in params.items()}
        request = self.client.build_request(
            sent["method"],
            sent["url"],
            params=params,
            headers=sent.get("headers"),
            cookies=sent.get("cookies"),
            json=sent.get("json"),
            content=body if isinstance(body, bytes | str) else None,
            data=body if isinstance(body, dict) else None,
        )
        return await self.client.send(request)

    def _headers_for(self, roles: frozenset[Role] | None) -> HeadersFor:
        service = self.app.state.service_name

        def headers(case: Case) -> dict[str, str]:
            if not roles:
                return {}
            role = Role.STAFF if Role.STAFF in roles else sorted(roles)[0]
            door = str((case.path_parameters or {}).get("door_id", ""))
            return bearer(
                role,
                audience=[service],
                door_id=(door if _SLUG.fullmatch(door) else "example")
                if role is Role.DOOR
                else None,
                volunteer_id=VOLUNTEER if role is Role.VOLUNTEER else None,
            )

        return headers
