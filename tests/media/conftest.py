"""Media fixtures: generated clips and both storage backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncwatch.media.storage import MediaStorage, open_storage
from tests.support.media import MediaFixtures


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFixtures:
    return MediaFixtures(tmp_path_factory.mktemp("media-fixtures"))


_bucket_counter = iter(range(1_000_000))


@pytest.fixture(params=["files", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> MediaStorage:
    """Each test taking `storage` runs on both implementations."""
    if request.param == "files":
        url = f"file://{tmp_path / 'media-root'}"
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        url = f"s3://test-key:test-secret@{endpoint}/media-{next(_bucket_counter)}?secure=false"
    return await open_storage(url)
