"""Uploaded media: tus uploads, validation, HLS transcoding and media storage.

The package owns everything between the bytes a browser uploads and the HLS
playlists it later plays. It never talks to rooms: progress leaves through
callbacks that the application wires to whoever needs it.
"""
