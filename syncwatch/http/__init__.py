"""The HTTP face of SyncWatch: blueprints, request hygiene and problem+json."""
