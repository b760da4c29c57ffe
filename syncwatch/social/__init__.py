"""Friends, presence and invitations: the social side of SyncWatch (CONTRACT.md §1 friends, §3)."""
