"""The shipped nginx configuration (deploy/nginx/) made runnable by a test: Debian's
nginx with only ports, upstream addresses, certificate and cache paths moved into
the test's directory, and a self-signed certificate for it."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.processes import nginx

ROOT = Path(__file__).resolve().parents[2]
NGINX = ROOT / "deploy" / "nginx"
# The instances the shipped configuration names, in the order tests pass their ports.
INSTANCES = ("app1:8000", "app2:8000")
UPSTREAMS = 3  # syncwatch_rooms, syncwatch_uploads, syncwatch_any


def self_signed_certificate(directory: Path) -> Path:
    directory.mkdir()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return directory / "fullchain.pem"


def replace_once(text: str, old: str, new: str) -> str:
    """The shipped configuration must still say `old`, exactly once."""
    assert text.count(old) == 1, f"expected one {old!r} in the nginx configuration"
    return text.replace(old, new)


def local_configuration(
    into: Path, *, http_port: int, https_port: int, app_ports: tuple[int, ...], tls: Path
) -> Path:
    """deploy/nginx/ copied into `into`, listening on loopback ports, with its
    instances at `app_ports` (pass one port twice for a single instance). Ports past
    the two the shipped file names are added to every upstream as the second one is
    (adding an instance is one `server` line per upstream)."""
    assert len(app_ports) >= len(INSTANCES), "the shipped configuration names two instances"
    shutil.copytree(NGINX, into)
    main = (into / "nginx.conf").read_text()
    main = replace_once(main, "listen 80;", f"listen 127.0.0.1:{http_port};")
    main = replace_once(main, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    last = f"server {INSTANCES[-1]}"
    for port in reversed(app_ports[len(INSTANCES) :]):
        main = "\n".join(
            f"{line}\n{line.replace(last, f'server 127.0.0.1:{port}')}" if last in line else line
            for line in main.split("\n")
        )
    for instance, port in zip(INSTANCES, app_ports[: len(INSTANCES)], strict=True):
        line = f"server {instance}"
        assert main.count(line) == UPSTREAMS, f"expected {line!r} in every upstream"
        main = main.replace(line, f"server 127.0.0.1:{port}")
    main = replace_once(main, "/var/cache/nginx/hls", str(into / "cache"))
    main = replace_once(main, "root /var/www/acme;", f"root {into / 'acme'};")
    (into / "nginx.conf").write_text(main)
    settings = (into / "tls.conf").read_text()
    settings = replace_once(settings, "/etc/nginx/tls/fullchain.pem", str(tls / "fullchain.pem"))
    settings = replace_once(settings, "/etc/nginx/tls/privkey.pem", str(tls / "privkey.pem"))
    (into / "tls.conf").write_text(settings)
    return into / "nginx.conf"


class Proxy:
    def __init__(self, http_url: str, https_url: str, certificate: Path) -> None:
        self.http_url = http_url
        self.https_url = https_url
        self.certificate = certificate
        self.ssl_context = ssl.create_default_context(cafile=str(certificate))


def wait_for_proxy(proxy: Proxy, timeout_s: float = 10) -> None:
    """nginx runs in the foreground: it listens a moment after it starts."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            httpx.get(f"{proxy.https_url}/health/live", verify=proxy.ssl_context, timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def nginx_in_front(
    work: Path, *, http_port: int, https_port: int, app_ports: tuple[int, ...]
) -> Iterator[Proxy]:
    """Debian's nginx with the shipped configuration in front of the instances at
    `app_ports` (one port: one instance), TLS with a certificate for localhost made
    under `work`; yields once it answers at https://localhost:`https_port`. The
    instances were started knowing that address (`SYNCWATCH_PUBLIC_URL`)."""
    certificate = self_signed_certificate(work / "tls")
    config = local_configuration(
        work / "nginx", http_port=http_port, https_port=https_port,
        app_ports=app_ports if len(app_ports) > 1 else app_ports * 2, tls=work / "tls",
    )  # fmt: skip
    with nginx(work / "nginx", config):
        proxy = Proxy(
            f"http://127.0.0.1:{http_port}", f"https://localhost:{https_port}", certificate
        )
        wait_for_proxy(proxy)
        yield proxy
