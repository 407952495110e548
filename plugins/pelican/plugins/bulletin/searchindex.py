"""The search index: written during the build from the articles in memory; read by theme/static/js/search-engine.js.

How it is made (streaming, so memory stays flat as the site grows):
1. Worker processes take the published articles in chunks (doc ids in date order, oldest 0), cut their title,
   written summary, tags and body text into syllables (searchtext.py), write the chunk's result records, and
   spill rows to files split into partitions by syllable: (article, exact spelling, weighted count) and every
   occurrence of an adjacent pair (article, pair, position, weight).
2. Each partition is merged on its own: rows sorted by term, BM25 impacts computed, every term's entry encoded.
3. The entries are packed in term order into shards; the manifest names them.

Bundle (BUNDLE below the output; every file but the manifest has a content-hashed name, so it can be cached for
ever). All integers are unsigned LEB128 varints unless said otherwise; strings are a varint byte length + UTF-8.

    manifest.json  {"version", "documents": N, "levels", "syllables", "pairs", "positions": [[first key, shard]...]
                   for each kind of shard, "docs": {"folder", "size"}, "facets": {"file", "unit": [codes],
                   "term": [codes]}, "years": [[year, first id, end id]...], "live", "delta"}
    s/<hash>.bin   syllable shard: count, then entries (key, body length, body) sorted by key (UTF-16 order);
                   key = folded syllable; body = df, flags (1: external), postings or a term file's hash
                   (6 bytes), then the exact spellings: count, each (spelling, df, flags, set or hash; flags 2: no
                   set, every article with the syllable spells it so)
    p/<hash>.bin   pair shard: the same for "a b" keys (two folded syllables), without spellings
    q/<hash>.bin   positions shard (about POSITIONS_SHARD bytes; read only for a quoted phrase of three syllables
                   or more): entries (key, body length, body) for the pairs; body = a flag byte (0), then for each
                   article of the pair's set (ascending) the count of its positions, the first and the gaps
    t/<hash>.bin   a big term: its set, the head of its postings (all of them up to 2 * HEAD, else HEAD), a flag
                   and the tail's hash; a tail holds the rest of the postings
    d/<hash>/<n>.json  result records of articles n * DOC_SIZE to (n + 1) * DOC_SIZE - 1: [url, title, date, ISO
                   date, units, text (written summary, then the body, one paragraph a line)]; the folder is named
                   after all the records (one name in the manifest rather than one per file)
    f/<hash>.bin   for every unit (with its descendants' articles) then every term of the manifest: a set
    delta-<hash>.json  the live preview only: articles saved since the last full build (searchindex.update)

Postings: groups, then for each group: impact (1..LEVELS), count, article ids newest first (the first id,
then the gaps). Groups come highest impact first, so the first page of results needs only the head of a list.
Set: kind byte 0 (count, first id, gaps) or 1 (bitset of ceil(N/8) bytes, lowest id in the lowest bit).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import zlib
from collections.abc import Iterable, Iterator

import numpy as np

from . import searchtext
from .dates import format_short_date
from .folders import fresh_beside, remove_stale, swap_into_place
from .indexes import chrono_key
from .settings import STATE_KEY
from .state import worker_count
from .urls import URLS

BUNDLE = URLS["search_index"].rstrip("/")
MANIFEST = "manifest.json"
VERSION = 1
ARTICLES_KEY = "_BULLETIN_SEARCH_ARTICLES"  # the published articles, kept for the index by keep_articles
FIELDS = (("title", 4), ("summary", 2), ("tags", 2), ("body", 1))  # weights: a title word counts four times
K1, B = 1.2, 0.75  # BM25
LEVELS = 64  # impacts are stored as 1..LEVELS
HEAD = 256  # postings in a big term's head; the rest (the tail) is fetched only when needed
BIG = 2048  # an entry body larger than this many bytes goes to a file of its own
SHARD = 8192  # bytes of entries per shard
POSITIONS_SHARD = 32768  # bytes of positions per positions shard (read only for quoted phrases)
DOC_SIZE = 4  # articles per file of result records
NEW_DOCS = ".moi"  # the folder result records are written into, before it is named after their hash
CHUNK = 512  # articles per worker task (a multiple of DOC_SIZE)
HASH_BYTES = 6
ROWS = {
    "spelling": np.dtype([("doc", "<u4"), ("term", "<u4"), ("tf", "<u2")]),  # term: an exact spelling
    "pair": np.dtype([("doc", "<u4"), ("a", "<u4"), ("b", "<u4"), ("position", "<u4"), ("weight", "<u1")]),
}


class Cancelled(Exception):
    """The live preview asked an index run to stop: a newer edit will start another."""


def keep_articles(generators) -> None:
    """Keep the published articles for the index (signal receiver: every file is read, every index built)."""
    from pelican.generators import ArticlesGenerator

    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            generator.settings[ARTICLES_KEY] = generator.articles


# ---------------------------------------------------------------- encoding

def varint(value: int) -> bytes:
    """Encode one unsigned integer as LEB128."""
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def varint_sizes(values: np.ndarray) -> np.ndarray:
    """Return how many bytes each value takes as LEB128."""
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28):
        sizes += values >= (1 << bits)
    return sizes


def varints(values: np.ndarray, sizes: np.ndarray | None = None) -> bytes:
    """Encode many unsigned integers (below 2**35) as LEB128, all at once."""
    values = np.asarray(values, dtype=np.uint64)
    if not len(values):
        return b""
    if sizes is None:
        sizes = varint_sizes(values)
    ends = np.cumsum(sizes)
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    starts = ends - sizes
    if int(sizes.max()) == 1:
        out[:] = values
        return out.tobytes()
    for byte in range(int(sizes.max())):
        has = sizes > byte
        chunk = (values[has] >> np.uint64(7 * byte)) & np.uint64(0x7F)
        more = (sizes[has] > byte + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + byte] = chunk | more
    return out.tobytes()


def varint_runs(values: np.ndarray, bounds: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Encode values that belong to consecutive runs (value bounds); return the bytes and each run's byte bounds."""
    values = np.asarray(values, dtype=np.uint64)
    sizes = varint_sizes(values)
    return varints(values, sizes), np.r_[0, np.cumsum(sizes)][bounds]


