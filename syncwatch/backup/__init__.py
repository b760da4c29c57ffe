"""Backups of a SyncWatch deployment: database, media objects, the generated secret key.

`syncwatch backup` / `syncwatch restore` (syncwatch.cli.backup_commands) call
`operations`; `manifest` describes a backup directory; `media_copy` moves media
objects through the storage interface; `playlists` checks that a backup holds
every file a ready video plays from. The engine-specific dumps live with the
rest of the SQL in `syncwatch.store.dumps`. docs/ops/backup.md is the operator's guide.
"""
