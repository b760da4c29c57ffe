"""Generated guest nicknames like `SwiftFox123` (spec 15.4.2)."""

from __future__ import annotations

import hashlib
import secrets

ADJECTIVES = (
    "Swift", "Clever", "Brave", "Calm", "Eager", "Bright", "Quiet", "Lucky", "Gentle", "Bold",
    "Merry", "Witty", "Sunny", "Cosy", "Nimble", "Keen", "Jolly", "Mellow", "Plucky", "Zesty",
)  # fmt: skip
ANIMALS = (
    "Fox", "Owl", "Bear", "Wolf", "Hawk", "Otter", "Lynx", "Panda", "Heron", "Badger",
    "Koala", "Robin", "Moose", "Gecko", "Bison", "Crane", "Finch", "Seal", "Hare", "Yak",
)  # fmt: skip


def generate_nickname() -> str:
    return secrets.choice(ADJECTIVES) + secrets.choice(ANIMALS) + str(secrets.randbelow(1000))


def nickname_for(seed: str) -> str:
    """The same generated nickname for the same seed (a person in an anonymous room)."""
    digest = hashlib.sha256(seed.encode()).digest()
    number = int.from_bytes(digest[2:4], "big") % 1000
    return ADJECTIVES[digest[0] % len(ADJECTIVES)] + ANIMALS[digest[1] % len(ANIMALS)] + str(number)
