"""Voice chat, server side: ICE server configuration and connection telemetry.

The media never touches this process: browsers talk peer to peer (or through
coturn). Signaling lives in the room core (`syncwatch.rooms.core.voice`); this
package owns what a browser needs before it can call anyone (STUN/TURN URLs
with time-limited TURN credentials) and what it reports afterwards.
"""
