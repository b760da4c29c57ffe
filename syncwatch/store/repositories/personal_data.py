"""A person's data, all of it: read for an export, removed when they delete their account.

What an account deletion removes, in one transaction (docs/privacy.md):

- the account row, its sessions (refresh tokens) and reset links;
- the rooms it owns, and with them their snapshots, members, bans, chat and
  invitations (the caller closes those rooms' live actors first);
- its chat lines (and emoji reactions) in other rooms, and the lines only it could see: removed, not
  anonymised, because what someone wrote often names them as surely as their
  username does;
- its seats, bans and invitations in other rooms; its friendships, blocks,
  notifications, watch history and room templates;
- the reports it filed or that name it (their evidence quotes its words);
- its uploaded videos' rows (the caller deletes their stored media first).

The audit log stays as it is: security events keep the account's id and
addresses until their retention ends (spec 7.8.3), which is what they are for.
"""

from __future__ import annotations

from typing import Any

from syncwatch.store import Connection, Database

# (name in the export, query): every row about the person, none about anyone else.
_EXPORT: tuple[tuple[str, str], ...] = (
    (
        "sessions",
        "SELECT family_id AS session_id, MIN(COALESCE(session_started_at, created_at))"
        " AS started_at, MAX(created_at) AS last_seen_at, MAX(user_agent) AS user_agent,"
        " MAX(client_ip) AS ip, MAX(revoked_at) AS revoked_at FROM refresh_tokens"
        " WHERE subject_id = :user_id GROUP BY family_id ORDER BY started_at",
    ),
    (
        "rooms_owned",
        "SELECT id, code, name, max_participants, privacy, guests_allowed, playback_control,"
        " created_at, expires_at, deleted_at FROM rooms WHERE owner_id = :user_id"
        " ORDER BY created_at",
    ),
    (
        "rooms_joined",
        "SELECT r.code AS room_code, p.display_name, p.role, p.joined_at, p.last_seen_at,"
        " p.left_at FROM room_participants p JOIN rooms r ON r.id = p.room_id"
        " WHERE p.subject_id = :user_id ORDER BY p.joined_at",
    ),
    (
        "chat_messages",
        "SELECT m.id, r.code AS room_code, m.username, m.content, m.created_at,"
        " m.hidden_reason FROM chat_messages m JOIN rooms r ON r.id = m.room_id"
        " WHERE m.user_id = :user_id AND m.kind = 'user' ORDER BY m.id",
    ),
    (
        "watch_history",
        "SELECT room_code, room_name, source_type, source_id, title, companions, started_at,"
        " ended_at FROM watch_history WHERE user_id = :user_id ORDER BY started_at",
    ),
    (
        "room_templates",
        "SELECT name, settings, created_at FROM room_templates WHERE owner_id = :user_id"
        " ORDER BY created_at",
    ),
    (
        "reactions",
        "SELECT r.code AS room_code, x.source_id, x.emoji, x.media_time_ms, x.created_at"
        " FROM reactions x JOIN rooms r ON r.id = x.room_id WHERE x.participant_id = :user_id"
        " ORDER BY x.created_at",
    ),
    (
        "friends",
        "SELECT u.username, f.status, f.created_at, f.updated_at,"
        " CASE WHEN f.requester_id = :user_id THEN 'sent' ELSE 'received' END AS direction"
        " FROM friendships f JOIN users u ON u.id = CASE WHEN f.requester_id = :user_id"
        " THEN f.addressee_id ELSE f.requester_id END"
        " WHERE f.requester_id = :user_id OR f.addressee_id = :user_id ORDER BY f.created_at",
    ),
    (
        "blocked_people",
        "SELECT u.username, b.created_at FROM user_blocks b JOIN users u ON u.id = b.blocked_id"
        " WHERE b.blocker_id = :user_id ORDER BY b.created_at",
    ),
    (
        "notifications",
        "SELECT kind, data, created_at, read_at FROM notifications WHERE user_id = :user_id"
        " ORDER BY created_at",
    ),
    (
        "invitations_received",
        "SELECT r.code AS room_code, i.created_at FROM room_invitations i"
        " JOIN rooms r ON r.id = i.room_id WHERE i.invitee_id = :user_id ORDER BY i.created_at",
    ),
    (
        "bans",
        "SELECT r.code AS room_code, b.created_at FROM room_bans b JOIN rooms r"
        " ON r.id = b.room_id WHERE b.subject_id = :user_id ORDER BY b.created_at",
    ),
    (
        "uploads",
        "SELECT id, filename, room_code, original_size, duration_ms, status, created_at,"
        " expires_at FROM videos WHERE uploader_id = :user_id ORDER BY created_at",
    ),
    (
        "reports_filed",
        "SELECT room_code, reported_name, reason, details, status, created_at FROM reports"
        " WHERE reporter_id = :user_id ORDER BY created_at",
    ),
    (
        "security_events",
        "SELECT event_type, created_at, actor_ip AS ip, success, metadata FROM audit_log"
        " WHERE actor_id = :user_id ORDER BY id",
    ),
)

_ERASE: tuple[str, ...] = (
    "DELETE FROM rooms WHERE owner_id = :user_id",
    "DELETE FROM chat_messages WHERE user_id = :user_id OR visible_to = :user_id",
    "DELETE FROM reactions WHERE participant_id = :user_id",
    "DELETE FROM room_participants WHERE subject_id = :user_id",
    "DELETE FROM room_bans WHERE subject_id = :user_id",
    "DELETE FROM room_invitations WHERE invitee_id = :user_id OR inviter_id = :user_id",
    "DELETE FROM friendships WHERE requester_id = :user_id OR addressee_id = :user_id",
    "DELETE FROM user_blocks WHERE blocker_id = :user_id OR blocked_id = :user_id",
    "DELETE FROM notifications WHERE user_id = :user_id",
    "DELETE FROM watch_history WHERE user_id = :user_id",
    "DELETE FROM room_templates WHERE owner_id = :user_id",
    "DELETE FROM reports WHERE reporter_id = :user_id OR reported_id = :user_id",
    "DELETE FROM refresh_tokens WHERE subject_id = :user_id",
    "DELETE FROM password_resets WHERE user_id = :user_id",
    "DELETE FROM videos WHERE uploader_id = :user_id",
    "DELETE FROM users WHERE id = :user_id",
)


class PersonalDataRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, by kind (see `_EXPORT`); the account itself is
        the caller's to add (without its password hash)."""

        def read(conn: Connection) -> dict[str, list[dict[str, Any]]]:
            return {name: conn.fetch_all(sql, {"user_id": user_id}) for name, sql in _EXPORT}

        return await self._db.transaction(read)

    async def owned_room_codes(self, user_id: str) -> list[str]:
        rows = await self._db.fetch_all(
            "SELECT code FROM rooms WHERE owner_id = :user_id AND deleted_at IS NULL",
            {"user_id": user_id},
        )
        return [str(row["code"]) for row in rows]

    async def erase(self, user_id: str) -> dict[str, int]:
        """Remove everything `_ERASE` names, in one transaction; rows removed per statement."""

        def erase(conn: Connection) -> dict[str, int]:
            removed: dict[str, int] = {}
            for sql in _ERASE:
                table = sql.split()[2]
                removed[table] = removed.get(table, 0) + conn.execute(sql, {"user_id": user_id})
            return removed

        return await self._db.transaction(erase)
