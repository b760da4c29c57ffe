"""The room directory: room rows, codes, passwords and who may delete what.

Owns the REST side of rooms (CONTRACT.md §1 "rooms"): creation for registered
users (5 per hour), look-up by code (wrong codes per IP limited, `join_limits`),
admission, which the REST pre-flight and the WebSocket hello share (joins per
user limited, bans and the privacy preset (`admission`), then the password with
brute-force protection: 3 wrong passwords per IP per room block that IP for 30
minutes, spec 7.7.3), and deletion by the owner. Live state belongs to the
`Room` actors; this module asks the registry only how many members a room has,
whether someone is seated, and to close a deleted room.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from syncwatch.audit import AuditLog
from syncwatch.auth.identity import Caller
from syncwatch.auth.passwords import PasswordHasher
from syncwatch.clock import Clock
from syncwatch.errors import (
    NotOwner,
    RoomClosed,
    RoomNotFound,
    Unauthorized,
    WrongPassword,
)
from syncwatch.fabric import Fabric, enforce_limit
from syncwatch.rooms.admission import Admission
from syncwatch.rooms.join_limits import JoinLimits
from syncwatch.rooms.password_gate import PasswordGate
from syncwatch.settings import Settings
from syncwatch.store import UniqueViolation
from syncwatch.store.group_commit import GroupCommit
from syncwatch.store.repositories import ParticipantRepository, Repositories, RoomRecord

# No 0/O, 1/I/L, 5/S, 8/B: codes are read aloud and typed from phones.
CODE_ALPHABET = "234679ACDEFGHJKMNPQRTUVWXYZ"
CODE_LENGTH = 8


def new_room_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return code.strip().upper()


def password_stamp(room: RoomRecord) -> str | None:
    """A short fingerprint of the room's current password (None without one).

    A room remembers who got in with which stamp (`rooms/core/admissions.py`):
    a new password hashes anew, so its stamp differs and old admissions lapse.
    The stamp is derived from the salted hash, never from the password.
    """
    if room.password_hash is None:
        return None
    return hashlib.sha256(room.password_hash.encode()).hexdigest()[:16]


def room_view(room: RoomRecord) -> dict[str, Any]:
    return {
        "id": room.id,
        "code": room.code,
        "name": room.name,
        "ownerId": room.owner_id,
        "maxParticipants": room.max_participants,
        "hasPassword": room.password_hash is not None,
        "playbackControl": room.playback_control,
        "autoHandover": room.auto_handover,
        "privacy": room.privacy,
        "guestsAllowed": room.guests_allowed,
        "createdAt": room.created_at,
        "expiresAt": room.expires_at,
    }


class LiveRooms(Protocol):
    def member_count(self, code: str) -> int: ...

    def is_member(self, code: str, subject_id: str) -> bool: ...

    async def close_room(self, code: str) -> None: ...


@dataclass(frozen=True, slots=True)
class NewRoom:
    name: str | None
    max_participants: int
    password: str | None
    playback_control: str
    auto_handover: bool
    privacy: str = "public"
    guests_allowed: bool = True


class RoomDirectory:
    def __init__(
        self,
        *,
        settings: Settings,
        repositories: Repositories,
        fabric: Fabric,
        hasher: PasswordHasher,
        clock: Clock,
        audit: AuditLog,
        live: LiveRooms,
        group_commit: GroupCommit | None = None,
    ) -> None:
        self._settings = settings
        self._repos = repositories
        self._fabric = fabric
        self._hasher = hasher
        self._clock = clock
        self._audit = audit
        self._live = live
        self._group_commit = group_commit
        self._passwords = PasswordGate(fabric, hasher)
        self._admission = Admission(repositories)
        self._limits = JoinLimits(
            fabric,
            audit,
            codes_per_hour=settings.room_code_limit_per_hour,
            joins_per_minute=settings.room_join_limit_per_minute,
        )

    @property
    def expiry_ms(self) -> int:
        return int(self._settings.room_expiry_hours * 3600 * 1000)

    async def create(self, identity: Caller, new: NewRoom, ip: str) -> RoomRecord:
        if identity.is_guest:
            raise Unauthorized("Only registered users can create rooms.")
        now = self._clock.now_ms()
        await enforce_limit(
            self._fabric,
            f"room-create:{identity.subject_id}",
            self._settings.room_create_limit_per_hour,
            3600,
            now,
        )
        password_hash = await self._hasher.hash(new.password) if new.password else None
        name = new.name or f"{identity.username}'s room"
        for _attempt in range(8):
            try:
                room = await self._repos.rooms.create(
                    code=new_room_code(),
                    name=name,
                    owner_id=identity.subject_id,
                    max_participants=new.max_participants,
                    password_hash=password_hash,
                    playback_control=new.playback_control,
                    auto_handover=new.auto_handover,
                    privacy=new.privacy,
                    guests_allowed=new.guests_allowed,
                    created_at=now,
                    expires_at=now + self.expiry_ms,
                )
                break
            except UniqueViolation:
                continue  # one code in 27^8 was taken: draw another
        else:  # pragma: no cover - astronomically unlikely
            raise RuntimeError("could not draw a free room code")
        await self._audit.record(
            "room.created",
            actor_id=identity.subject_id,
            actor_ip=ip,
            target_type="room",
            target_id=room.id,
            code=room.code,
        )
        return room

    async def get(self, code: str) -> RoomRecord:
        room = await self._repos.rooms.by_code(normalise_code(code), include_deleted=True)
        if room is not None and room.deleted_at is not None:
            raise RoomClosed()
        if room is None or room.expires_at <= self._clock.now_ms():
            if room is not None and self.member_count(room.code) > 0:
                return room  # expiry only counts once the room is empty
            raise RoomNotFound(f"There is no room with the code {code!r}, or it has expired.")
        return room

    async def find(self, code: str, ip: str) -> RoomRecord:
        """`get` for a code someone typed or was sent: an address that named too many
        rooms that do not exist is refused (`rate_limited`) for the rest of the hour."""
        now = self._clock.now_ms()
        await self._limits.check_code_guesses(ip, now)
        try:
            return await self.get(code)
        except RoomNotFound:
            await self._limits.wrong_code(ip, now)
            raise

    def member_count(self, code: str) -> int:
        return self._live.member_count(code)

    def needs_password(self, room: RoomRecord, identity: Caller) -> bool:
        return room.password_hash is not None and identity.subject_id != room.owner_id

    async def admit_person(
        self, room: RoomRecord, identity: Caller, *, ip: str, device_id: str | None
    ) -> None:
        """Whether this person may join at all, the password aside: joins per user per
        minute, bans (person, browser, a guest's address), the privacy preset and guests."""
        now = self._clock.now_ms()
        await self._limits.count_join(identity.subject_id, ip, now)
        await self._admission.check(
            room,
            identity,
            now_ms=now,
            device_id=device_id,
            address=ip,
            seated=self._live.is_member(room.code, identity.subject_id),
        )

    async def admit(
        self,
        room: RoomRecord,
        identity: Caller,
        *,
        password: str | None,
        ip: str,
        device_id: str | None,
        admitted: bool = False,
    ) -> None:
        """Everything but the seat count that decides whether `identity` may join
        (`admit_person`), and last the password, so a refused person costs no hash
        (someone the room `admitted` with its current password needs none)."""
        await self.admit_person(room, identity, ip=ip, device_id=device_id)
        await self.check_password(room, identity, password, ip, admitted=admitted)

    async def check_password(
        self,
        room: RoomRecord,
        identity: Caller,
        password: str | None,
        ip: str,
        *,
        admitted: bool = False,
    ) -> None:
        """Refuse a wrong room password; 3 guesses per IP per room per 30 minutes, each
        counted before it is hashed (`password_gate.py`). Someone the room admitted
        with its current password (`admitted`) needs none; no password at all is
        refused without counting a guess (nothing was guessed, nothing is hashed)."""
        if not self.needs_password(room, identity) or admitted:
            return
        if not password:
            raise WrongPassword("This room has a password.")
        assert room.password_hash is not None
        if await self._passwords.check(
            room_id=room.id,
            password_hash=room.password_hash,
            password=password,
            ip=ip,
            now_ms=self._clock.now_ms(),
        ):
            return
        await self._audit.record(
            "room.password_failed",
            actor_id=identity.subject_id,
            actor_ip=ip,
            target_type="room",
            target_id=room.id,
            success=False,
        )
        raise WrongPassword("That password is not right for this room.")

    async def record_visit(self, room: RoomRecord, identity: Caller, role: str) -> None:
        """Someone was seated in the room: it shows among their recent rooms.

        Through the group commit when there is one, in the transaction other rooms'
        writes share: a join storm otherwise queued a transaction per newcomer for
        SQLite's one writer, ahead of the commands of rooms already playing."""
        args = (
            room.id,
            identity.subject_id,
            identity.is_guest,
            identity.username,
            role,
            self._clock.now_ms(),
        )
        if self._group_commit is not None:
            await self._group_commit.commit_or_alone([ParticipantRepository.join_write(*args)])
        else:
            await self._repos.participants.record_join(*args)

    async def rooms_of(
        self, identity: Caller
    ) -> tuple[list[RoomRecord], list[tuple[RoomRecord, int]]]:
        """The rooms this person owns, and the others they joined lately (with when)."""
        now = self._clock.now_ms()
        owned = await self._repos.rooms.owned_by(identity.subject_id, now)
        joined = await self._repos.rooms.joined_by(identity.subject_id, now)
        return owned, joined

    async def delete(self, identity: Caller, code: str, ip: str) -> None:
        room = await self.get(code)
        if room.owner_id != identity.subject_id:
            raise NotOwner("Only the room's owner can delete it.")
        await self._repos.rooms.mark_deleted(room.id, self._clock.now_ms())
        await self._live.close_room(room.code)
        await self._audit.record(
            "room.deleted",
            actor_id=identity.subject_id,
            actor_ip=ip,
            target_type="room",
            target_id=room.id,
        )
