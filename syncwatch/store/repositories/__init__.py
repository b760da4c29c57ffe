"""Typed access to each table family, built over one `Database`.

Repositories hold the SQL; they return frozen dataclasses and raise errors from
`syncwatch.errors` where a caller must tell cases apart (`EmailTaken`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from syncwatch.clock import Clock, SystemClock
from syncwatch.store import Database
from syncwatch.store.repositories.audit import AuditRecord, AuditRepository
from syncwatch.store.repositories.blocks import BlockedUser, BlockRepository
from syncwatch.store.repositories.chat import ChatRecord, ChatRepository
from syncwatch.store.repositories.friendships import (
    FriendEntry,
    FriendshipRecord,
    FriendshipRepository,
)
from syncwatch.store.repositories.history import WatchHistoryRepository, WatchRecord
from syncwatch.store.repositories.invitations import InvitationRecord, InvitationRepository
from syncwatch.store.repositories.notifications import (
    NotificationRecord,
    NotificationRepository,
)
from syncwatch.store.repositories.participants import (
    BanRepository,
    ParticipantRecord,
    ParticipantRepository,
)
from syncwatch.store.repositories.password_resets import PasswordResetRepository
from syncwatch.store.repositories.personal_data import PersonalDataRepository
from syncwatch.store.repositories.reactions import ReactionRecord, ReactionRepository
from syncwatch.store.repositories.refresh_tokens import (
    RefreshTokenRecord,
    RefreshTokenRepository,
    SessionRecord,
)
from syncwatch.store.repositories.reports import (
    NewReport,
    ReportRecord,
    ReportRepository,
    ReportStatus,
)
from syncwatch.store.repositories.rooms import (
    RoomRecord,
    RoomRepository,
    SnapshotRecord,
    StaleFence,
)
from syncwatch.store.repositories.schedules import ScheduleRecord, ScheduleRepository
from syncwatch.store.repositories.subtitles import SubtitleRecord, SubtitleRepository
from syncwatch.store.repositories.templates import TemplateRecord, TemplateRepository
from syncwatch.store.repositories.users import UserRecord, UserRepository
from syncwatch.store.repositories.videos import (
    ClaimedJob,
    JobProgress,
    NewVideo,
    VideoRecord,
    VideoRepository,
)


@dataclass(frozen=True, slots=True)
class Repositories:
    users: UserRepository
    refresh_tokens: RefreshTokenRepository
    rooms: RoomRepository
    participants: ParticipantRepository
    bans: BanRepository
    chat: ChatRepository
    audit: AuditRepository
    friendships: FriendshipRepository
    subtitles: SubtitleRepository
    videos: VideoRepository
    invitations: InvitationRepository
    reports: ReportRepository
    blocks: BlockRepository
    notifications: NotificationRepository
    reactions: ReactionRepository
    history: WatchHistoryRepository
    templates: TemplateRepository
    schedules: ScheduleRepository
    password_resets: PasswordResetRepository
    personal_data: PersonalDataRepository

    @classmethod
    def build(cls, db: Database, clock: Clock | None = None) -> Repositories:
        return cls(
            users=UserRepository(db, clock or SystemClock()),
            refresh_tokens=RefreshTokenRepository(db),
            rooms=RoomRepository(db),
            participants=ParticipantRepository(db),
            bans=BanRepository(db),
            chat=ChatRepository(db),
            audit=AuditRepository(db),
            friendships=FriendshipRepository(db),
            subtitles=SubtitleRepository(db),
            videos=VideoRepository(db),
            invitations=InvitationRepository(db),
            reports=ReportRepository(db),
            blocks=BlockRepository(db),
            notifications=NotificationRepository(db),
            reactions=ReactionRepository(db),
            history=WatchHistoryRepository(db),
            templates=TemplateRepository(db),
            schedules=ScheduleRepository(db),
            password_resets=PasswordResetRepository(db),
            personal_data=PersonalDataRepository(db),
        )


__all__ = [
    "AuditRecord",
    "AuditRepository",
    "BanRepository",
    "BlockRepository",
    "BlockedUser",
    "ChatRecord",
    "ChatRepository",
    "ClaimedJob",
    "FriendEntry",
    "FriendshipRecord",
    "FriendshipRepository",
    "InvitationRecord",
    "InvitationRepository",
    "JobProgress",
    "NewReport",
    "NewVideo",
    "NotificationRecord",
    "NotificationRepository",
    "ParticipantRecord",
    "ParticipantRepository",
    "PasswordResetRepository",
    "PersonalDataRepository",
    "ReactionRecord",
    "ReactionRepository",
    "RefreshTokenRecord",
    "RefreshTokenRepository",
    "ReportRecord",
    "ReportRepository",
    "ReportStatus",
    "Repositories",
    "RoomRecord",
    "RoomRepository",
    "ScheduleRecord",
    "ScheduleRepository",
    "SessionRecord",
    "SnapshotRecord",
    "StaleFence",
    "SubtitleRecord",
    "SubtitleRepository",
    "TemplateRecord",
    "TemplateRepository",
    "UserRecord",
    "UserRepository",
    "VideoRecord",
    "VideoRepository",
    "WatchHistoryRepository",
    "WatchRecord",
]
