// Generates ts-bindings/src from the contracts' schemas with @cosmwasm/ts-codegen.
//
//   node scripts/codegen.mjs [--schema DIR] [--out DIR]
//
// DIR defaults: ../schema and ./src. `cargo xtask schema` runs this after writing the schemas, and
// the `interface` suite runs it into a scratch folder to check that src/ is up to date.
// ts-codegen reads one folder per contract, so each schema file is staged alone in a folder first.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import codegenModule from "@cosmwasm/ts-codegen";

const codegen = codegenModule.default ?? codegenModule;
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    schema: { type: "string", default: join(here, "..", "..", "schema") },
    out: { type: "string", default: join(here, "..", "src") },
  },
});
const schemaDir = resolve(values.schema);
const outDir = resolve(values.out);

// The contracts, by schema file: `credit_token.json` -> class names `CreditToken...`.
const pascal = (name) => name.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
const files = readdirSync(schemaDir).filter((f) => f.endsWith(".json")).sort();
if (files.length === 0) {
  console.error(`no *.json schema in ${schemaDir}; run \`cargo xtask schema\` first`);
  process.exit(1);
}

const staging = mkdtempSync(join(tmpdir(), "resource-ts-codegen-"));
try {
  const contracts = files.map((file) => {
    const name = file.slice(0, -".json".length);
    const dir = join(staging, name);
    mkdirSync(dir);
    cpSync(join(schemaDir, file), join(dir, file));
    return { name: pascal(name), dir };
  });
  // Generated files only: whatever else was in the output folder goes.
  rmSync(outDir, { recursive: true, force: true });
  // ts-codegen logs every file it writes; keep the output to errors.
  const log = console.log;
  console.log = () => {};
  try {
    await codegen({
      contracts,
      outPath: outDir,
      options: {
        bundle: { enabled: true, bundleFile: "index.ts", scope: "contracts" },
        types: { enabled: true },
        client: { enabled: true },
        messageComposer: { enabled: false },
        reactQuery: { enabled: false },
        recoil: { enabled: false },
        messageBuilder: { enabled: false },
        useContractsHook: { enabled: false },
      },
    });
  } finally {
    console.log = log;
  }
  console.log(`ts-codegen: ${contracts.map((c) => c.name).join(", ")} -> ${outDir}`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
