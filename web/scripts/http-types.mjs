// Generates src/api/http.generated.ts from the server's OpenAPI document
// (docs/openapi.json, itself generated from the pydantic request and response
// models by tasks/openapi.py), so the browser's HTTP types follow the server's,
// as scripts/protocol-types.mjs does for the WebSocket messages.
//
//   node scripts/http-types.mjs          # regenerate
//   node scripts/http-types.mjs --check  # exit 1 when the file is stale
import { readFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import { writeOrCheck } from "./generated-file.mjs";

const documentUrl = new URL("../../docs/openapi.json", import.meta.url);
const targetUrl = new URL("../src/api/http.generated.ts", import.meta.url);
const banner =
  "/* Generated from docs/openapi.json by scripts/http-types.mjs (npm run http:types). Do not edit. */\n";

const document = JSON.parse(await readFile(documentUrl, "utf8"));
// A default in a request schema makes a field optional to send, not present.
const ast = await openapiTS(document, { alphabetize: true, silent: true, defaultNonNullable: false });
const generated = banner + astToString(ast);

await writeOrCheck(targetUrl, generated, "npm run http:types");
