"""The OpenAPI document is current, valid OpenAPI 3.1, and describes exactly the
routes the app serves."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from syncwatch.http.openapi import all_operations, openapi_document

DOCS = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The route table is the same on both engines."""
    return f"sqlite:///{tmp_path / 'syncwatch.db'}"


def test_checked_in_document_is_current() -> None:
    assert json.loads(DOCS.read_text()) == json.loads(json.dumps(openapi_document()))


def test_the_document_is_valid_openapi_3_1() -> None:
    document = openapi_document()

    errors = [error.message for error in OpenAPIV31SpecValidator(document).iter_errors()]

    assert document["openapi"].startswith("3.1.")
    assert errors == []


def test_a_broken_document_is_refused_by_the_validator() -> None:
    """The validator above is not blind: a response without a description fails it."""
    document = openapi_document()
    del document["paths"]["/api/v1/rooms"]["post"]["responses"]["201"]["description"]

    assert list(OpenAPIV31SpecValidator(document).iter_errors())


def test_every_reference_names_a_schema_in_the_document() -> None:
    text = json.dumps(openapi_document())
    schemas = openapi_document()["components"]["schemas"]

    referenced = set(re.findall(r'"#/components/schemas/([A-Za-z0-9_]+)"', text))

    assert referenced
    assert referenced <= set(schemas)


def test_every_error_is_problem_json_and_every_operation_says_what_else_can_fail() -> None:
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "default" in responses, f"{method} {path}"
            for status, response in responses.items():
                # A health report stays a report when it says "unhealthy" (503).
                report = path.startswith("/health/") and status == "503"
                if status == "default" or (int(status) >= 400 and not report):
                    assert list(response["content"]) == ["application/problem+json"], (
                        f"{method} {path} {status}"
                    )


def test_json_bodies_document_the_400_413_415_and_422_the_server_gives() -> None:
    document = openapi_document()
    register = document["paths"]["/api/v1/auth/register"]["post"]["responses"]
    create_upload = document["paths"]["/api/v1/videos/uploads"]["post"]["responses"]

    assert {"400", "413", "415", "422"} <= set(register)
    assert "bad_request" in register["400"]["description"]
    assert {"412", "413"} <= set(create_upload)
    assert "unsupported_tus_version" in create_upload["412"]["description"]
    assert "too_large" in create_upload["413"]["description"]


def _served(app: Any) -> set[tuple[str, str]]:
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.websocket or rule.endpoint.startswith(("spa.", "static")):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([A-Za-z_]+)>", r"{\1}", rule.rule)
        methods = set(rule.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")  # answered for every GET route by the framework
        if rule.provide_automatic_options:
            methods.discard("OPTIONS")
        served |= {(method, path) for method in methods}
    return served


async def test_every_served_route_is_documented_and_every_documented_one_served(
    client: Any,
) -> None:
    documented = {(op.method, op.path) for op in all_operations()}

    served = _served(client.app)

    assert sorted(served - documented) == [], "served but not documented"
    assert sorted(documented - served) == [], "documented but not served"


async def test_the_served_document_is_the_generated_one(client: Any) -> None:
    served = await client.get("/api/v1/openapi.json")

    assert served.status_code == 200
    assert await served.get_json() == json.loads(json.dumps(openapi_document()))