def text_bytes(text: str) -> bytes:
    """Encode a string: byte length, then UTF-8."""
    data = text.encode("utf-8")
    return varint(len(data)) + data


def postings_values(term_bounds: np.ndarray, levels: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lay out the postings of consecutive terms (rows sorted by term, impact down, id down) as varint values.

    Each term: its number of groups, then for each group: impact, count, the first id and the gaps.
    Returns the values and each term's value bounds.
    """
    count, terms = len(levels), len(term_bounds) - 1
    new_group = np.ones(count, dtype=bool)
    new_group[1:] = levels[1:] != levels[:-1]
    new_group[term_bounds[:-1][term_bounds[:-1] < count]] = True
    starts = np.flatnonzero(new_group)
    sizes = np.diff(np.r_[starts, count])
    term_of_group = np.searchsorted(term_bounds, starts, side="right") - 1
    groups_per_term = np.bincount(term_of_group, minlength=terms)
    groups_before = np.cumsum(groups_per_term) - groups_per_term
    gaps = np.empty(count, dtype=np.int64)
    if count:
        gaps[1:] = docs[:-1].astype(np.int64) - docs[1:]
        gaps[starts] = docs[starts]
    values = np.empty(terms + 2 * len(starts) + count, dtype=np.uint64)
    term_at = np.arange(terms) + 2 * groups_before + term_bounds[:-1]
    values[term_at] = groups_per_term
    group_at = term_of_group + 1 + 2 * np.arange(len(starts)) + starts
    values[group_at] = levels[starts]
    values[group_at + 1] = sizes
    group_of_row = np.repeat(np.arange(len(starts)), sizes)
    values[term_of_group[group_of_row] + 1 + 2 * (group_of_row + 1) + np.arange(count)] = gaps
    return values, np.r_[term_at, len(values)]


def encode_postings(levels: np.ndarray, docs: np.ndarray) -> bytes:
    """Encode one term's postings, sorted by impact (highest first), then id (newest first)."""
    values, _bounds = postings_values(np.array([0, len(levels)]), levels, docs)
    return varints(values)


def list_values(term_bounds: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lay out the sets of consecutive terms (ids ascending) as lists: count, first id, gaps."""
    count, terms = len(docs), len(term_bounds) - 1
    sizes = np.diff(term_bounds)
    gaps = np.empty(count, dtype=np.int64)
    if count:
        gaps[1:] = docs[1:].astype(np.int64) - docs[:-1]
        first = term_bounds[:-1][sizes > 0]
        gaps[first] = docs[first]
    values = np.empty(terms + count, dtype=np.uint64)
    term_at = np.arange(terms) + term_bounds[:-1]
    values[term_at] = sizes
    values[np.repeat(np.arange(terms), sizes) + 1 + np.arange(count)] = gaps
    return values, np.r_[term_at, len(values)]


def encode_set(docs: np.ndarray, total: int) -> bytes:
    """Encode ascending article ids as a list (kind 0) or a bitset (kind 1), whichever is smaller."""
    values, _bounds = list_values(np.array([0, len(docs)]), docs)
    return smaller_set(varints(values), docs, total)


def smaller_set(listed: bytes, docs: np.ndarray, total: int) -> bytes:
    """Return the list encoding of a set, or its bitset when that is smaller."""
    size = (total + 7) // 8
    if len(listed) <= size:
        return b"\0" + listed
    bits = np.zeros(size * 8, dtype=np.uint8)
    bits[docs] = 1
    return b"\1" + np.packbits(bits, bitorder="little").tobytes()


def positions_values(row_bounds: np.ndarray, counts: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lay out positions of consecutive terms: for each article (row), its count, the first position, the gaps."""
    rows, total = len(counts), len(positions)
    counts = counts.astype(np.int64)
    before = np.cumsum(counts) - counts
    gaps = np.empty(total, dtype=np.int64)
    if total:
        gaps[1:] = positions[1:].astype(np.int64) - positions[:-1]
        first = before[counts > 0]
        gaps[first] = positions[first]
    values = np.empty(rows + total, dtype=np.uint64)
    row_at = np.arange(rows) + before
    values[row_at] = counts
    values[np.repeat(row_at + 1, counts) + np.arange(total) - np.repeat(before, counts)] = gaps
    return values, np.r_[row_at, len(values)][row_bounds]


def encode_positions(counts: np.ndarray, positions: np.ndarray) -> bytes:
    """Encode one pair's positions, article after article (ids ascending)."""
    values, _bounds = positions_values(np.array([0, len(counts)]), counts, positions)
    return varints(values)


def digest(data: bytes) -> str:
    """Return the content hash that names a file (12 hex digits)."""
    return hashlib.sha256(data).hexdigest()[: HASH_BYTES * 2]


def put(folder: str, kind: str, data: bytes, suffix: str = ".bin") -> str:
    """Write a file named by its content hash into folder/kind (which exists); return the hash."""
    name = digest(data)
    try:
        with open(os.path.join(folder, kind, name + suffix), "xb") as handle:
            handle.write(data)
    except FileExistsError:
        pass  # the same content, written for another term
    return name


def impact_levels(tf: np.ndarray, lengths: np.ndarray, average: float) -> np.ndarray:
    """Return BM25 term weights quantised to 1..LEVELS, from weighted counts and article lengths."""
    tf = tf.astype(np.float64)
    norm = K1 * (1 - B + B * lengths / (average or 1.0))
    score = tf / (tf + norm)  # BM25's (k1 + 1) tf / (tf + norm), divided by its bound k1 + 1
    return np.clip(np.ceil(score * LEVELS), 1, LEVELS).astype(np.uint8)


# ---------------------------------------------------------------- the articles

def document(article, doc_id: int) -> tuple:
    """Return what the index needs of an article (plain values, cheap to send to a worker)."""
    units = ", ".join(unit.name for unit in article.units)
    return (doc_id, article.url, article.title, format_short_date(article.date), article.date.isoformat(),
            units, getattr(article, "standfirst", "") or "", tuple(getattr(article, "keywords", ()) or ()),
            article._content or "")


def fingerprint(article) -> int:
    """Tell an article's indexed text apart from an edited version (in one process)."""
    return hash((article.title, getattr(article, "standfirst", ""), tuple(getattr(article, "keywords", ()) or ()),
                 article._content))


def fields_of(doc: tuple) -> tuple[str, list[str], list[list[str]]]:
    """Return an article's text file (summary, then body paragraphs), its body paragraphs and its fields' texts."""
    _id, _url, title, _shown, _iso, _units, summary, tags, html = doc
    body = searchtext.paragraphs(html)
    summary = " ".join(summary.split())
    text = "\n".join(([summary] if summary else []) + body)
    return text, body, [[title], [summary], list(tags), ["\0".join(body)]]  # \0 ends a run between paragraphs


class Analyser:
    """Cut articles into syllables and count them, with this process's vocabulary (ids local to it)."""

    def __init__(self, partitions: int = 1):
        self.partitions = partitions
        self.written: dict[str, int] = {searchtext.MARK: -2}  # as written -> exact form's id (-1: left out, -2: a break)
        self.exact_ids: dict[str, int] = {}
        self.folded_ids: dict[str, int] = {}
        self.exact: list[str] = []
        self.folded: list[str] = []
        self.fold_of: list[int] = []  # exact id -> folded id
        self.part_of: list[int] = []  # folded id -> partition
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, syllable: str) -> int:
        """Give a new written syllable its exact form's id (-1 when it is too long to be a syllable)."""
        if len(syllable) > searchtext.MAX_SYLLABLE:
            self.written[syllable] = -1
            return -1
        exact, folded = searchtext.forms(syllable)
        exact_id = self.exact_ids.get(exact)
        if exact_id is None:
            folded_id = self.folded_ids.get(folded)
            if folded_id is None:
                folded_id = self.folded_ids[folded] = len(self.folded)
                self.folded.append(folded)
                self.part_of.append(partition(folded, self.partitions))
            exact_id = self.exact_ids[exact] = len(self.exact)
            self.exact.append(exact)
            self.fold_of.append(folded_id)
            self._arrays = None
        self.written[syllable] = exact_id
        return exact_id

    def words(self, text: str, ids: list[int], clean: bool = False) -> None:
        """Append a text's syllables (exact ids) to ids, with a negative id wherever a run ends and after the text.

        clean: the text is NFC with single spaces already (searchtext.paragraphs).
        """
        marked = searchtext.marked(text, clean)
        get = self.written.get
        found = [get(word) for word in marked]
        if None in found:
            found = [self.add(w) if f is None else f for f, w in zip(found, marked, strict=True)]
        ids.extend(found)
        ids.append(-2)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Return exact id -> folded id and folded id -> partition as arrays."""
        if self._arrays is None:
            self._arrays = (np.array(self.fold_of, dtype=np.uint32), np.array(self.part_of, dtype=np.uint32))
        return self._arrays

    def count(self, docs: list[tuple[int, list[list[str]]]]) -> dict:
        """Count the exact spellings and adjacent pairs of articles given as (id, texts of each field).

        Returns the rows of each kind (local ids; a pair row is one occurrence) and every article's weighted length.
        """
        ids: list[int] = []
        texts: list[tuple[int, int, int]] = []  # (article, field weight, ids it added) for each text
        for number, (_doc, fields) in enumerate(docs):
            for (name, weight), parts in zip(FIELDS, fields, strict=True):
                for text in parts:
                    if text:
                        before = len(ids)
                        self.words(text, ids, clean=name == "body")
                        texts.append((number, weight, len(ids) - before))
        marked = np.array(ids, dtype=np.int64)
        spans = np.array(texts, dtype=np.int64).reshape(-1, 3)
        kept = np.flatnonzero(marked >= 0)
        exact = marked[kept].astype(np.uint32)
        number = np.repeat(spans[:, 0], spans[:, 2])[kept]
        weight = np.repeat(spans[:, 1], spans[:, 2])[kept].astype(np.uint16)
        doc = np.array([d for d, _ in docs], dtype=np.uint32)[number]
        starts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]]) if len(number) else np.zeros(0, np.int64)
        position = (np.arange(len(kept)) - np.repeat(starts, np.diff(np.r_[starts, len(kept)]))).astype(np.uint32)
        adjacent = np.flatnonzero(kept[1:] == kept[:-1] + 1)  # no mark between a syllable and the next
        folds, _parts = self.arrays()
        folded = folds[exact] if len(exact) else exact
        lengths = np.bincount(number, weights=weight, minlength=len(docs)) if len(number) else np.zeros(len(docs))
        return {"spelling": spelling_rows(doc, exact, weight), "pair": pair_rows(doc, folded, weight, position, adjacent),
                "lengths": [int(x) for x in lengths]}


def partition(folded: str, partitions: int) -> int:
    """Return the partition a syllable's rows (and the pairs it starts) are spilled to."""
    return zlib.crc32(folded.encode("utf-8")) % partitions


def spelling_rows(doc: np.ndarray, term: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Sum the weighted counts of each (article, exact spelling)."""
    keys = (doc.astype(np.uint64) << np.uint64(32)) | term
    unique, inverse = np.unique(keys, return_inverse=True)
    rows = np.empty(len(unique), dtype=ROWS["spelling"])
    rows["doc"] = unique >> np.uint64(32)
    rows["term"] = unique & np.uint64(0xFFFFFFFF)
    rows["tf"] = np.minimum(np.bincount(inverse, weights=weight, minlength=len(unique)), 65535)
    return rows


def pair_rows(doc, folded, weight, position, adjacent: np.ndarray) -> np.ndarray:
    """List every occurrence of an adjacent pair: (article, first syllable, second syllable, position, weight)."""
    rows = np.empty(len(adjacent), dtype=ROWS["pair"])
    rows["doc"], rows["a"], rows["b"] = doc[adjacent], folded[adjacent], folded[adjacent + 1]
    rows["position"], rows["weight"] = position[adjacent], weight[adjacent]
    return rows


def group_pairs(rows: np.ndarray, keys: np.ndarray) -> tuple:
    """Group pair occurrences (sorted by pair key, article, position) by (pair, article).

    Returns each group's key, article, weighted count and number of positions, and every position, in order.
    """
    change = np.ones(len(rows), dtype=bool)
    change[1:] = (keys[1:] != keys[:-1]) | (rows["doc"][1:] != rows["doc"][:-1])
    starts = np.flatnonzero(change)
    tf = np.minimum(np.add.reduceat(rows["weight"].astype(np.int64), starts), 65535) if len(starts) else np.zeros(0, np.int64)
    counts = np.diff(np.r_[starts, len(rows)])
    return keys[starts], rows["doc"][starts], tf, counts, rows["position"]


# ---------------------------------------------------------------- step 1: workers read the articles

# Worker processes only (or this process, when it works alone): set by _start_worker.
_WORKER: dict = {}


def _start_worker(folder: str, spill: str, partitions: int, limits: dict) -> None:
    """Give a worker process its analyser and its own spill folder."""
    mine = os.path.join(spill, str(os.getpid()))
    os.makedirs(mine, exist_ok=True)
    _WORKER.clear()
    _WORKER.update(folder=folder, spill_root=spill, spill=mine, analyser=Analyser(partitions), saved=0, limits=limits)


def analyse_chunk(task: tuple[int, bytes]) -> dict:
    """Write a chunk's texts and result records; spill its rows by partition; return lengths and meta files."""
    first, docs = task[0], json.loads(task[1])
    worker, analyser = _WORKER, _WORKER["analyser"]
    records, fields = [], []
    for doc in docs:
        text, _body, texts = fields_of(doc)
        records.append([doc[1], doc[2], doc[3], doc[4], doc[5], text])
        fields.append((doc[0], texts))
    written = []
    for i in range(0, len(records), DOC_SIZE):
        data = json_bytes(records[i:i + DOC_SIZE])
        with open(os.path.join(worker["folder"], "d", NEW_DOCS, f"{(first + i) // DOC_SIZE}.json"), "wb") as handle:
            handle.write(data)
        written.append(((first + i) // DOC_SIZE, digest(data)))
    counted = analyser.count(fields)
    spill_rows(worker["spill"], analyser, counted)
    return {"first": first, "lengths": counted["lengths"], "docs": written}


def spill_rows(folder: str, analyser: Analyser, counted: dict) -> None:
    """Append the rows to this worker's partition files, and the vocabulary it learnt to its vocabulary file."""
    folds, parts = analyser.arrays()
    saved = _WORKER.get("saved", 0)
    with open(os.path.join(folder, "vocabulary.txt"), "a", encoding="utf-8") as handle:
        for exact_id in range(saved, len(analyser.exact)):
            handle.write(f"{analyser.exact[exact_id]}\t{analyser.folded[analyser.fold_of[exact_id]]}\n")
    _WORKER["saved"] = len(analyser.exact)
    keys = {"spelling": parts[folds[counted["spelling"]["term"]]], "pair": parts[counted["pair"]["a"]]}
    files = _WORKER.setdefault("files", {})
    for kind, part in keys.items():
        order = np.argsort(part, kind="stable")
        rows = counted[kind][order]
        bounds = np.searchsorted(part[order], np.arange(analyser.partitions + 1))
        for p in range(analyser.partitions):
            if bounds[p] < bounds[p + 1]:
                handle = files.get((kind, p))
                if handle is None:
                    handle = files[kind, p] = open(os.path.join(folder, f"{kind}-{p}.bin"), "ab")  # noqa: SIM115 (closed by close_spill)
                rows[bounds[p]:bounds[p + 1]].tofile(handle)
                handle.flush()  # another worker may merge this partition next


def close_spill() -> None:
    """Close this worker's spill files."""
    for handle in _WORKER.pop("files", {}).values():
        handle.close()


def json_bytes(data) -> bytes:
    """Serialise data as compact, sorted, deterministic UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------- step 2: merge each partition

def utf16_key(text: str) -> bytes:
    """Sort strings as JavaScript compares them (UTF-16 code units)."""
    return text.encode("utf-16-be")


class Vocabulary:
    """Every worker's syllables under one numbering, in the order the shards list them."""

    def __init__(self, spill: str):
        learnt: dict[str, list[tuple[str, str]]] = {}
        for worker in sorted(os.listdir(spill)):
            path = os.path.join(spill, worker, "vocabulary.txt")
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    learnt[worker] = [tuple(line.rstrip("\n").split("\t")) for line in handle]
        folded = {f for pairs in learnt.values() for _e, f in pairs}
        self.folded = sorted(folded, key=utf16_key)
        folded_id = {f: i for i, f in enumerate(self.folded)}
        spellings = sorted({(folded_id[f], e) for pairs in learnt.values() for e, f in pairs},
                           key=lambda item: (item[0], utf16_key(item[1])))
        self.exact = [e for _f, e in spellings]
        self.exact_fold = np.array([f for f, _e in spellings], dtype=np.uint32)
        exact_id = {e: i for i, (_f, e) in enumerate(spellings)}
        self.remaps: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for worker, pairs in learnt.items():
            local_folded: dict[str, int] = {}
            for _e, f in pairs:
                local_folded.setdefault(f, len(local_folded))
            self.remaps[worker] = (np.array([exact_id[e] for e, _f in pairs], dtype=np.uint32),
                                   np.array([folded_id[f] for f in local_folded], dtype=np.uint32))


def load_rows(context: dict, kind: str, part: int) -> np.ndarray:
    """Read one partition's rows of a kind from every worker, with terms renumbered to the shared vocabulary."""
    vocabulary, spill = context["vocabulary"], context["spill"]
    found = []
    for worker, (exact_map, folded_map) in sorted(vocabulary.remaps.items()):
        path = os.path.join(spill, worker, f"{kind}-{part}.bin")
        if not os.path.exists(path):
            continue
        rows = np.fromfile(path, dtype=ROWS[kind])
        if kind == "spelling":
            rows["term"] = exact_map[rows["term"]]
        else:
            rows["a"], rows["b"] = folded_map[rows["a"]], folded_map[rows["b"]]
        found.append(rows)
    return np.concatenate(found) if found else np.empty(0, dtype=ROWS[kind])


def sort_order(*keys: np.ndarray) -> np.ndarray:
    """Return the order that sorts rows by several unsigned keys (the first most significant): one sort of a packed
    64-bit key when they fit in it, else a lexicographic sort."""
    widths = [max(1, int(k.max()).bit_length()) if len(k) else 1 for k in keys]
    if sum(widths) > 64:
        return np.lexsort(keys[::-1])
    packed = np.zeros(len(keys[0]), dtype=np.uint64)
    for key, width in zip(keys, widths, strict=True):
        packed = (packed << np.uint64(width)) | key.astype(np.uint64)
    return np.argsort(packed)


def spans(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct values of sorted keys and where each run starts (with the end appended)."""
    if not len(keys):
        return keys, np.zeros(1, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.r_[starts, len(keys)]


def term_bodies(context: dict, bounds: np.ndarray, docs: np.ndarray, tf: np.ndarray) -> list[bytes]:
    """Encode the postings of consecutive terms (rows by term, ids ascending): each inline, or a term file when big.

    A big term's file holds its set and the head of its postings (all of them up to 2 * HEAD, else the first
    HEAD); the rest, its tail, goes to a file of its own, read only when the head cannot settle the ranking.
    """
    sizes = np.diff(bounds)
    levels = impact_levels(tf, context["lengths"][docs], context["average"])
    newest = np.uint32(docs.max()) - docs if len(docs) else docs  # ascending order of this is newest first
    order = sort_order(np.repeat(np.arange(len(sizes), dtype=np.uint64), sizes), (LEVELS - levels).astype(np.uint64), newest)
    levels, ranked = levels[order], docs[order]
    data, places = varint_runs(*postings_values(bounds, levels, ranked))
    bodies = []
    for t, size in enumerate(sizes):
        postings = data[places[t]:places[t + 1]]
        if len(postings) <= context["big"]:
            bodies.append(varint(int(size)) + b"\0" + postings)
            continue
        low, high = bounds[t], bounds[t + 1]
        keep = context["head"]
        split = size > 2 * keep
        head = encode_postings(levels[low:low + keep], ranked[low:low + keep]) if split else postings
        tail = b"\0"
        if split:
            tail = b"\1" + bytes.fromhex(put(context["folder"], "t", encode_postings(levels[low + keep:high], ranked[low + keep:high])))
        name = put(context["folder"], "t", encode_set(docs[low:high], context["total"]) + head + tail)
        bodies.append(varint(int(size)) + b"\1" + bytes.fromhex(name))
    return bodies


def set_bodies(context: dict, bounds: np.ndarray, docs: np.ndarray, same: np.ndarray) -> list[bytes]:
    """Encode the sets of consecutive spellings (ids ascending): inline, a file's hash when big, or a mark that the
    set is the syllable's own (every article with the syllable spells it this way)."""
    data, places = varint_runs(*list_values(bounds, docs))
    bodies = []
    for t in range(len(bounds) - 1):
        if same[t]:
            bodies.append(b"\2")
            continue
        encoded = smaller_set(data[places[t]:places[t + 1]], docs[bounds[t]:bounds[t + 1]], context["total"])
        bodies.append(b"\0" + encoded if len(encoded) <= context["big"] else b"\1" + bytes.fromhex(put(context["folder"], "t", encoded)))
    return bodies


def entry(key: str, body: bytes) -> bytes:
    """Encode one shard entry: key, body length, body."""
    return text_bytes(key) + varint(len(body)) + body


def merge_partition(context: dict, part: int) -> dict:
    """Turn one partition's rows into encoded entries (written to the spill folder); return their keys and sizes."""
    vocabulary, spill = context["vocabulary"], context["spill"]
    spelled = load_rows(context, "spelling", part)
    # the spellings' sets: rows by (spelling, article)
    order = sort_order(spelled["term"], spelled["doc"])
    exact = spelled[order]
    spellings, spelling_bounds = spans(exact["term"])
    spelling_fold = vocabulary.exact_fold[spellings]
    # the syllables: the spellings' counts summed by (folded syllable, article)
    folded = vocabulary.exact_fold[spelled["term"]]
    keys = (folded.astype(np.uint64) << np.uint64(32)) | spelled["doc"]
    unique, inverse = np.unique(keys, return_inverse=True)
    tf = np.bincount(inverse, weights=spelled["tf"], minlength=len(unique))
    terms, bounds = spans(unique >> np.uint64(32))
    docs = (unique & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    bodies = term_bodies(context, bounds, docs, np.minimum(tf, 65535))
    term_df = np.diff(bounds)[np.searchsorted(terms, spelling_fold)] if len(terms) else np.zeros(0, np.int64)
    spelling_sets = set_bodies(context, spelling_bounds, exact["doc"], np.diff(spelling_bounds) == term_df)
    sizes = []
    with open(os.path.join(spill, f"entries-s-{part}.bin"), "wb") as out:
        at = 0
        for term, body in zip(terms, bodies, strict=True):
            variants = []
            while at < len(spellings) and spelling_fold[at] == term:
                df = int(spelling_bounds[at + 1] - spelling_bounds[at])
                variants.append(text_bytes(vocabulary.exact[spellings[at]]) + varint(df) + spelling_sets[at])
                at += 1
            data = entry(vocabulary.folded[term], b"".join([body, varint(len(variants))] + variants))
            out.write(data)
            sizes.append(len(data))
    result = {"part": part, "syllables": (terms.astype(np.uint64), np.array(sizes, dtype=np.int64))}
    pairs = load_rows(context, "pair", part)
    width = np.uint64(len(vocabulary.folded))
    keys = pairs["a"].astype(np.uint64) * width + pairs["b"]
    order = sort_order(keys, pairs["doc"], pairs["position"])
    row_keys, docs, tf, counts, positions = group_pairs(pairs[order], keys[order])
    distinct, bounds = spans(row_keys)
    bodies = term_bodies(context, bounds, docs, tf)
    data, places = varint_runs(*positions_values(bounds, counts, positions))
    sizes, position_sizes = [], []
    with open(os.path.join(spill, f"entries-p-{part}.bin"), "wb") as out, \
            open(os.path.join(spill, f"entries-q-{part}.bin"), "wb") as out_positions:
        for i, key in enumerate(distinct):
            name = f"{vocabulary.folded[int(key // width)]} {vocabulary.folded[int(key % width)]}"
            written = entry(name, bodies[i])
            out.write(written)
            sizes.append(len(written))
            written = entry(name, b"\0" + data[places[i]:places[i + 1]])  # read only for phrases: never a file of its own
            out_positions.write(written)
            position_sizes.append(len(written))
    result["pairs"] = (distinct, np.array(sizes, dtype=np.int64), np.array(position_sizes, dtype=np.int64))
    return result


# ---------------------------------------------------------------- step 3: shards, facets, manifest

def pack(folder: str, kind: str, names: list[str], read, shard_size: int = SHARD) -> list[list[str]]:
    """Write entries (read(n) gives the bytes of the n-th, in key order) into shards; return [first key, hash] each."""
    shards: list[list[str]] = []
    parts: list[bytes] = []
    size = 0
    for index, name in enumerate(names):
        if not parts:
            first = name
        parts.append(read(index))
        size += len(parts[-1])
        if size >= shard_size or index == len(names) - 1:
            shards.append([first, put(folder, kind, varint(len(parts)) + b"".join(parts))])
            parts, size = [], 0
    return shards


def facets(folder: str, ordered: list, registry, total: int) -> dict:
    """Write the unit (with descendants) and term sets; return their manifest entry."""
    units: dict[str, list[int]] = {}
    terms: dict[str, list[int]] = {}
    for doc_id, article in enumerate(ordered):
        own = [unit.code for unit in article.units]
        reach = set(own)
        for code in own:
            if registry is not None and code in registry.units:
                reach.update(u.code for u in registry.ancestors(code))
        for code in reach:
            units.setdefault(code, []).append(doc_id)
        for term in article.terms:
            terms.setdefault(term.code, []).append(doc_id)
    unit_codes = [u.code for u in registry.walk()] if registry is not None else sorted(units)
    unit_codes += sorted(set(units) - set(unit_codes))
    term_codes = sorted(terms)
    data = b"".join(encode_set(np.array(found.get(code, []), dtype=np.int64), total)
                    for found, codes in ((units, unit_codes), (terms, term_codes)) for code in codes)
    return {"file": put(folder, "f", data), "unit": unit_codes, "term": term_codes}


def years(ordered: list) -> list[list[int]]:
    """Return [year, first id, end id] for each year (ids follow the date, so a year is a range)."""
    found: list[list[int]] = []
    for doc_id, article in enumerate(ordered):
        if found and found[-1][0] == article.date.year:
            found[-1][2] = doc_id + 1
        else:
            found.append([article.date.year, doc_id, doc_id + 1])
    return found


class Workers:
    """A few spawned worker processes, each fed one task at a time through its own pipe.

    Spawned, not forked: a forked worker shares the build's memory, but every object it allocates may land in a
    half-used page of the build's heap and copy it; at 100,000 articles that cost more than a gigabyte. A spawned
    worker holds only what it needs (about 60 MB of modules, and one task). Tasks are sent from this thread, not
    from helper threads as multiprocessing.Pool does: memory a helper thread allocates for a message stays with
    its own allocator arena instead of being reused for the next one.
    """

    def __init__(self, count: int, arguments: tuple):
        context = multiprocessing.get_context("spawn")
        self.connections, self.processes = [], []
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, arguments), daemon=True)
            process.start()
            theirs.close()
            self.connections.append(mine)
            self.processes.append(process)

    def run(self, function, tasks: Iterable, cancel=None) -> Iterator:
        """Run function(task) for every task, each in a free worker; yield the results as they come; stop on cancel."""
        from multiprocessing.connection import wait

        iterator = iter(tasks)
        busy: set = set()
        free = list(self.connections)
        end = object()
        while True:
            while free:
                task = next(iterator, end)
                if task is end:
                    break
                connection = free.pop()
                connection.send((function, task))
                busy.add(connection)
            if not busy:
                return
            if cancel is not None and cancel.is_set():
                raise Cancelled
            for connection in wait(list(busy), 0.05):
                busy.discard(connection)
                free.append(connection)
                failed, result = connection.recv()
                if failed:
                    raise RuntimeError(f"tiến trình lập chỉ mục gặp lỗi: {result}")
                yield result

    def stop(self) -> None:
        """End the workers (a cancelled run ends them mid-task)."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join()
        for connection in self.connections:
            connection.close()


def _serve(connection, arguments: tuple) -> None:
    """A worker's loop: set up, then run each task sent and send back (failed, result)."""
    _start_worker(*arguments)
    while True:
        try:
            function, task = connection.recv()
        except EOFError:
            return
        try:
            connection.send((False, function(task)))
        except Exception as error:  # reported by the build as an index error, with its type
            connection.send((True, f"{type(error).__name__}: {error}"))


def run_tasks(workers, function, tasks: Iterable, cancel=None) -> Iterator:
    """Run tasks in the workers (or here when there are none); yield the results as they come; stop on cancel."""
    if workers is not None:
        yield from workers.run(function, tasks, cancel)
        return
    for task in tasks:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        yield function(task)


def _analyse_in_worker(task):
    """Pool entry point of step 1."""
    return analyse_chunk(task)


def _close_spill_in_worker(_task) -> None:
    """Pool entry point between the steps: close this worker's spill files."""
    close_spill()


def _merge_in_worker(task: tuple[int, float, int]) -> dict:
    """Pool entry point of step 2: the shared vocabulary and the lengths are read from the spill folder once."""
    part, average, total = task
    if "merge" not in _WORKER:
        spill = _WORKER["spill_root"]
        _WORKER["merge"] = {"vocabulary": Vocabulary(spill), "spill": spill, "folder": _WORKER["folder"],
                            "lengths": np.load(os.path.join(spill, "lengths.npy"), mmap_mode="r"),
                            "average": average, "total": total, **_WORKER["limits"]}
    return merge_partition(_WORKER["merge"], part)


@contextlib.contextmanager
def pool_of(workers: int, arguments: tuple):
    """Start worker processes (none when working alone); stop them whatever happens."""
    if workers <= 1:
        _start_worker(*arguments)
        try:
            yield None
        finally:
            close_spill()
            _WORKER.clear()
        return
    pool = Workers(workers, arguments)
    try:
        yield pool
    finally:
        pool.stop()


def write_bundle(folder: str, ordered: list, registry, workers: int, cancel=None) -> dict:
    """Write the whole index of these articles (in id order) into folder; return the manifest."""
    total = len(ordered)
    spill = os.path.join(folder, ".spill")
    os.makedirs(spill)
    partitions = max(8, min(256, total // 500))  # small partitions keep each merge's memory small
    lengths = np.zeros(total, dtype=np.float64)
    written: dict[int, str] = {}
    for kind in ("s", "p", "q", "t", "f", os.path.join("d", NEW_DOCS)):
        os.makedirs(os.path.join(folder, kind))
    # Sent as JSON bytes: pickling a str would leave a UTF-8 copy of it cached in the string (as long as the article
    # lives: more memory than the articles themselves), JSON leaves the articles as they are.
    chunks = ((first, json_bytes([document(a, first + i) for i, a in enumerate(ordered[first:first + CHUNK])]))
              for first in range(0, total, CHUNK))
    limits = {"head": HEAD, "big": BIG}
    alone = workers if total > 2 * CHUNK else 1  # a small site: starting workers costs more than they save
    with pool_of(alone, (folder, spill, partitions, limits)) as pool:
        for done in run_tasks(pool, _analyse_in_worker, chunks, cancel):
            lengths[done["first"]:done["first"] + len(done["lengths"])] = done["lengths"]
            written.update(done["docs"])
        if pool is not None:
            pool.run(_close_spill_in_worker, [None] * alone, cancel)  # every worker's rows on disk before merging
        np.save(os.path.join(spill, "lengths.npy"), lengths)
        average = float(lengths.mean()) if total else 1.0
        merged = sorted(run_tasks(pool, _merge_in_worker, [(part, average, total) for part in range(partitions)], cancel),
                        key=lambda result: result["part"])
    docs = digest("".join(written[i] for i in sorted(written)).encode())
    os.rename(os.path.join(folder, "d", NEW_DOCS), os.path.join(folder, "d", docs))
    vocabulary = Vocabulary(spill)
    width = len(vocabulary.folded)
    manifest = {"version": VERSION, "documents": total, "levels": LEVELS, "live": False, "delta": None,
                "docs": {"folder": docs, "size": DOC_SIZE},
                "facets": facets(folder, ordered, registry, total), "years": years(ordered)}
    with open_entries(spill, "s", partitions) as files:
        keys, where = table(merged, "syllables", files, 0)
        names = [vocabulary.folded[int(k)] for k in keys]
        manifest["syllables"] = pack(folder, "s", names, reader(files, where))
    with open_entries(spill, "p", partitions) as files, open_entries(spill, "q", partitions) as position_files:
        keys, where = table(merged, "pairs", files, 0)
        _, where_positions = table(merged, "pairs", position_files, 1)
        names = [f"{vocabulary.folded[int(k // width)]} {vocabulary.folded[int(k % width)]}" for k in keys]
        manifest["pairs"] = pack(folder, "p", names, reader(files, where))
        manifest["positions"] = pack(folder, "q", names, reader(position_files, where_positions), POSITIONS_SHARD)
    shutil.rmtree(spill)
    manifest["_average"] = average  # kept for the preview's deltas, not written
    return manifest


@contextlib.contextmanager
def open_entries(spill: str, kind: str, partitions: int):
    """Open every partition's entries file of a kind for reading."""
    files = [open(os.path.join(spill, f"entries-{kind}-{p}.bin"), "rb") for p in range(partitions)]  # noqa: SIM115 (closed below)
    try:
        yield files
    finally:
        for handle in files:
            handle.close()


def table(merged: list[dict], kind: str, files: list, column: int) -> tuple[np.ndarray, np.ndarray]:
    """Return every entry's key in order, and where its bytes are: (partition, offset, size) rows."""
    keys, where = [], []
    for part, result in enumerate(merged):
        found = result[kind]
        sizes = found[1 + column]
        keys.append(found[0])
        where.append(np.stack([np.full(len(sizes), part), np.cumsum(sizes) - sizes, sizes], axis=1))
    keys = np.concatenate(keys) if keys else np.empty(0, np.uint64)
    where = np.concatenate(where) if where else np.empty((0, 3), np.int64)
    order = np.argsort(keys, kind="stable")
    return keys[order], where[order]


def reader(files: list, where: np.ndarray):
    """Return a function giving the bytes of the n-th entry in key order."""
    def read(index: int) -> bytes:
        part, offset, size = (int(x) for x in where[index])
        handle = files[part]
        handle.seek(offset)
        return handle.read(size)

    return read


# ---------------------------------------------------------------- the finisher and the preview

class LiveIndex:
    """What the live preview keeps of its last full index, to write only the saved articles next time."""

    def __init__(self, ordered: list, manifest: dict, lengths_average: float):
        self.ids = {id(article): doc_id for doc_id, article in enumerate(ordered)}
        self.prints = [fingerprint(article) for article in ordered]
        self.manifest = manifest
        self.average = lengths_average


def build_index(output: str, settings: dict, cancel=None) -> list[str]:
    """Finisher: index the published articles for the search page; return errors in Vietnamese.

    In the live preview, after a save that only changed articles' text, only those articles are written again
    (a small delta file the search page reads over the index); otherwise the whole index is written beside the
    old one and swapped in, so the search page keeps working, and a cancelled run (`cancel`, a threading.Event)
    leaves the old index whole.
    """
    articles = settings.get(ARTICLES_KEY)
    if articles is None:
        return []
    state = settings.get(STATE_KEY)
    holder = state.live if state is not None else None  # the live preview's holder: the index keeps its state there
    live = holder.get("search") if isinstance(holder, dict) else None
    if live is not None and update(output, articles, live, cancel):
        return []
    registry = state.registry if state is not None else None
    ordered = sorted(articles, key=chrono_key)
    target = os.path.join(output, BUNDLE)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    remove_stale(target)  # left by a run that was cancelled or killed
    fresh = fresh_beside(target)
    try:
        manifest = write_bundle(fresh, ordered, registry, worker_count(settings), cancel)
        manifest["live"] = isinstance(holder, dict)
        write_manifest(fresh, manifest)
        if cancel is not None and cancel.is_set():
            raise Cancelled
        os.chmod(fresh, 0o755)
        swap_into_place(fresh, target)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    if isinstance(holder, dict):
        holder["search"] = LiveIndex(ordered, manifest, manifest["_average"])
    return []


def write_manifest(folder: str, manifest: dict) -> None:
    """Write the manifest (the one file without a hashed name) in one step."""
    data = json_bytes({k: v for k, v in manifest.items() if not k.startswith("_")})
    temporary = os.path.join(folder, f".{MANIFEST}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, os.path.join(folder, MANIFEST))


def update(output: str, articles: list, live: LiveIndex, cancel=None) -> bool:
    """Write the articles edited since the last full index as a delta; False when a full index is needed."""
    folder = os.path.join(output, BUNDLE)
    if len(articles) != len(live.prints) or not os.path.isfile(os.path.join(folder, MANIFEST)):
        return False
    changed = []
    for article in articles:
        doc_id = live.ids.get(id(article))
        if doc_id is None:
            return False
        if fingerprint(article) != live.prints[doc_id]:
            changed.append((doc_id, article))
    docs = {}
    analyser = Analyser()
    for doc_id, article in sorted(changed, key=lambda item: item[0]):
        doc = document(article, doc_id)
        text, _body, texts = fields_of(doc)
        counted = analyser.count([(doc_id, texts)])
        length = np.array(counted["lengths"], dtype=np.float64)
        spelled, pairs = counted["spelling"], counted["pair"]
        folded_of = analyser.arrays()[0][spelled["term"]]
        syllables = {}
        for folded_id, tf in zip(folded_of, spelled["tf"], strict=True):
            syllables[int(folded_id)] = syllables.get(int(folded_id), 0) + int(tf)
        levels = impact_levels(np.array(list(syllables.values())), np.repeat(length, len(syllables)), live.average)
        width = len(analyser.folded)
        keys = pairs["a"].astype(np.uint64) * np.uint64(width) + pairs["b"]
        order = np.lexsort((pairs["position"], keys))
        pair_keys, _docs, tf, counts, positions = group_pairs(pairs[order], keys[order])
        pair_levels = impact_levels(tf, np.repeat(length, len(tf)), live.average)
        ends = np.r_[0, np.cumsum(counts)]
        docs[str(doc_id)] = {
            "meta": [doc[1], doc[2], doc[3], doc[4], doc[5]], "text": text,
            "syllables": {analyser.folded[t]: int(q) for t, q in zip(syllables, levels, strict=True)},
            "exact": sorted({analyser.exact[t] for t in spelled["term"]}),
            "pairs": {f"{analyser.folded[int(k) // width]} {analyser.folded[int(k) % width]}":
                      [int(q), *map(int, positions[ends[i]:ends[i + 1]])] for i, (k, q) in enumerate(zip(pair_keys, pair_levels, strict=True))},
        }
    if cancel is not None and cancel.is_set():
        raise Cancelled
    manifest = dict(live.manifest, live=True, delta=None)
    if docs:
        data = json_bytes({"docs": docs})
        name = f"delta-{digest(data)}.json"
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)
        manifest["delta"] = name
    write_manifest(folder, manifest)
    for old in os.listdir(folder):
        if old.startswith("delta-") and old != manifest["delta"]:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, old))
    return True
