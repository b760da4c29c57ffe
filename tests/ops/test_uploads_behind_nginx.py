"""Resumable uploads behind the shipped nginx configuration with two instances.

A tus upload's partial file lives on the disk of the instance that created it;
nginx must send every HEAD, PATCH and DELETE of that upload there
(deploy/nginx/nginx.conf, `syncwatch_uploads`). Two real `syncwatch serve`
processes share PostgreSQL, the secret key and the media storage, as the
compose deployment does; each keeps its own data directory (its upload spool).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.support.databases import throwaway_postgres_database
from tests.support.instance import PASSWORD, TUS, bearer
from tests.support.processes import free_port, syncwatch_server
from tests.support.proxy import Proxy, nginx_in_front

pytestmark = pytest.mark.postgres

CHUNKS = 4
# Each upload may land on either instance (a hash of a random id): this many tries
# find both with probability 1 - 2**-19.
TRIES = 20


@dataclass
class Deployment:
    proxy: Proxy
    instances: tuple[str, str]  # direct URLs, bypassing nginx


@pytest.fixture(scope="module")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, postgres_server_url: str
) -> Iterator[Deployment]:
    work = tmp_path_factory.mktemp("uploads")
    http_port, https_port = free_port(), free_port()
    public_url = f"https://localhost:{https_port}"
    shared = {
        "public_url": public_url,
        "trust_proxy_headers": "true",
        "secret_key": secrets.token_urlsafe(48),
        "storage_url": f"file://{work / 'media'}",
        "register_limit_per_hour": "0",
    }
    with (
        throwaway_postgres_database(postgres_server_url) as database_url,
        syncwatch_server(
            work / "one", work / "one.log", database_url=database_url, **shared
        ) as one,
        syncwatch_server(
            work / "two", work / "two.log", database_url=database_url, **shared
        ) as two,
    ):
        ports = (int(one.rsplit(":", 1)[1]), int(two.rsplit(":", 1)[1]))
        with nginx_in_front(
            work, http_port=http_port, https_port=https_port, app_ports=ports
        ) as proxy:
            yield Deployment(proxy, (one, two))


def register(https: httpx.Client) -> str:
    username = f"up_{secrets.token_hex(4)}"
    response = https.post(
        "/api/v1/auth/register",
        json={"email": f"{username}@example.org", "username": username, "password": PASSWORD},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["accessToken"])


def create(https: httpx.Client, token: str, length: int) -> str:
    name = base64.b64encode(b"clip.mp4").decode()
    created = https.post(
        "/api/v1/videos/uploads",
        headers={
            **bearer(token), **TUS, "Upload-Length": str(length),
            "Upload-Metadata": f"filename {name}",
        },
    )  # fmt: skip
    assert created.status_code == 201, created.text
    return created.headers["Location"]


def holder(deployment: Deployment, token: str, location: str) -> int:
    """Which instance holds the upload, asked of each directly: exactly one knows it."""
    knows = [
        httpx.head(f"{base}{location}", headers={**bearer(token), **TUS}).status_code
        for base in deployment.instances
    ]
    assert sorted(knows) == [200, 404], knows
    return knows.index(200)


def test_every_chunk_of_an_upload_reaches_the_instance_holding_it(
    deployment: Deployment, clip: bytes
) -> None:
    uploads: dict[int, tuple[str, str]] = {}  # instance -> (token, location)
    with httpx.Client(
        base_url=deployment.proxy.https_url, verify=deployment.proxy.ssl_context, timeout=20
    ) as https:
        for _ in range(TRIES):
            token = register(https)
            location = create(https, token, len(clip))
            uploads.setdefault(holder(deployment, token, location), (token, location))
            if len(uploads) == 2:
                break
        assert len(uploads) == 2, "every upload landed on one instance"

        # Each instance's upload, sent through nginx in several chunks, completes.
        size = -(-len(clip) // CHUNKS)
        for token, location in uploads.values():
            headers = {**bearer(token), **TUS}
            for offset in range(0, len(clip), size):
                patched = https.patch(
                    location,
                    content=clip[offset : offset + size],
                    headers={
                        **headers,
                        "Content-Type": "application/offset+octet-stream",
                        "Upload-Offset": str(offset),
                    },
                )
                assert patched.status_code == 204, patched.text
                assert int(patched.headers["Upload-Offset"]) == min(offset + size, len(clip))
            resumed = https.head(location, headers=headers)
            assert resumed.status_code == 200, resumed.text
            assert int(resumed.headers["Upload-Offset"]) == len(clip)
            video_id = location.rsplit("/", 1)[1]
            status = https.get(f"/api/v1/videos/{video_id}/status", headers=headers)
            assert status.status_code == 200, status.text
            assert status.json()["status"] in {"pending", "processing", "ready"}


def test_a_client_cannot_choose_its_upload_id_through_nginx(deployment: Deployment) -> None:
    """Only nginx chooses upload ids: behind it the header is always nginx's own."""
    with httpx.Client(
        base_url=deployment.proxy.https_url, verify=deployment.proxy.ssl_context, timeout=20
    ) as https:
        token = register(https)
        chosen = "0" * 32
        name = base64.b64encode(b"clip.mp4").decode()
        created = https.post(
            "/api/v1/videos/uploads",
            headers={
                **bearer(token), **TUS, "Upload-Length": "100", "X-Upload-Id": chosen,
                "Upload-Metadata": f"filename {name}",
            },
        )  # fmt: skip
        assert created.status_code == 201, created.text
        assert not created.headers["Location"].endswith(chosen)
