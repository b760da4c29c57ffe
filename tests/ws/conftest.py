from __future__ import annotations

from typing import Any

import pytest

from syncwatch.settings import Settings


@pytest.fixture
def settings(settings_factory: Any) -> Settings:
    # Many accounts from one loopback IP: the per-IP sign-up and API limits are
    # tested elsewhere and would only get in the way here.
    settings: Settings = settings_factory(register_limit_per_hour=0, api_limit_per_minute=0)
    return settings
