"""The edge: every HTTP endpoint and WebSocket of SyncWatch, and nothing else.

Each `*_routes` module is one REST area and each `*_socket` module one
WebSocket; `hygiene`, `problems`, `bodies` and `caller` are what they share
(request ids, security headers, CORS, limits, problem+json, JSON bodies, who
is calling). The features below (`auth`, `rooms`, `social`, `voice`,
`media`) never import Quart or this package: they are called from here
(ADR 0007).
"""
