// Generates src/api/protocol.generated.ts from the server's protocol JSON Schema
// (docs/protocol.schema.json, itself generated from the pydantic models by
// tasks/protocol_schema.py), so the browser's message types follow the server's.
//
//   node scripts/protocol-types.mjs          # regenerate
//   node scripts/protocol-types.mjs --check  # exit 1 when the file is stale
import { readFile } from "node:fs/promises";
import { compile } from "json-schema-to-typescript";
import { writeOrCheck } from "./generated-file.mjs";

const schemaUrl = new URL("../../docs/protocol.schema.json", import.meta.url);
const targetUrl = new URL("../src/api/protocol.generated.ts", import.meta.url);

/**
 * pydantic titles every field ("Lastseq", "Id"…); json-schema-to-typescript
 * would name a type alias after each. Only the models' own titles are wanted.
 */
function withoutFieldTitles(node) {
  if (Array.isArray(node)) return node.map(withoutFieldTitles);
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withoutFieldTitles(value)]));
  if (copy.properties) {
    for (const field of Object.values(copy.properties)) delete field.title;
  }
  return copy;
}

const schema = withoutFieldTitles(JSON.parse(await readFile(schemaUrl, "utf8")));
const generated = await compile(schema, "Protocol", {
  bannerComment:
    "/* Generated from docs/protocol.schema.json by scripts/protocol-types.mjs (npm run protocol:types). Do not edit. */",
  // Every model is wanted, not only those reachable from the root union.
  unreachableDefinitions: true,
  additionalProperties: false,
  style: { printWidth: 140 },
});

await writeOrCheck(targetUrl, generated, "npm run protocol:types");
