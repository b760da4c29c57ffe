"""`Reminders`: tells a scheduled room's owner and invitees 10 minutes before it opens
and when it opens, through the notification centre (stored, and pushed over `/ws/me`).

The service sleeps until the next reminder is due (`ScheduleRepository.next_due`)
or until a schedule changes (`changed()`), sends what is due, marks it sent,
and sleeps again; a server that was down sends only the start reminder of a
room whose start has already passed.

Every instance runs this service; a reminder is sent once service-wide because
it is claimed in the database (`mark`, a conditional update), and only the
instance whose claim changed the row sends it. Its notifications are stored in
the claim's transaction, so a crash stores both or neither: never twice, never
lost (a crash before the live push leaves them for the next reload).
"""

from __future__ import annotations

import math

import trio

from syncwatch.clock import Clock
from syncwatch.observability.logs import get_logger
from syncwatch.social.notifications import Notifier
from syncwatch.store.repositories import Repositories

log = get_logger("syncwatch.social")


class Reminders:
    def __init__(self, repositories: Repositories, notifier: Notifier, clock: Clock) -> None:
        self._repos = repositories
        self._notifier = notifier
        self._clock = clock
        self._wake = trio.Event()

    def changed(self) -> None:
        """A schedule was set, moved or removed: look again at what is due next."""
        self._wake.set()

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        task_status.started()
        while True:
            self._wake = trio.Event()
            await self.send_due()
            due = await self._repos.schedules.next_due()
            wait_s = math.inf if due is None else max(0.0, (due - self._clock.now_ms()) / 1000)
            with trio.move_on_after(wait_s):
                await self._wake.wait()

    async def send_due(self) -> int:
        sent = 0
        for schedule, which in await self._repos.schedules.due(self._clock.now_ms()):
            recipients = {schedule.owner_id} | {
                invitation.invitee_id
                for invitation in await self._repos.invitations.for_room(schedule.room_id)
            }
            records, store = self._notifier.staged(
                sorted(recipients),
                "reminder",
                room_code=schedule.room_code,
                room_name=schedule.room_name,
                starts_at=schedule.starts_at,
            )
            if not await self._repos.schedules.mark(schedule.room_id, which, then=store):
                continue  # another instance claimed it first
            for record in records:
                await self._notifier.push(record)
            log.info("room reminder sent", room=schedule.room_code, which=which)
            sent += 1
        return sent
