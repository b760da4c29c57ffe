from __future__ import annotations

import json
import logging

import pytest

from syncwatch.observability.logs import REDACTED, configure_logging, get_logger, redact


def test_credentials_are_redacted_at_any_depth() -> None:
    event = {
        "password": "hunter22",
        "user": {"name": "ann", "accessToken": "abc.def.ghi", "nested": [{"Cookie": "x"}]},
        "headers": {"Authorization": "Bearer abc.def"},
        "note": "called with Authorization: Bearer abc.def.ghi and sw_refresh=zzz; path=/",
        "url": "postgresql://syncwatch:topsecret@db:5432/syncwatch",
        "turn_credential": "c2VjcmV0",
    }
    clean = redact(event)
    text = json.dumps(clean)
    for secret in ("hunter22", "abc.def", "topsecret", "zzz", "c2VjcmV0"):
        assert secret not in text
    assert clean["user"]["name"] == "ann"
    assert clean["password"] == REDACTED
    assert "postgresql://syncwatch:" in clean["url"]


def test_log_lines_are_json_with_redaction(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info", "json")
    get_logger("test").info("login attempt", password="hunter22", login="ann")
    logging.getLogger("hypercorn.error").warning("stdlib line token=%s", "x")
    lines = [json.loads(line) for line in capsys.readouterr().err.strip().splitlines()]
    assert lines[0]["event"] == "login attempt"
    assert lines[0]["password"] == REDACTED
    assert lines[0]["login"] == "ann"
    assert lines[0]["level"] == "info"
    assert lines[1]["logger"] == "hypercorn.error"
