"""Write the WebSocket protocol's JSON Schema to docs/protocol.schema.json.

    python tasks/protocol_schema.py          # regenerate
    python tasks/protocol_schema.py --check  # exit 1 if the committed file is stale

The browser's TypeScript message types are generated from that file: after
regenerating it, run `npm run protocol:types` in web/ (`npm run lint` fails
while web/src/api/protocol.generated.ts is stale, and `tsc` fails when the
app's own protocol types no longer agree with it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from syncwatch.protocol.schema import protocol_json_schema

TARGET = Path(__file__).resolve().parents[1] / "docs" / "protocol.schema.json"


def render() -> str:
    return json.dumps(protocol_json_schema(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    wanted = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != wanted:
            print(f"{TARGET} is stale: run python tasks/protocol_schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(wanted, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
