"""Helpers the tests share, each imported as `tests.support.<module>`.

- `databases`: the both-engines database fixtures (a pytest plugin, loaded by tests/conftest.py);
- `environment`: settings every test process gets;
- `rooms`: the room-core kit; `ws`: a room-protocol client; `media`: generated clips;
- `voice`: real-browser voice pages and coturn;
- `processes`: real servers (SyncWatch, nginx) started as child processes;
  `instance`: a person's use of a running instance, filled in and checked later.

Fixtures live in `conftest.py` files, which no test imports; a test module never
imports another test module (tests/test_suite_layout.py holds the suite to this).
"""
