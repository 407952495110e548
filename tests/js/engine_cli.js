// Run the search engine of theme/static/js on a built site from Node, for the Python tests.
//   node tests/js/engine_cli.js OUTPUT_FOLDER < requests.json > answers.json
// requests: {"normalise": [text...], "queries": [[text, typing]...], "searches": [{text, typing, filters, sort,
// k, counts, excerpts}...]}; answers hold the same keys, each search with its total, the first k addresses,
// the facet counts when asked and, when asked, each result's excerpt as [text, marked] pieces.
"use strict";
const fs = require("fs");
const path = require("path");
const engine = require("../../theme/static/js/search-engine.js");

const folder = process.argv[2];
const requests = JSON.parse(fs.readFileSync(0, "utf8"));

function load(relative, kind) {
  return fs.promises.readFile(path.join(folder, "tim-kiem", "chi-muc", relative)).then((data) =>
    kind === "json" ? JSON.parse(data.toString("utf8")) : new Uint8Array(data));
}

async function main() {
  const answers = {};
  answers.normalise = (requests.normalise || []).map((text) => engine.normalise(text));
  answers.queries = (requests.queries || []).map(([text, typing]) => engine.parseQuery(text, typing));
  if (requests.searches) {
    const index = await engine.open("", load);
    answers.searches = [];
    for (const search of requests.searches) {
      const found = await index.search(search);
      const ids = await found.page(search.k || 10);
      const docs = await index.documents(ids);
      const query = search.text ? engine.parseQuery(search.text, search.typing) : null;
      answers.searches.push({
        total: found.total,
        urls: docs.map((doc) => doc.url),
        titles: docs.map((doc) => doc.title),
        counts: found.counts,
        excerpts: search.excerpts ? docs.map((doc) => engine.excerpt(doc.text, query, found.words).map((p) => [p.text, p.mark])) : undefined,
      });
    }
  }
  process.stdout.write(JSON.stringify(answers));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
