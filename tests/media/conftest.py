"""Media fixtures: generated clips and both storage backends."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from media_fixtures import MediaFixtures

from syncwatch.media.storage import MediaStorage, open_storage


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> MediaFixtures:
    return MediaFixtures(tmp_path_factory.mktemp("media-fixtures"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 HTTP server (moto's server mode) on a loopback port."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


_bucket_counter = iter(range(1_000_000))


@pytest.fixture(params=["files", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MediaStorage]:
    """Each test taking `storage` runs on both implementations."""
    if request.param == "files":
        url = f"file://{tmp_path / 'media-root'}"
    else:
        endpoint = request.getfixturevalue("s3_endpoint")
        url = f"s3://test-key:test-secret@{endpoint}/media-{next(_bucket_counter)}?secure=false"
    opened = await open_storage(url)
    try:
        yield opened
    finally:
        await opened.close()
