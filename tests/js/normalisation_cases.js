// Check search-engine.js against the shared normalisation cases (tests/fixtures/search/normalisation.json).
// Prints {"checked": n, "failures": [...]} and exits 1 when a case fails; run by tests/test_search_text.py.
"use strict";
const fs = require("fs");
const path = require("path");
const engine = require("../../theme/static/js/search-engine.js");

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "search", "normalisation.json"), "utf8"));
const failures = [];
let checked = 0;

for (const item of cases.text) {
  const got = engine.normalise(item.text);
  checked += 1;
  if (JSON.stringify(got) !== JSON.stringify(item.runs)) {
    failures.push({ text: item.text, why: item.why, expected: item.runs, got });
  }
}
for (const item of cases.queries) {
  const parsed = engine.parseQuery(item.text, item.typing);
  const got = parsed === null ? { clauses: null, prefix: false } : {
    clauses: parsed.clauses.map((c) => ({ phrase: c.phrase, words: c.words.map((w) => [w.exact, w.folded]) })),
    prefix: parsed.prefix,
  };
  checked += 1;
  if (JSON.stringify(got) !== JSON.stringify({ clauses: item.clauses, prefix: item.prefix })) {
    failures.push({ text: item.text, expected: { clauses: item.clauses, prefix: item.prefix }, got });
  }
  for (const clause of parsed ? parsed.clauses : []) {
    for (const word of clause.words) {
      if (word.marked !== (word.exact !== word.folded)) { failures.push({ text: item.text, word, why: "marked" }); }
    }
  }
}
process.stdout.write(JSON.stringify({ checked, failures }));
process.exit(failures.length ? 1 : 0);
