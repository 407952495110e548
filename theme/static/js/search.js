/* Vietnamese search for /tim-kiem/ on top of Pagefind's JS API (no stock UI, no framework).
 *
 * The index holds a transformed copy of each article (see the bulletin plugin's search.py): NFC text,
 * one tone placement for open oa/oe/uy syllables, and every đ written as ď (a letter Vietnamese never
 * uses, which Pagefind folds to d), so "dang" finds "Đảng" and the exact spelling still ranks first.
 * The query gets the same transform here, and ď is turned back into đ before anything is shown.
 * Every string shown comes from data-msg-* attributes of the page; reader input is only ever set
 * through textContent or form values.
 */
(function () {
  "use strict";

  var root = document.getElementById("trang-tim-kiem");
  if (!root || !window.URLSearchParams || !window.history || !history.replaceState) {
    return;
  }

  var TONES = "\u0300\u0309\u0303\u0301\u0323";
  var CONSONANTS = "bcdđghklmnpqrstvx";
  var OPEN_PAIRS = ["oa", "oe", "uy"];
  var FACETS = ["unit", "term", "year"];
  var PAGE_SIZE = 10;
  var FIRST_BATCH = 5;
  var DEBOUNCE_MS = 250;
  var RANKING = { termSimilarity: 5.0, diacriticSimilarity: 8.0 };  // exact spelling well above folded and prefix matches
  var SHOWN_QUERY = 80;  // characters of the query repeated in the status

  var form = document.getElementById("form-tim-kiem");
  var input = document.getElementById("tu-khoa");
  var status = root.querySelector("[data-search-status]");
  var printFilters = root.querySelector("[data-search-filters]");
  var list = root.querySelector("[data-search-list]");
  var moreWrap = root.querySelector("[data-search-more-wrap]");
  var moreButton = root.querySelector("[data-search-more]");
  var sortSelect = root.querySelector("[data-sort]");
  var selects = {};
  FACETS.forEach(function (name) {
    selects[name] = root.querySelector('select[data-facet="' + name + '"]');
  });

  /* ---------- Vietnamese text: the same rules as text.canon() and search.index_text() ---------- */

  function isMark(ch) {
    return /\p{M}/u.test(ch);
  }

  function canonWord(word) {
    var chars = Array.from(word.normalize("NFD"));
    var tones = chars.filter(function (ch) { return TONES.indexOf(ch) >= 0; });
    if (tones.length !== 1) {
      return word;
    }
    var bare = chars.filter(function (ch) { return TONES.indexOf(ch) < 0; });
    var lower = bare.join("").toLowerCase();
    if (lower.length < 2 || OPEN_PAIRS.indexOf(lower.slice(-2)) < 0) {
      return word;
    }
    var onset = lower.slice(0, -2);
    if (onset === "q" || Array.from(onset).some(function (ch) { return CONSONANTS.indexOf(ch) < 0; })) {
      return word;
    }
    var bases = [];
    bare.forEach(function (ch, i) { if (!isMark(ch)) { bases.push(i); } });
    var at = bases[bases.length - 2] + 1;
    while (at < bare.length && isMark(bare[at])) {
      at += 1;
    }
    return bare.slice(0, at).concat(tones[0], bare.slice(at)).join("").normalize("NFC");
  }

  function canon(text) {
    // Ð/ð (eth, from old encodings) stand for Đ/đ, as in text.canon().
    return text.normalize("NFC").replace(/Ð/g, "Đ").replace(/ð/g, "đ").replace(/\p{L}+/gu, canonWord);
  }

  function indexText(text) {
    return canon(text).replace(/đ/g, "\u010f").replace(/Đ/g, "\u010e");
  }

  function unmark(text) {
    return String(text || "").replace(/\u010f/g, "đ").replace(/\u010e/g, "Đ");
  }

  function prepareQuery(text) {
    var query = indexText(text.replace(/[\u201c\u201d\u201e]/g, '"')).trim();
    return /[\p{L}\p{N}]/u.test(query) ? query : "";  // only marks, punctuation or emoji: no query
  }

  // The words the reader wrote with marks or đ: their exact spelling ranks first.
  function markedWords(term) {
    return term.replace(/"/g, " ").split(/\s+/).filter(function (word) { return /[^\x00-\x7f]/.test(word); });
  }

  function shownQuery(text) {
    var query = text.trim().replace(/^["\u201c\u201d\u201e](.*)["\u201c\u201d\u201e]$/, "$1").trim();
    var chars = Array.from(query);
    return chars.length > SHOWN_QUERY ? chars.slice(0, SHOWN_QUERY).join("") + "…" : query;
  }

  /* ---------- Messages from the template ---------- */

  function message(name, values) {
    var text = root.getAttribute("data-msg-" + name) || "";
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values || {}, key) ? String(values[key]) : whole;
    });
  }

  function formatNumber(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  /* ---------- State <-> URL <-> form ---------- */

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") === "date" ? "date" : "" };
    FACETS.forEach(function (name) { state[name] = params.get(name) || ""; });
    return state;
  }

  function readForm() {
    var state = { q: input.value, sort: sortSelect.value };
    FACETS.forEach(function (name) { state[name] = selects[name].value; });
    return state;
  }

  // A filter value from the URL as the page lists it: 2020–2025 and "2020 - 2025" are the term 2020-2025.
  function listedValue(name, value) {
    return name === "term" ? value.replace(/\s*[\u2010-\u2015\u2212-]\s*/g, "-").trim() : value.trim();
  }

  // Fill the form from a state; return a notice naming the filter values the page does not list (dropped).
  function fillForm(state) {
    var unknown = [];
    input.value = state.q;
    sortSelect.value = state.sort;
    FACETS.forEach(function (name) {
      var select = selects[name];
      select.value = listedValue(name, state[name]);
      if (state[name] && select.value !== listedValue(name, state[name])) {
        select.value = "";
        unknown.push(message("unknown-filter", { facet: facetName(name), value: state[name] }));
      }
    });
    return unknown.join(" ");
  }

  function facetName(name) {
    var label = root.querySelector('label[for="' + selects[name].id + '"]');
    return label ? label.textContent.trim().toLowerCase() : name;
  }

  function urlOf(state) {
    var params = new URLSearchParams();
    if (state.q.trim()) { params.set("q", state.q.trim()); }
    FACETS.forEach(function (name) { if (state[name]) { params.set(name, state[name]); } });
    if (state.sort) { params.set("sort", state.sort); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  // History: a search the reader commits (a filter, the sort, Enter) is a step Back returns to; typing adds
  // one step for the whole query being typed (Enter right after it finishes that step); the first search and
  // Back/Forward themselves add none.
  var lastStep = "load";
  var lastState = null;

  function onlyQueryChanged(state) {
    return Boolean(lastState) && state.sort === lastState.sort &&
      FACETS.every(function (name) { return state[name] === lastState[name]; });
  }

  function writeUrl(state, how) {
    var url = urlOf(state);
    var here = window.location.pathname + window.location.search + window.location.hash;
    var typing = lastStep === "type" && onlyQueryChanged(state);
    var push = how === "type" ? lastStep !== "type" : how === "commit" && !typing;
    if (how !== "pop" && url !== here) {
      if (push) { history.pushState(null, "", url); } else { history.replaceState(null, "", url); }
    }
    lastStep = how;
    lastState = state;
  }

  function describeFilters(state) {
    var parts = [];
    FACETS.forEach(function (name) {
      var option = Array.prototype.find.call(selects[name].options, function (o) { return o.value && o.value === state[name]; });
      if (option) { parts.push(facetName(name) + ": " + (option.getAttribute("data-label") || option.value).trim()); }
    });
    if (state.sort) { parts.push(sortSelect.options[sortSelect.selectedIndex].textContent.trim().toLowerCase()); }
    return parts.length ? message("filters", { list: parts.join("; ") }) : "";
  }

  /* ---------- Pagefind ---------- */

  var enginePromise = null;

  function engine() {
    if (!enginePromise) {
      var bundle = root.getAttribute("data-bundle") || "/pagefind/";
      enginePromise = import(bundle + "pagefind.js").then(function (pagefind) {
        // noWorker: Pagefind's worker file is 43 KB more to fetch, and each query would cross a message channel.
        // init() makes the instance now: an options() call before it would replace these options, not add to them.
        return pagefind.options({ ranking: RANKING, noWorker: true, exactDiacritics: false }).then(function () {
          return pagefind.init();
        }).then(function () { return pagefind; });
      });
    }
    return enginePromise;
  }

  // Every Pagefind search goes through here, one at a time: the exact-spelling search switches an option of
  // the whole engine for its duration.
  var queue = Promise.resolve();

  function find(pagefind, term, options, exact) {
    var run = queue.then(function () {
      return pagefind.options({ exactDiacritics: Boolean(exact) }).then(function () {
        return pagefind.search(term, options);
      });
    });
    queue = run.catch(function () {});
    return run;
  }

  // Pages with the exact spelling of the words the reader marked come first ("đang" before "Đảng" for the
  // query "đang"), each group in Pagefind's order. A quoted phrase is matched exactly as a whole.
  function exactFirst(pagefind, term, options, main) {
    var words = term ? markedWords(term) : [];
    if (!main || options.sort || main.results.length < 2 || !words.length) {
      return Promise.resolve(main);
    }
    var exactTerm = /^\s*".+"\s*$/.test(term) ? term : words.join(" ");
    return find(pagefind, exactTerm, { filters: options.filters }, true).then(function (exact) {
      if (!exact || !exact.results.length || exact.results.length >= main.results.length) {
        return main;
      }
      var first = {};
      exact.results.forEach(function (result) { first[result.id] = true; });
      var ranked = main.results.filter(function (r) { return first[r.id]; })
        .concat(main.results.filter(function (r) { return !first[r.id]; }));
      return { results: ranked, filters: main.filters };
    });
  }

  function activeFilters(state, skip) {
    var filters = {};
    FACETS.forEach(function (name) {
      if (state[name] && name !== skip) { filters[name] = state[name]; }
    });
    return filters;
  }

  // Facet counts need Pagefind's filter index (about 100 KB at 10,000 articles). It is fetched only once
  // the reader reaches for the facets (hover, touch, focus) or a filter is in use; until then the
  // options show their names without counts.
  var countsWanted = false;
  var filtersPromise = null;

  function loadFilters(pagefind) {
    if (!filtersPromise) {
      filtersPromise = pagefind.filters();
    }
    return filtersPromise;
  }

  function searchOptions(state) {
    var options = { filters: activeFilters(state) };
    if (state.sort === "date" || !prepareQuery(state.q)) {
      options.sort = { date: "desc" };
    }
    return options;
  }

  function facetCounts(pagefind, state, main) {
    // A facet in use is counted from the search without it, so its other values stay visible.
    // One search at a time: Pagefind answers an overtaken search with null.
    var term = prepareQuery(state.q) || null;
    var counts = {};
    FACETS.forEach(function (name) { counts[name] = (main.filters || {})[name] || {}; });
    var chain = Promise.resolve();
    Object.keys(activeFilters(state)).forEach(function (name) {
      chain = chain.then(function () {
        return find(pagefind, term, { filters: activeFilters(state, name) });
      }).then(function (other) {
        counts[name] = (other && other.filters && other.filters[name]) || {};
      });
    });
    return chain.then(function () { return counts; });
  }

  function runSearch(pagefind, state) {
    var term = prepareQuery(state.q) || null;
    var withCounts = countsWanted || Object.keys(activeFilters(state)).length > 0;
    var ready = withCounts ? loadFilters(pagefind) : Promise.resolve();
    var options = searchOptions(state);
    return ready.then(function () {
      return find(pagefind, term, options);
    }).then(function (main) {
      return exactFirst(pagefind, term, options, main);
    }).then(function (main) {
      if (!main) { return null; }
      if (!withCounts) { return { results: main.results, counts: null }; }
      return facetCounts(pagefind, state, main).then(function (counts) {
        return { results: main.results, counts: counts };
      });
    });
  }

  function wantCounts() {
    if (countsWanted) { return; }
    countsWanted = true;
    var mine = generation;
    var state = readForm();
    engine().then(function (pagefind) {
      return loadFilters(pagefind).then(function (totals) {
        if (isEmpty(state)) { return totals; }
        return find(pagefind, prepareQuery(state.q) || null, searchOptions(state)).then(function (main) {
          return main ? facetCounts(pagefind, state, main) : null;
        });
      });
    }).then(function (counts) {
      if (counts && mine === generation) { showCounts(counts); }
    }).catch(function () { countsWanted = false; });
  }

  /* ---------- Rendering (DOM + textContent only) ---------- */

  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

  function decodeEntities(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (whole, name) {
      if (name.charAt(0) === "#") {
        var code = name.charAt(1).toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name) ? ENTITIES[name] : whole;
    });
  }

  function appendExcerpt(target, excerpt) {
    // Pagefind's excerpt is escaped text with <mark> around matched words: split on those tags only.
    var parts = String(excerpt || "").split(/<mark>|<\/mark>/);
    parts.forEach(function (part, i) {
      var text = unmark(decodeEntities(part.replace(/<[^>]*>/g, "")));
      if (!text) { return; }
      if (i % 2 === 1) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(text));
      }
    });
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h3");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = unmark(meta.title || data.url);
    heading.appendChild(link);
    item.appendChild(heading);
    var info = document.createElement("p");
    info.className = "search-result-meta";
    if (meta.date) {
      var date = document.createElement("span");
      date.className = "search-result-date";
      date.textContent = meta.date;
      info.appendChild(date);
    }
    if (meta.units) {
      var units = document.createElement("span");
      units.className = "search-result-units";
      units.textContent = message("units") + unmark(meta.units);
      info.appendChild(units);
    }
    item.appendChild(info);
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    appendExcerpt(excerpt, data.excerpt);
    item.appendChild(excerpt);
    return item;
  }

  function showCounts(counts) {
    FACETS.forEach(function (name) {
      var values = counts ? counts[name] : null;
      Array.prototype.forEach.call(selects[name].options, function (option) {
        if (!option.value) { return; }
        var label = option.getAttribute("data-label") || option.value;
        var n = values ? values[option.value] || 0 : null;
        option.textContent = label + (n === null ? "" : message("count", { n: formatNumber(n) }));
      });
    });
  }

  /* ---------- The search loop ---------- */

  var generation = 0;   // only the newest search may draw (debounce by counter)
  var current = { results: [], shown: 0, state: null, total: 0 };
  var timer = null;

  function setStatus(text) {
    status.textContent = text;
  }

  function clearResults() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    list.removeAttribute("aria-busy");
    moreWrap.hidden = true;
  }

  function isEmpty(state) {
    return !prepareQuery(state.q) && !FACETS.some(function (name) { return state[name]; });
  }

  function summary(shown) {
    var q = prepareQuery(current.state.q) ? shownQuery(current.state.q) : "";
    var values = { n: formatNumber(current.total), q: q, shown: formatNumber(shown) };
    var hasQuery = Boolean(values.q);
    if (!current.total) {
      return message(hasQuery ? "empty-query" : "empty", values);
    }
    var text = message(hasQuery ? "found-query" : "found", values);
    return shown < current.total ? text + " " + message("shown", values) : text;
  }

  function showMore(mine) {
    // All fragments of the page are requested at once; the first few are drawn as soon as they arrive.
    var slice = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    var end = current.shown + slice.length;
    var loads = slice.map(function (result) { return result.data(); });
    loads.forEach(function (load) { load.catch(function () {}); });  // a failure is handled once, below
    function append(pages) {
      if (mine !== generation) { return false; }
      pages.forEach(function (data) { list.appendChild(resultItem(data)); });
      current.shown += pages.length;
      return true;
    }
    function settle() {
      if (mine !== generation) { return; }
      list.removeAttribute("aria-busy");
      moreWrap.hidden = current.shown >= current.total;
    }
    list.setAttribute("aria-busy", "true");
    moreWrap.hidden = true;
    return Promise.all(loads.slice(0, FIRST_BATCH)).then(function (pages) {
      if (!append(pages)) { return; }
      setStatus(summary(end) + (notice ? " " + notice : ""));  // announced once, with the number about to be shown
      notice = "";
      return Promise.all(loads.slice(FIRST_BATCH)).then(append);
    }).then(settle, function (error) {
      settle();
      throw error;
    });
  }

  var notice = "";  // filters of the URL the page does not list, said with the first outcome

  function search(state, how) {
    var mine = ++generation;
    writeUrl(state, how || "commit");
    if (printFilters) { printFilters.textContent = describeFilters(state); }
    if (isEmpty(state)) {
      clearResults();
      showCounts(null);
      if (filtersPromise) {  // browsing with no query: the counts are the totals
        filtersPromise.then(function (totals) { if (mine === generation) { showCounts(totals); } });
      }
      setStatus(message("idle") + (notice ? " " + notice : ""));
      notice = "";
      return Promise.resolve();
    }
    setStatus(message("loading"));
    return engine().then(function (pagefind) {
      return runSearch(pagefind, state);
    }).then(function (found) {
      if (mine !== generation || !found) { return; }
      clearResults();
      current = { results: found.results, shown: 0, state: state, total: found.results.length };
      showCounts(found.counts);
      return showMore(mine);
    }).catch(function () {
      if (mine === generation) {
        clearResults();
        setStatus(message("error"));
      }
    });
  }

  function searchSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(readForm(), "type"); }, DEBOUNCE_MS);
  }

  function searchNow() {
    window.clearTimeout(timer);
    return search(readForm());
  }

  input.addEventListener("input", searchSoon);
  var facetsBox = root.querySelector(".search-facets");
  ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
    facetsBox.addEventListener(type, wantCounts, { passive: true });
  });
  FACETS.forEach(function (name) { selects[name].addEventListener("change", searchNow); });
  sortSelect.addEventListener("change", searchNow);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    searchNow();
  });
  moreButton.addEventListener("click", function () {
    if (list.hasAttribute("aria-busy")) { return; }  // a second press while the next results load
    var firstNew = current.shown;
    var mine = generation;
    showMore(mine).then(function () {
      var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      if (link) { link.focus(); }
    }).catch(function () {
      if (mine === generation) { setStatus(message("error-more")); }
    });
  });
  window.addEventListener("popstate", function () {
    window.clearTimeout(timer);
    notice = fillForm(readUrl());
    search(readForm(), "pop");
  });

  notice = fillForm(readUrl());
  search(readForm(), "load");
})();
