"""Generated guest nicknames like `SwiftFox123` (spec 15.4.2)."""

from __future__ import annotations

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
