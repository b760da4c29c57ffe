"""SyncWatch: watch videos together, perfectly in sync."""

__version__ = "0.1.0"
