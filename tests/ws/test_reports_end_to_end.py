"""A report from the room to the operator: filed over the socket with the evidence the
issue asks for, then listed, read and resolved with `syncwatch admin reports`, each
command audited. Real server and real `syncwatch` processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import trio

from tests.support.cli import run_syncwatch
from tests.support.ws import RoomClient, create_room, register, room_client


def admin(settings: Any, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "SYNCWATCH_DATABASE_URL": settings.database_url,
        "SYNCWATCH_DATA_DIR": str(settings.data_dir),
    }
    return run_syncwatch("admin", "reports", *args, env=env)


async def say(client: RoomClient, content: str) -> None:
    reply = await client.reply_to(await client.send("chat:message", {"content": content}))
    assert reply["type"] == "ack", reply


async def test_a_report_stores_its_evidence_and_operators_list_read_and_resolve_it(
    services: Any, settings: Any, http: httpx.AsyncClient, live_server: str, tmp_path: Path
) -> None:
    ann, bob, mal = [await register(http, name) for name in ("ann", "bob", "mal")]
    code = (await create_room(http, ann, name="Film club"))["code"]
    async with (
        room_client(live_server, code, ann) as owner,
        room_client(live_server, code, bob) as reporter,
        room_client(live_server, code, mal) as reported,
    ):
        mal_id = reported.welcome["you"]["participantId"]
        # The automod would rightly stop one person's burst; here only the lines matter.
        await owner.send("room:settings", {"automod": {"enabled": False}})
        for n in range(25):
            await say(owner, f"ann line {n}")
        for n in range(20):
            await say(reporter, f"bob line {n}")
        for n in range(12):
            await say(reported, f"mal line {n}")
        mute = {"participantId": mal_id, "scope": "chat", "durationMs": 300_000}
        assert (await owner.reply_to(await owner.send("room:mute", mute)))["type"] == "ack"
        body = {"participantId": mal_id, "reason": "harassment", "details": "rude all evening"}
        ack = await reporter.reply_to(await reporter.send("room:report", body))
        report_id = ack["data"]["reportId"]
        # The reported member hears nothing of it.
        with trio.move_on_after(0.3):
            while True:
                frame = await reported.receive()
                assert "report" not in json.dumps(frame).lower(), frame

    stored = await services.repositories.reports.get(report_id)
    evidence = json.loads(stored.evidence_json)
    chat = [line for line in evidence["chat"] if line.get("kind") != "system"]
    assert len(evidence["chat"]) == 50  # the room's last 50 lines
    assert chat[-1]["content"] == "mal line 11"
    assert [event["kind"] for event in evidence["events"]][:1] == ["joined"]
    assert "muted" in {event["kind"] for event in evidence["events"]}
    assert evidence["room"]["name"] == "Film club"
    assert evidence["room"]["privacy"] == "public"
    assert "automod" in evidence["room"]
    assert {p["username"] for p in evidence["participants"]} == {"ann", "bob", "mal"}
    assert (stored.reporter_name, stored.reported_name) == ("bob", "mal")

    listed = admin(settings, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    [summary] = json.loads(listed.stdout)
    assert summary["id"] == report_id
    assert summary["reported"]["name"] == "mal"
    table = admin(settings, "list")
    assert report_id[:13] in table.stdout
    assert "harassment" in table.stdout

    shown = admin(settings, "show", report_id[:13])
    assert shown.returncode == 0, shown.stderr
    assert "rude all evening" in shown.stdout
    assert "<mal> mal line 11" in shown.stdout
    assert "The room's last 50 chat lines" in shown.stdout
    assert "privacy" in shown.stdout

    resolved = admin(settings, "resolve", report_id[:13], "--note", "warned mal", "--by", "olga")
    assert resolved.returncode == 0, resolved.stderr
    again = admin(settings, "resolve", report_id[:13], "--note", "twice")
    assert again.returncode == 1
    assert "already resolved" in again.stderr
    assert admin(settings, "list").stdout.strip() == "No open reports."
    everything = json.loads(admin(settings, "list", "--all", "--json").stdout)
    assert everything[0]["resolution"] == "warned mal"
    assert everything[0]["resolvedBy"] == "operator:olga"
    unknown = admin(settings, "show", "zzzzzzzz")
    assert unknown.returncode == 1
    assert "no report" in unknown.stderr

    events = await services.repositories.audit.list(actor_id="operator:olga")
    assert [event.event_type for event in events] == ["admin.reports.resolve"]
    assert events[0].target_id == report_id
    kinds = {event.event_type for event in await services.repositories.audit.list(limit=500)}
    assert {"admin.reports.list", "admin.reports.show", "admin.reports.resolve"} <= kinds
