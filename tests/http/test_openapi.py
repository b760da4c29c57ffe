"""The OpenAPI document is current and describes routes that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from syncwatch.http.openapi import openapi_document

DOCS = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_checked_in_document_is_current() -> None:
    assert json.loads(DOCS.read_text()) == json.loads(json.dumps(openapi_document()))


async def test_every_documented_path_is_served(client: Any) -> None:
    served = await client.get("/api/v1/openapi.json")
    document = await served.get_json()
    rules = {
        re.sub(r"<(?:[a-z]+:)?([A-Za-z_]+)>", r"{\1}", rule.rule)
        for rule in client.app.url_map.iter_rules()
    }
    for path in document["paths"]:
        normalised = path.replace("{userId}", "{user_id}")
        assert normalised in rules, f"{path} is documented but not served"
