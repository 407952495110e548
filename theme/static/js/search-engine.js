/* The bulletin's Vietnamese search engine: reads the index the build writes (searchindex.py documents the format).
 *
 * Plain JS, no dependencies; runs in the page and in Node (the tests load it with require()).
 * - Text is cut and normalised exactly as searchtext.py does (tests/fixtures/search/normalisation.json holds the
 *   cases both are tested against): syllables, their exact form (lower case, one tone placement) and folded form.
 * - Every syllable of a query must match a whole syllable; only the last one, while it is being typed, may match
 *   as the start of one (the completions that follow the syllable before it somewhere, then the most frequent), and
 *   whole matches rank above such matches. A quoted phrase must appear as written, with the marks the reader typed.
 * - Ranking: BM25 impacts, plus a step for each adjacent pair of the query found adjacent in the article and for
 *   each syllable typed with marks found with the same marks ("Đảng" before "đang"), then the newest first.
 * - The first page reads only the head of each term's postings, ordered by impact, unless those cannot settle it.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.BulletinSearch = factory();
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* ---------- Text: the same rules as searchtext.py and text.canon() ---------- */

  var MAX_SYLLABLE = 40;
  var MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f";
  var SPACES = new RegExp("[ \\t\\n\\r\\f\\v\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+", "g");
  var BREAK = new RegExp("[^\\p{L}\\p{N} " + MARKS + "]+", "u");
  var BREAKS = new RegExp("[^\\p{L}\\p{N} " + MARKS + "]+", "gu");
  var DROPPED = new RegExp("[" + MARKS + "]", "g");
  var SYLLABLE = new RegExp("[\\p{L}\\p{N}" + MARKS + "]+", "gu");
  var WORD = /[\p{L}\p{Nl}\p{No}]+/gu;  // Python's [^\W\d_]: what text.canon() treats as a word
  var TONES = "\u0300\u0309\u0303\u0301\u0323";
  var CONSONANTS = "bcdđghklmnpqrstvx";
  var OPEN_PAIRS = ["oa", "oe", "uy"];
  var IS_MARK = /\p{M}/u;

  function canonWord(word) {
    var chars = Array.from(word.normalize("NFD"));
    var tones = chars.filter(function (ch) { return TONES.indexOf(ch) >= 0; });
    if (tones.length !== 1) { return word; }
    var bare = chars.filter(function (ch) { return TONES.indexOf(ch) < 0; });
    var lower = bare.join("").toLowerCase();
    if (lower.length < 2 || OPEN_PAIRS.indexOf(lower.slice(-2)) < 0) { return word; }
    var onset = lower.slice(0, -2);
    if (onset === "q" || Array.from(onset).some(function (ch) { return CONSONANTS.indexOf(ch) < 0; })) { return word; }
    var bases = [];
    bare.forEach(function (ch, i) { if (!IS_MARK.test(ch)) { bases.push(i); } });
    var at = bases[bases.length - 2] + 1;
    while (at < bare.length && IS_MARK.test(bare[at])) { at += 1; }
    return bare.slice(0, at).concat(tones[0], bare.slice(at)).join("").normalize("NFC");
  }

  function canon(text) {
    return text.normalize("NFC").replace(/Ð/g, "Đ").replace(/ð/g, "đ").replace(WORD, canonWord);
  }

  var formsCache = new Map();

  // A syllable's [exact, folded] forms: "Hoà" -> ["hòa", "hoa"], "ĐẢNG" -> ["đảng", "dang"].
  function forms(syllable) {
    var found = formsCache.get(syllable);
    if (!found) {
      var exact = canon(syllable).toLowerCase();
      var folded = exact.normalize("NFD").replace(DROPPED, "").replace(/đ/g, "d").normalize("NFC");
      found = [exact, folded];
      if (formsCache.size > 50000) { formsCache.clear(); }
      formsCache.set(syllable, found);
    }
    return found;
  }

  // Runs of adjacent syllables as written: "Ban Chấp hành, Bí thư" -> [["Ban", "Chấp", "hành"], ["Bí", "thư"]].
  function runs(text) {
    var found = [];
    text.normalize("NFC").replace(SPACES, " ").split(BREAK).forEach(function (piece) {
      var run = [];
      piece.split(" ").forEach(function (syllable) {
        if (!syllable) { return; }
        if (Array.from(syllable).length > MAX_SYLLABLE) {
          if (run.length) { found.push(run); }
          run = [];
          return;
        }
        run.push(syllable);
      });
      if (run.length) { found.push(run); }
    });
    return found;
  }

  function normalise(text) {
    return runs(text).map(function (run) { return run.map(forms); });
  }

  /* ---------- Queries ---------- */

  // Quoted text (straight or typographic quotes) is a phrase; an unclosed quote runs to the end. While the
  // reader is typing, the last syllable may be the start of a word, unless a space or a quote follows it.
  function parseQuery(text, typing) {
    var source = String(text || "").replace(/[\u201c\u201d\u201e\u201f\u2033\uff02]/g, '"');
    var parts = source.split('"');
    var clauses = [];
    parts.forEach(function (part, i) {
      normalise(part).forEach(function (run) {
        clauses.push({
          phrase: i % 2 === 1,
          words: run.map(function (f) { return { exact: f[0], folded: f[1], marked: f[0] !== f[1] }; }),
        });
      });
    });
    if (!clauses.length) { return null; }
    var last = clauses[clauses.length - 1];
    var outside = parts.length % 2 === 1;  // the last part is outside quotes
    var ends = /[\p{L}\p{N}\p{M}]$/u.test(source);
    var prefix = Boolean(typing) && outside && ends && !last.phrase;
    return { clauses: clauses, prefix: prefix };
  }

  /* ---------- Bytes ---------- */

  var utf8 = typeof TextDecoder !== "undefined" ? new TextDecoder("utf-8") : null;

  function Reader(bytes, at) {
    this.bytes = bytes;
    this.at = at || 0;
  }

  Reader.prototype.varint = function () {
    var bytes = this.bytes;
    var value = 0;
    var shift = 1;
    var byte;
    do {
      byte = bytes[this.at++];
      value += (byte & 0x7f) * shift;
      shift *= 128;
    } while (byte & 0x80);
    return value;
  };

  Reader.prototype.byte = function () { return this.bytes[this.at++]; };

  Reader.prototype.text = function () {
    var size = this.varint();
    var text = utf8.decode(this.bytes.subarray(this.at, this.at + size));
    this.at += size;
    return text;
  };

  Reader.prototype.hash = function () {
    var hex = "";
    for (var i = 0; i < 6; i += 1) {
      hex += (this.bytes[this.at + i] < 16 ? "0" : "") + this.bytes[this.at + i].toString(16);
    }
    this.at += 6;
    return hex;
  };

  /* ---------- Sets as bitsets ---------- */

  function words(total) { return new Uint32Array((total + 31) >>> 5); }

  function popcount(bits) {
    var count = 0;
    for (var i = 0; i < bits.length; i += 1) {
      var v = bits[i];
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return count;
  }

  function has(bits, id) { return (bits[id >>> 5] >>> (id & 31)) & 1; }

  function readSet(reader, total) {
    var bits = words(total);
    if (reader.byte() === 1) {
      var size = (total + 7) >>> 3;
      var bytes = reader.bytes;
      for (var i = 0; i < size; i += 1) {
        bits[i >>> 2] |= bytes[reader.at + i] << ((i & 3) << 3);
      }
      reader.at += size;
      return bits;
    }
    var count = reader.varint();
    var id = 0;
    for (var j = 0; j < count; j += 1) {
      id += reader.varint();
      bits[id >>> 5] |= 1 << (id & 31);
    }
    return bits;
  }

  // Postings: groups of one impact, highest first, ids newest first. Returns parallel arrays.
  function readPostings(reader) {
    var groups = reader.varint();
    var ids = [];
    var levels = [];
    for (var g = 0; g < groups; g += 1) {
      var level = reader.varint();
      var count = reader.varint();
      var id = 0;
      for (var i = 0; i < count; i += 1) {
        id = i === 0 ? reader.varint() : id - reader.varint();
        ids.push(id);
        levels.push(level);
      }
    }
    return { ids: Int32Array.from(ids), levels: Uint8Array.from(levels) };
  }

  function idsOf(bits) {
    var found = [];
    for (var i = 0; i < bits.length; i += 1) {
      var v = bits[i];
      while (v) {
        var low = v & -v;
        found.push((i << 5) + 31 - Math.clz32(low));
        v ^= low;
      }
    }
    return found;
  }

  /* ---------- The index ---------- */

  var EXPANSIONS = 8;  // whole syllables standing for one still being typed: this many after the one before it, as many more
  var SCAN_SHARDS = 3;  // shards read to find them (of syllables; of pairs)
  var WHOLE = 1000;  // the step a whole match of the syllable being typed earns over a match of its start
  var STEP = 1073741824;  // 2**30: one step of the tier outweighs any sum of impacts
  var DEFAULT_PAGE = 10;

  function Index(manifest, load) {
    this.manifest = manifest;
    this.load = load;  // load(path, kind) -> Promise of Uint8Array ("bytes") or parsed JSON ("json")
    this.total = manifest.documents;
    this.files = new Map();
    this.terms = new Map();
    this.delta = null;
  }

  Index.prototype.file = function (path, kind) {
    var key = kind + ":" + path;
    if (!this.files.has(key)) {
      var self = this;
      var promise = this.load(path, kind);
      promise.catch(function () { self.files.delete(key); });
      this.files.set(key, promise);
    }
    return this.files.get(key);
  };

  // The shard that would hold a key: the last whose first key is not after it.
  function shardFor(list, key) {
    var low = 0;
    var high = list.length - 1;
    if (high < 0 || key < list[0][0]) { return -1; }
    while (low < high) {
      var mid = (low + high + 1) >>> 1;
      if (list[mid][0] <= key) { low = mid; } else { high = mid - 1; }
    }
    return low;
  }

  function parseShard(bytes) {
    var reader = new Reader(bytes, 0);
    var count = reader.varint();
    var keys = new Array(count);
    var offsets = new Int32Array(count);
    for (var i = 0; i < count; i += 1) {
      keys[i] = reader.text();
      var size = reader.varint();
      offsets[i] = reader.at;
      reader.at += size;
    }
    return { bytes: bytes, keys: keys, offsets: offsets };
  }

  Index.prototype.shard = function (kind, number) {
    var folder = { syllables: "s", pairs: "p", positions: "q" }[kind];
    var hash = this.manifest[kind][number][1];
    var key = "shard:" + folder + hash;
    if (!this.files.has(key)) {
      var self = this;
      var promise = this.load(folder + "/" + hash + ".bin", "bytes").then(parseShard);
      promise.catch(function () { self.files.delete(key); });
      this.files.set(key, promise);
    }
    return this.files.get(key);
  };

  function findKey(shard, key) {
    var low = 0;
    var high = shard.keys.length - 1;
    while (low <= high) {
      var mid = (low + high) >>> 1;
      var here = shard.keys[mid];
      if (here === key) { return mid; }
      if (here < key) { low = mid + 1; } else { high = mid - 1; }
    }
    return -1;
  }

  // A term: { key, df, set (bitset), ids/levels (postings loaded so far), complete, tail (hash), spellings }.
  Index.prototype.term = function (kind, key) {
    var cacheKey = kind + ":" + key;
    if (this.terms.has(cacheKey)) { return this.terms.get(cacheKey); }
    var self = this;
    var number = shardFor(this.manifest[kind], key);
    // A key before the first shard's first key is in no shard (it may still be in the preview's delta).
    var stored = number < 0 ? Promise.resolve(null) : this.shard(kind, number).then(function (shard) {
      var at = findKey(shard, key);
      return at < 0 ? null : self.readTerm(kind, key, new Reader(shard.bytes, shard.offsets[at]));
    });
    var promise = stored.then(function (term) { return self.patch(kind, key, term); });
    promise.catch(function () { self.terms.delete(cacheKey); });
    this.terms.set(cacheKey, promise);
    return promise;
  };

  Index.prototype.readTerm = function (kind, key, reader) {
    var total = this.total;
    var term = { key: key, df: reader.varint(), spellings: {} };
    var external = reader.byte() === 1;
    var ready;
    if (external) {
      ready = this.file("t/" + reader.hash() + ".bin", "bytes").then(function (bytes) {
        var inner = new Reader(bytes, 0);
        term.set = readSet(inner, total);
        var head = readPostings(inner);
        term.ids = head.ids;
        term.levels = head.levels;
        term.complete = inner.byte() === 0;
        term.tail = term.complete ? null : inner.hash();
      });
    } else {
      var postings = readPostings(reader);
      term.ids = postings.ids;
      term.levels = postings.levels;
      term.complete = true;
      term.set = words(total);
      for (var i = 0; i < postings.ids.length; i += 1) { term.set[postings.ids[i] >>> 5] |= 1 << (postings.ids[i] & 31); }
      ready = Promise.resolve();
    }
    if (kind === "syllables") {
      var count = reader.varint();
      for (var s = 0; s < count; s += 1) {
        var spelling = { key: reader.text(), df: reader.varint() };
        var how = reader.byte();
        if (how === 1) {
          spelling.hash = reader.hash();
        } else if (how === 2) {
          spelling.same = true;  // every article with the syllable spells it this way
        } else {
          spelling.set = readSet(reader, total);
        }
        term.spellings[spelling.key] = spelling;
      }
    }
    return ready.then(function () { return term; });
  };

  // The set of the articles that spell a syllable exactly so (read only when a query needs it).
  Index.prototype.spelling = function (term, exact) {
    var spelling = term.spellings[exact];
    if (!spelling) { return Promise.resolve(null); }
    if (!spelling.ready) {
      var self = this;
      var base = spelling.fresh ? Promise.resolve(null) : spelling.set ? Promise.resolve(spelling.set)
        : spelling.same ? Promise.resolve(term.baseSet || term.set)
          : this.file("t/" + spelling.hash + ".bin", "bytes").then(function (bytes) { return readSet(new Reader(bytes, 0), self.total); });
      spelling.ready = base.then(function (set) { return self.patchSpelling(exact, set); });
      spelling.ready.catch(function () { spelling.ready = null; });
    }
    return spelling.ready;
  };

  // Load the rest of a term's postings (its tail), once.
  Index.prototype.complete = function (term) {
    if (term.complete) { return Promise.resolve(term); }
    if (!term.completing) {
      var self = this;
      term.completing = this.file("t/" + term.tail + ".bin", "bytes").then(function (bytes) {
        var rest = readPostings(new Reader(bytes, 0));
        var ids = new Int32Array(term.ids.length + rest.ids.length);
        var levels = new Uint8Array(ids.length);
        ids.set(term.ids);
        ids.set(rest.ids, term.ids.length);
        levels.set(term.levels);
        levels.set(rest.levels, term.levels.length);
        term.ids = ids;
        term.levels = levels;
        term.complete = true;
        self.patchPostings(term, term.deltaKind);
        return term;
      });
    }
    return term.completing;
  };

  // Positions of a pair: for each article of its set, the positions where it starts.
  Index.prototype.positions = function (key, term) {
    var cacheKey = "positions:" + key;
    if (this.terms.has(cacheKey)) { return this.terms.get(cacheKey); }
    var self = this;
    var number = shardFor(this.manifest.positions, key);
    // A pair the full index lacks (only in the preview's delta) has no positions shard entry: none but the delta's.
    var base = number < 0 ? Promise.resolve(null) : this.shard("positions", number).then(function (shard) {
      var at = findKey(shard, key);
      if (at < 0) { return null; }
      var reader = new Reader(shard.bytes, shard.offsets[at]);
      if (reader.byte() === 1) {
        return self.file("t/" + reader.hash() + ".bin", "bytes").then(function (bytes) { return new Reader(bytes, 0); });
      }
      return reader;
    });
    var promise = base.then(function (reader) {
      var found = new Map();
      if (reader) {
        idsOf(term.baseSet || term.set).forEach(function (id) {
          var count = reader.varint();
          var list = new Array(count);
          var position = 0;
          for (var i = 0; i < count; i += 1) {
            position = i === 0 ? reader.varint() : position + reader.varint();
            list[i] = position;
          }
          found.set(id, list);
        });
      }
      if (self.delta) {
        Object.keys(self.delta.docs).forEach(function (id) {
          var pair = self.delta.docs[id].pairs[key];
          if (pair) { found.set(Number(id), pair.slice(1)); } else { found.delete(Number(id)); }
        });
      }
      return found;
    });
    promise.catch(function () { self.terms.delete(cacheKey); });
    this.terms.set(cacheKey, promise);
    return promise;
  };

  /* ---------- The live preview: articles saved since the last full index ---------- */

  Index.prototype.patch = function (kind, key, term) {
    var delta = this.delta;
    if (!delta || (kind !== "syllables" && kind !== "pairs")) { return term; }
    var field = kind === "syllables" ? "syllables" : "pairs";
    var ids = Object.keys(delta.docs).map(Number);
    var inDelta = ids.filter(function (id) { return delta.docs[id][field][key] !== undefined; });
    if (!term) {
      if (!inDelta.length) { return null; }
      term = { key: key, df: 0, set: words(this.total), ids: new Int32Array(0), levels: new Uint8Array(0), complete: true, spellings: {} };
    }
    term.baseSet = term.set;
    term.set = term.set.slice();
    ids.forEach(function (id) { term.set[id >>> 5] &= ~(1 << (id & 31)); });
    inDelta.forEach(function (id) { term.set[id >>> 5] |= 1 << (id & 31); });
    term.deltaKind = field;
    this.patchPostings(term, field);
    if (kind === "syllables") {
      ids.forEach(function (id) {
        delta.docs[id].exact.forEach(function (exact) {
          if (!term.spellings[exact] && forms(exact)[1] === key) { term.spellings[exact] = { key: exact, df: 0, fresh: true }; }
        });
      });
    }
    return term;
  };

  // A spelling's set with the saved articles' own spellings in place of what the full index had.
  Index.prototype.patchSpelling = function (exact, set) {
    var delta = this.delta;
    set = set ? set.slice() : words(this.total);
    if (!delta) { return set; }
    Object.keys(delta.docs).forEach(function (id) {
      if (delta.docs[id].exact.indexOf(exact) >= 0) { set[id >>> 5] |= 1 << (id & 31); } else { set[id >>> 5] &= ~(1 << (id & 31)); }
    });
    return set;
  };

  Index.prototype.patchPostings = function (term, field) {
    var delta = this.delta;
    if (!delta || !field) { return; }
    var changed = {};
    Object.keys(delta.docs).forEach(function (id) { changed[id] = true; });
    var ids = [];
    var levels = [];
    Object.keys(delta.docs).forEach(function (id) {
      var value = delta.docs[id][field][term.key];
      if (value !== undefined) {
        ids.push(Number(id));
        levels.push(field === "pairs" ? value[0] : value);
      }
    });
    for (var i = 0; i < term.ids.length; i += 1) {
      if (!changed[term.ids[i]]) {
        ids.push(term.ids[i]);
        levels.push(term.levels[i]);
      }
    }
    // Keep the impact order: the saved articles' postings are known for certain, so their place is exact.
    var order = ids.map(function (_id, n) { return n; }).sort(function (a, b) {
      return levels[b] - levels[a] || ids[b] - ids[a];
    });
    term.ids = Int32Array.from(order.map(function (n) { return ids[n]; }));
    term.levels = Uint8Array.from(order.map(function (n) { return levels[n]; }));
  };

  /* ---------- Searching ---------- */

  function idf(total, df) {
    return Math.log(1 + (total - df + 0.5) / (df + 0.5));
  }

  // Keys of one kind starting with `start`, with their article counts (from at most SCAN_SHARDS shards).
  Index.prototype.startingWith = function (kind, start) {
    var list = this.manifest[kind];
    var first = Math.max(0, shardFor(list, start));
    var numbers = [];
    for (var n = first; n < list.length && numbers.length < SCAN_SHARDS; n += 1) {
      if (n > first && list[n][0].slice(0, start.length) > start) { break; }
      numbers.push(n);
    }
    var self = this;
    return Promise.all(numbers.map(function (n) { return self.shard(kind, n); })).then(function (shards) {
      var found = [];
      shards.forEach(function (shard) {
        shard.keys.forEach(function (key, i) {
          if (key !== start && key.slice(0, start.length) === start) {
            found.push({ key: key, df: new Reader(shard.bytes, shard.offsets[i]).varint() });
          }
        });
      });
      return found;
    });
  };

  Index.prototype.expansions = function (prefix, previous) {
    // Whole syllables starting with the typed start: first those that follow the syllable before it somewhere
    // ("kinh t" -> "tế"), then the most frequent ones; each list most frequent first.
    var self = this;
    var after = previous ? this.startingWith("pairs", previous + " " + prefix).then(function (found) {
      return found.map(function (f) { return { key: f.key.slice(previous.length + 1), df: f.df }; });
    }) : Promise.resolve([]);
    return Promise.all([after, this.startingWith("syllables", prefix)]).then(function (both) {
      var lists = both.map(function (found, n) {
        if (n === 1 && self.delta) {
          Object.keys(self.delta.docs).forEach(function (id) {
            Object.keys(self.delta.docs[id].syllables).forEach(function (key) {
              if (key !== prefix && key.slice(0, prefix.length) === prefix && !found.some(function (f) { return f.key === key; })) {
                found.push({ key: key, df: 1 });
              }
            });
          });
        }
        return found.sort(function (a, b) { return b.df - a.df || (a.key < b.key ? -1 : 1); });
      });
      // { key, after }: after when the syllable before it is followed by this one somewhere (its pair exists).
      var found = [];
      lists[0].slice(0, EXPANSIONS).forEach(function (f) {
        if (f.key.indexOf(" ") < 0) { found.push({ key: f.key, after: true }); }
      });
      lists[1].forEach(function (f) {
        if (found.length < 2 * EXPANSIONS && !found.some(function (g) { return g.key === f.key; })) {
          found.push({ key: f.key, after: false });
        }
      });
      return found;
    });
  };

  // Everything a query needs, loaded: terms of its syllables, pairs, spellings and phrase positions.
  Index.prototype.prepare = function (query) {
    var self = this;
    var words = [];
    var pairs = [];
    query.clauses.forEach(function (clause, c) {
      clause.words.forEach(function (word, i) {
        words.push({ word: word, phrase: clause.phrase, previous: i > 0 ? clause.words[i - 1].folded : null,
          prefix: query.prefix && c === query.clauses.length - 1 && i === clause.words.length - 1 });
        if (i > 0) {
          pairs.push({ key: clause.words[i - 1].folded + " " + word.folded, required: clause.phrase, clause: c, at: i - 1 });
        }
      });
    });
    var wordTerms = Promise.all(words.map(function (item) {
      var whole = self.term("syllables", item.word.folded);
      if (!item.prefix) {
        return whole.then(function (term) { return { word: item.word, term: term, others: [], phrase: item.phrase }; });
      }
      var found = self.expansions(item.word.folded, item.previous);
      var others = found.then(function (keys) {
        return Promise.all(keys.map(function (f) { return self.term("syllables", f.key); }));
      });
      // The completions that follow the syllable before it ("chuyển đổi s" -> "đổi số"): an adjacency step. Only
      // pairs known to exist are read (their shards were read to find them).
      var after = found.then(function (keys) {
        return Promise.all(keys.filter(function (f) { return f.after; }).map(function (f) {
          return self.term("pairs", item.previous + " " + f.key);
        }));
      });
      return Promise.all([whole, others, after]).then(function (all) {
        return { word: item.word, term: all[0], others: all[1].filter(Boolean), after: all[2].filter(Boolean), prefix: true };
      });
    }));
    var pairTerms = Promise.all(pairs.map(function (pair) {
      // A pair ending with the syllable being typed counts only when that syllable is whole.
      return self.term("pairs", pair.key).then(function (term) { pair.term = term; return pair; });
    }));
    var exactSets = wordTerms.then(function (items) {
      return Promise.all(items.map(function (item) {
        if (!item.word.marked || !item.term) { return null; }
        return self.spelling(item.term, item.word.exact).then(function (set) { item.exact = set; });
      }));
    });
    return Promise.all([wordTerms, pairTerms, exactSets]).then(function (found) {
      var prepared = { words: found[0], pairs: found[1], query: query };
      var phrases = query.clauses.map(function (clause, c) {
        return clause.phrase && clause.words.length > 2 ? c : -1;
      }).filter(function (c) { return c >= 0; });
      return Promise.all(phrases.map(function (c) {
        var mine = prepared.pairs.filter(function (p) { return p.clause === c; });
        if (mine.some(function (p) { return !p.term; })) { return null; }
        return Promise.all(mine.map(function (p) { return self.positions(p.key, p.term); })).then(function (lists) {
          return { clause: c, lists: lists };
        });
      })).then(function (checks) {
        prepared.phrases = checks.filter(Boolean);
        return prepared;
      });
    });
  };

  function allOf(total) {
    var bits = words(total);
    bits.fill(0xffffffff);
    if (total & 31) { bits[bits.length - 1] = (1 << (total & 31)) - 1; }
    return bits;
  }

  function and(into, other) {
    for (var i = 0; i < into.length; i += 1) { into[i] &= other[i]; }
    return into;
  }

  // The articles that match every syllable (and every quoted phrase) of a prepared query.
  Index.prototype.matching = function (prepared) {
    var total = this.total;
    var bits = allOf(total);
    var empty = false;
    prepared.words.forEach(function (item) {
      if (!item.prefix) {
        if (!item.term) { empty = true; } else { and(bits, item.term.set); }
        // Inside quotes, a syllable typed with its marks must be written so: "Đảng ủy" is not "đang ủy".
        if (item.phrase && item.word.marked) {
          if (!item.exact) { empty = true; } else { and(bits, item.exact); }
        }
        return;
      }
      var union = words(total);
      [item.term].concat(item.others).forEach(function (term) {
        if (!term) { return; }
        for (var i = 0; i < union.length; i += 1) { union[i] |= term.set[i]; }
      });
      and(bits, union);
    });
    prepared.pairs.forEach(function (pair) {
      if (!pair.required) { return; }
      if (!pair.term) { empty = true; } else { and(bits, pair.term.set); }
    });
    if (empty) { return words(total); }
    prepared.phrases.forEach(function (check) {
      idsOf(bits).forEach(function (id) {
        var lists = check.lists.map(function (positions) { return positions.get(id) || []; });
        var whole = lists[0].some(function (start) {
          return lists.every(function (list, i) { return list.indexOf(start + i) >= 0; });
        });
        if (!whole) { bits[id >>> 5] &= ~(1 << (id & 31)); }
      });
    });
    return bits;
  };

  Index.prototype.facets = function () {
    if (!this.facetSets) {
      var self = this;
      var manifest = this.manifest;
      this.facetSets = this.file("f/" + manifest.facets.file + ".bin", "bytes").then(function (bytes) {
        var reader = new Reader(bytes, 0);
        var sets = { unit: {}, term: {} };
        ["unit", "term"].forEach(function (name) {
          manifest.facets[name].forEach(function (code) { sets[name][code] = readSet(reader, self.total); });
        });
        sets.year = {};
        manifest.years.forEach(function (row) {
          var bits = words(self.total);
          for (var id = row[1]; id < row[2]; id += 1) { bits[id >>> 5] |= 1 << (id & 31); }
          sets.year[String(row[0])] = bits;
        });
        return sets;
      });
      this.facetSets.catch(function () { self.facetSets = null; });
    }
    return this.facetSets;
  };

  // The set of a filter value (a year needs no file); null when the index does not know the value.
  Index.prototype.filterSet = function (name, value, sets) {
    if (name === "year") {
      var row = this.manifest.years.filter(function (r) { return String(r[0]) === value; })[0];
      if (!row) { return words(this.total); }
      var bits = words(this.total);
      for (var id = row[1]; id < row[2]; id += 1) { bits[id >>> 5] |= 1 << (id & 31); }
      return bits;
    }
    return (sets && sets[name][value]) || words(this.total);
  };

  // Rank the matching articles: { total, page(k) -> ids of the first k }.
  Index.prototype.rank = function (prepared, bits, sort) {
    var self = this;
    var total = popcount(bits);
    var candidates = null;
    function all() {
      if (!candidates) { candidates = idsOf(bits); }
      return candidates;
    }
    if (sort === "date" || !prepared) {
      return {
        total: total,
        page: function (k) { return Promise.resolve(all().slice(-k).reverse()); },
      };
    }
    var scored = this.scoring(prepared);
    return {
      total: total,
      page: function (k) { return self.topK(scored, all(), bits, k); },
    };
  };

  // The terms that score, with integer weights, and the sets that give the tier steps.
  Index.prototype.scoring = function (prepared) {
    var total = this.total;
    var terms = [];
    var steps = [];
    prepared.words.forEach(function (item) {
      if (item.term) {
        terms.push({ term: item.term, weight: Math.round(1000 * idf(total, item.term.df || 1)) });
        if (item.exact) { steps.push({ set: item.exact, size: 1 }); }
        if (item.prefix) { steps.push({ set: item.term.set, size: WHOLE }); }
      }
      if (item.after && item.after.length) {
        var adjacent = words(total);
        item.after.forEach(function (pair) {
          for (var i = 0; i < adjacent.length; i += 1) { adjacent[i] |= pair.set[i]; }
        });
        steps.push({ set: adjacent, size: 1 });
      }
    });
    prepared.pairs.forEach(function (pair) {
      if (!pair.term) { return; }
      terms.push({ term: pair.term, weight: Math.round(1000 * idf(total, pair.term.df || 1)) });
      if (!pair.required) { steps.push({ set: pair.term.set, size: 1 }); }
    });
    return { terms: terms, steps: steps };
  };

  function better(scoreA, idA, scoreB, idB) {
    return scoreA > scoreB || (scoreA === scoreB && idA > idB);
  }

  // Scratch arrays indexed by article id, reused from query to query.
  Index.prototype.scratch = function () {
    if (!this.buffers) {
      this.buffers = { tier: new Float64Array(this.total), low: new Float64Array(this.total), high: new Float64Array(this.total) };
    }
    return this.buffers;
  };

  // Top k by (tier, impacts, newest): from the heads of the postings when they settle it, else with the tails.
  Index.prototype.topK = function (scored, candidates, bits, k) {
    var self = this;
    var n = candidates.length;
    var buffers = this.scratch();
    var tier = buffers.tier;
    var low = buffers.low;
    var high = buffers.high;
    var i, id;
    for (i = 0; i < n; i += 1) {
      id = candidates[i];
      tier[id] = 0;
      low[id] = 0;
      high[id] = 0;
    }
    scored.steps.forEach(function (step) {
      for (var s = 0; s < n; s += 1) {
        if (has(step.set, candidates[s])) { tier[candidates[s]] += step.size; }
      }
    });
    var open = [];
    var seen = null;
    scored.terms.forEach(function (entry) {
      var term = entry.term;
      var weight = entry.weight;
      if (!term.complete) {
        seen = seen || words(self.total);
        seen.fill(0);
      }
      for (var p = 0; p < term.ids.length; p += 1) {
        var at = term.ids[p];
        if (has(bits, at)) {
          low[at] += weight * term.levels[p];
          if (!term.complete) { seen[at >>> 5] |= 1 << (at & 31); }
        }
      }
      if (term.complete) { return; }
      var bound = term.levels.length ? term.levels[term.levels.length - 1] : 1;
      var uncertain = false;
      for (var c = 0; c < n; c += 1) {
        var doc = candidates[c];
        if (!has(seen, doc) && has(term.set, doc)) {
          low[doc] += weight;  // every posting has an impact of at least 1
          high[doc] += weight * (bound - 1);
          uncertain = true;
        }
      }
      if (uncertain) { open.push({ term: term, doubt: weight * (bound - 1) }); }
    });
    // The k best by lower bound (tier first, newest first on a tie).
    var best = [];
    for (i = 0; i < n; i += 1) {
      id = candidates[i];
      var score = tier[id] * STEP + low[id];
      var size = best.length;
      if (size < k || better(score, id, best[size - 1][0], best[size - 1][1])) {
        var place = size;
        while (place > 0 && better(score, id, best[place - 1][0], best[place - 1][1])) { place -= 1; }
        best.splice(place, 0, [score, id]);
        if (best.length > k) { best.pop(); }
      }
    }
    if (open.length && best.length) {
      // Settled when no article's upper bound can pass one of the k above it.
      var kth = best[best.length - 1];
      var contenders = [];
      for (i = 0; i < n; i += 1) {
        id = candidates[i];
        var lower = tier[id] * STEP + low[id];
        var upper = lower + high[id];
        if (!better(kth[0], kth[1], upper, id)) { contenders.push([lower, upper, id]); }
      }
      contenders.sort(function (a, b) { return b[0] - a[0] || b[2] - a[2]; });
      var topScore = -1;
      var topId = -1;
      for (var c2 = contenders.length - 1; c2 >= 0; c2 -= 1) {
        var row = contenders[c2];
        if (c2 < k && topScore >= 0 && !better(row[0], row[2], topScore, topId)) {
          // Not settled: read the rest of the lists that leave doubt (all at once: one round trip), then rank again.
          return Promise.all(open.map(function (entry) { return self.complete(entry.term); })).then(function () {
            return self.topK(scored, candidates, bits, k);
          });
        }
        if (better(row[1], row[2], topScore, topId)) {
          topScore = row[1];
          topId = row[2];
        }
      }
    }
    return Promise.resolve(best.map(function (item) { return item[1]; }));
  };

  /* ---------- Articles ---------- */

  Index.prototype.documents = function (ids) {
    var self = this;
    var size = this.manifest.docs.size;
    return Promise.all(ids.map(function (id) {
      if (self.delta && self.delta.docs[id]) {
        var saved = self.delta.docs[id];
        return Promise.resolve(record(id, saved.meta.concat([saved.text])));
      }
      var chunk = Math.floor(id / size);
      return self.file("d/" + self.manifest.docs.folder + "/" + chunk + ".json", "json").then(function (rows) {
        return record(id, rows[id - chunk * size]);
      });
    }));
  };

  function record(id, row) {
    return { id: id, url: row[0], title: row[1], date: row[2], iso: row[3], units: row[4], text: row[5] };
  }

  /* ---------- Excerpts ---------- */

  var EXCERPT_WORDS = 30;

  // Around the passage with the most query words: [{ text, mark }] pieces, "…" where the text is cut.
  // words: the folded syllables to mark (a search's `words`: the query's, and those its last one stood for
  // while it was being typed); by default the query's own.
  function excerpt(text, query, words, size) {
    size = size || EXCERPT_WORDS;
    var wanted = {};
    (words || []).forEach(function (word) { wanted[word] = true; });
    (query ? query.clauses : []).forEach(function (clause) {
      clause.words.forEach(function (word) { wanted[word.folded] = true; });
    });
    var tokens = [];
    var source = String(text || "").normalize("NFC");
    var match;
    SYLLABLE.lastIndex = 0;
    while ((match = SYLLABLE.exec(source)) !== null) {
      var folded = forms(match[0])[1];
      var hit = wanted[folded] === true;
      tokens.push({ start: match.index, end: match.index + match[0].length, folded: folded, hit: hit });
    }
    if (!tokens.length) { return [{ text: source, mark: false }]; }
    var start = 0;
    var bestScore = -1;
    for (var i = 0; i < tokens.length; i += 1) {
      if (!tokens[i].hit) { continue; }
      var distinct = {};
      var count = 0;
      for (var j = i; j < Math.min(tokens.length, i + size); j += 1) {
        if (tokens[j].hit) { count += 1; distinct[tokens[j].folded] = true; }
      }
      var score = Object.keys(distinct).length * 100 + count;
      if (score > bestScore) { bestScore = score; start = i; }
    }
    if (bestScore >= 0 && start > 0) {
      start = Math.max(0, start - Math.floor(size / 4));  // a little of what comes before the first match
    }
    var end = Math.min(tokens.length, start + size);
    var pieces = [];
    var from = start === 0 ? 0 : tokens[start].start;
    if (start > 0) { pieces.push({ text: "…", mark: false }); }
    var cursor = from;
    for (var t = start; t < end; t += 1) {
      if (!tokens[t].hit) { continue; }
      var last = t;
      while (last + 1 < end && tokens[last + 1].hit && /^ +$/.test(source.slice(tokens[last].end, tokens[last + 1].start))) {
        last += 1;
      }
      if (tokens[t].start > cursor) { pieces.push({ text: source.slice(cursor, tokens[t].start), mark: false }); }
      pieces.push({ text: source.slice(tokens[t].start, tokens[last].end), mark: true });
      cursor = tokens[last].end;
      t = last;
    }
    var stop = end < tokens.length ? tokens[end - 1].end : source.length;
    if (stop > cursor) { pieces.push({ text: source.slice(cursor, stop), mark: false }); }
    if (end < tokens.length) { pieces.push({ text: " …", mark: false }); }
    return pieces.map(function (piece) { return { text: piece.text.replace(/\n/g, " "), mark: piece.mark }; });
  }

  /* ---------- Opening an index ---------- */

  // search({ text, typing, filters: { unit, term, year }, sort, counts, exhaustive }) -> Promise of
  // { total, page(k) -> Promise of ids, counts (when asked: { unit: { code: n }, term: ..., year: ... }),
  // words (the folded syllables found: the query's, and those the syllable being typed stood for) }.
  Index.prototype.search = function (options) {
    var self = this;
    var query = options.text ? parseQuery(options.text, options.typing) : null;
    var filters = options.filters || {};
    var active = Object.keys(filters).filter(function (name) { return filters[name]; });
    var needFacets = options.counts || active.some(function (name) { return name !== "year"; });
    var prepare = query ? this.prepare(query) : null;
    if (prepare && options.exhaustive) {  // every posting of every term, not only the heads (for checking)
      prepare = prepare.then(function (prepared) {
        var terms = prepared.words.map(function (w) { return w.term; }).concat(prepared.pairs.map(function (p) { return p.term; }));
        return Promise.all(terms.filter(Boolean).map(function (term) { return self.complete(term); })).then(function () { return prepared; });
      });
    }
    var ready = Promise.all([prepare, needFacets ? this.facets() : null]);
    return ready.then(function (found) {
      var prepared = found[0];
      var sets = found[1];
      var base = prepared ? self.matching(prepared) : allOf(self.total);
      var bits = base.slice();
      active.forEach(function (name) { and(bits, self.filterSet(name, filters[name], sets)); });
      var ranked = self.rank(prepared, bits, options.sort);
      ranked.counts = options.counts ? self.counts(base, filters, sets) : null;
      ranked.words = [];
      (prepared ? prepared.words : []).forEach(function (item) {
        if (item.term) { ranked.words.push(item.word.folded); }
        (item.others || []).forEach(function (term) { ranked.words.push(term.key); });
      });
      return ranked;
    });
  };

  // For each facet, how many articles each value would give: the other filters applied, not its own.
  Index.prototype.counts = function (base, filters, sets) {
    var self = this;
    var result = {};
    ["unit", "term", "year"].forEach(function (name) {
      var bits = base.slice();
      Object.keys(filters).forEach(function (other) {
        if (other !== name && filters[other]) { and(bits, self.filterSet(other, filters[other], sets)); }
      });
      result[name] = {};
      Object.keys(sets[name]).forEach(function (value) {
        var count = 0;
        var set = sets[name][value];
        for (var i = 0; i < bits.length; i += 1) {
          var v = bits[i] & set[i];
          v -= (v >>> 1) & 0x55555555;
          v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
          count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
        }
        result[name][value] = count;
      });
    });
    return result;
  };

  // Open the index at a base address. load(path, kind) fetches a file ("bytes", "json"); by default fetch().
  function open(base, load) {
    load = load || function (path, kind) {
      // The manifest (and the preview's delta) can change under the same name, within the second a server's
      // Last-Modified can tell apart: always fetched whole. Every other file is named by its content.
      var fresh = path === "manifest.json" || path.indexOf("delta-") === 0;
      return fetch(base + path, fresh ? { cache: "no-store" } : {}).then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + path); }
        return kind === "json" ? response.json() : response.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
    };
    return load("manifest.json", "json").then(function (manifest) {
      var index = new Index(manifest, load);
      if (!manifest.delta) { return index; }
      return load(manifest.delta, "json").then(function (delta) {
        index.delta = delta;
        return index;
      });
    });
  }

  return {
    open: open,
    parseQuery: parseQuery,
    normalise: normalise,
    forms: forms,
    excerpt: excerpt,
    Index: Index,
  };
}));
