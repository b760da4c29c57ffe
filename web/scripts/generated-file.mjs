// Writes a generated source file, or with --check exits 1 when the checked-in
// copy differs (so `npm run lint` fails on a stale one).
import { readFile, writeFile } from "node:fs/promises";

export async function writeOrCheck(targetUrl, generated, regenerateCommand) {
  const name = targetUrl.pathname.split("/web/").pop();
  if (process.argv.includes("--check")) {
    const current = await readFile(targetUrl, "utf8").catch(() => "");
    if (current !== generated) {
      console.error(`${name} is stale: run ${regenerateCommand}`);
      process.exit(1);
    }
  } else {
    await writeFile(targetUrl, generated);
    console.log(`wrote ${name}`);
  }
}
