"""The store's tests run on both engines; the fixtures live in tests/fixtures/databases.py."""

from tests.fixtures.databases import (  # noqa: F401  (fixtures are found by name)
    database,
    database_url,
    empty_database_urls,
    postgres_database_url,
    postgres_server_url,
    repositories,
)
