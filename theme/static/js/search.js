/* The search page (/tim-kiem/): the form, the filters and the results, on the bulletin's own engine
 * (search-engine.js, loaded before this file).
 *
 * The URL and the form follow each other both ways; a search the reader commits is a step of the history.
 * Every string shown comes from data-msg-* attributes of the page; what a reader typed or an article holds is
 * only ever set through textContent or form values.
 */
(function () {
  "use strict";

  var root = document.getElementById("trang-tim-kiem");
  var engine = window.BulletinSearch;
  if (!root || !engine || !window.URLSearchParams || !window.history || !history.replaceState || !window.fetch) {
    return;
  }

  var FACETS = ["unit", "term", "year"];
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 40;  // only coalesces a burst of input events: a search takes a few milliseconds
  var SHOWN_QUERY = 80;  // characters of the query repeated in the status
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;

  var form = document.getElementById("form-tim-kiem");
  var input = document.getElementById("tu-khoa");
  var status = root.querySelector("[data-search-status]");
  var printFilters = root.querySelector("[data-search-filters]");
  var list = root.querySelector("[data-search-list]");
  var moreWrap = root.querySelector("[data-search-more-wrap]");
  var moreButton = root.querySelector("[data-search-more]");
  var sortSelect = root.querySelector("[data-sort]");
  var facetsBox = root.querySelector(".search-facets");
  var toggleWrap = root.querySelector("[data-filter-toggle-wrap]");
  var toggle = root.querySelector("[data-filter-toggle]");
  var base = root.getAttribute("data-base") || "/";
  var selects = {};
  FACETS.forEach(function (name) {
    selects[name] = root.querySelector('select[data-facet="' + name + '"]');
  });

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

  function hasQuery(text) {
    return engine.parseQuery(text, false) !== null;  // only marks, punctuation or emoji: no query
  }

  function shownQuery(text) {
    var query = text.trim().replace(/^["\u201c\u201d\u201e](.*)["\u201c\u201d\u201e]$/, "$1").trim();
    var chars = Array.from(query);
    return chars.length > SHOWN_QUERY ? chars.slice(0, SHOWN_QUERY).join("") + "…" : query;
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
    showToggle();
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

  function activeFilters(state) {
    var filters = {};
    FACETS.forEach(function (name) { if (state[name]) { filters[name] = state[name]; } });
    return filters;
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

  /* ---------- The filters, folded behind a button on a narrow screen ---------- */

  function showToggle() {
    var used = FACETS.filter(function (name) { return selects[name].value; }).length;
    toggle.textContent = message("filter-toggle") + (used ? message("count", { n: used }) : "");
  }

  function setExpanded(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("search-filters-open", open);
  }

  toggleWrap.hidden = false;
  root.classList.add("search-filters-folding");
  setExpanded(false);
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    setExpanded(open);
    if (open) { wantCounts(); }
  });

  /* ---------- The index ---------- */

  var indexPromise = null;
  var indexLive = false;

  function index() {
    if (!indexPromise) {
      indexPromise = engine.open(root.getAttribute("data-index") || "/tim-kiem/chi-muc/").then(function (opened) {
        indexLive = Boolean(opened.manifest.live);
        return opened;
      });
      indexPromise.catch(function () { indexPromise = null; });
    }
    // The live preview updates the index after each save: look at its manifest again before each search.
    if (indexLive) {
      var previous = indexPromise;
      indexPromise = previous.then(function (opened) {
        return engine.open(root.getAttribute("data-index")).then(function (fresh) {
          return fresh.manifest.delta === opened.manifest.delta && fresh.manifest.docs.folder === opened.manifest.docs.folder ? opened : fresh;
        }, function () { return opened; });
      });
    }
    return indexPromise;
  }

  /* ---------- Rendering (DOM + textContent only) ---------- */

  function resultItem(doc, query) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h3");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.href = base + doc.url;
    link.textContent = doc.title;
    heading.appendChild(link);
    item.appendChild(heading);
    var info = document.createElement("p");
    info.className = "search-result-meta";
    var date = document.createElement("time");
    date.className = "search-result-date";
    date.dateTime = doc.iso;
    date.textContent = doc.date;
    info.appendChild(date);
    if (doc.units) {
      var units = document.createElement("span");
      units.className = "search-result-units";
      units.textContent = message("units") + doc.units;
      info.appendChild(units);
    }
    item.appendChild(info);
    var excerpt = document.createElement("p");
    excerpt.className = "search-result-excerpt";
    engine.excerpt(doc.text, query, current.found ? current.found.words : null).forEach(function (piece) {
      if (piece.mark) {
        var mark = document.createElement("mark");
        mark.textContent = piece.text;
        excerpt.appendChild(mark);
      } else {
        excerpt.appendChild(document.createTextNode(piece.text));
      }
    });
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

  var generation = 0;  // only the newest search may draw
  var current = { found: null, shown: 0, state: null, query: null };
  var countsWanted = false;
  var notice = "";  // filters of the URL the page does not list, said with the first outcome
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
    return !hasQuery(state.q) && !FACETS.some(function (name) { return state[name]; });
  }

  function summary(shown) {
    var total = current.found.total;
    var q = hasQuery(current.state.q) ? shownQuery(current.state.q) : "";
    var values = { n: formatNumber(total), q: q, shown: formatNumber(shown) };
    if (!total) {
      return message(q ? "empty-query" : "empty", values);
    }
    var text = message(q ? "found-query" : "found", values);
    return shown < total ? text + " " + message("shown", values) : text;
  }

  function showMore(mine, opened) {
    var wanted = Math.min(current.found.total, current.shown + PAGE_SIZE);
    list.setAttribute("aria-busy", "true");
    moreWrap.hidden = true;
    return current.found.page(wanted).then(function (ids) {
      return opened.documents(ids.slice(current.shown));
    }).then(function (docs) {
      if (mine !== generation) { return false; }
      docs.forEach(function (doc) { list.appendChild(resultItem(doc, current.query)); });
      current.shown += docs.length;
      list.removeAttribute("aria-busy");
      moreWrap.hidden = current.shown >= current.found.total;
      return true;
    }, function (error) {
      if (mine === generation) {
        list.removeAttribute("aria-busy");
        moreWrap.hidden = current.shown >= current.found.total;
      }
      throw error;
    });
  }

  function search(state, how) {
    var mine = ++generation;
    writeUrl(state, how || "commit");
    showToggle();
    if (printFilters) { printFilters.textContent = describeFilters(state); }
    if (isEmpty(state)) {
      clearResults();
      setStatus(message("idle") + (notice ? " " + notice : ""));
      notice = "";
      if (countsWanted) {
        index().then(function (opened) { return opened.search({ counts: true }); }).then(function (found) {
          if (mine === generation) { showCounts(found.counts); }
        }).catch(function () {});
      } else {
        showCounts(null);
      }
      return Promise.resolve(false);
    }
    var filters = activeFilters(state);
    var withCounts = countsWanted || Object.keys(filters).length > 0;
    countsWanted = withCounts;
    var typing = how === "type";
    var query = engine.parseQuery(state.q, typing);
    var opened;
    list.setAttribute("aria-busy", "true");  // until this search's results replace the list
    if (!list.firstChild) { setStatus(message("loading")); }
    function run() {
      return opened.search({ text: state.q, typing: typing, filters: filters, sort: state.sort, counts: withCounts });
    }
    return index().then(function (found) {
      opened = found;
      return run();
    }).then(function (found) {
      // The address is written while the reader types, so one read from it (a shared link, a reload, Back) may end
      // with a syllable typed only in part: when nothing matches it whole, the search the reader saw is made again.
      var fromAddress = how === "load" || how === "pop";
      var partial = fromAddress && found.total === 0 && engine.parseQuery(state.q, true);
      if (!partial || !partial.prefix) { return found; }
      typing = true;
      query = partial;
      return run();
    }).then(function (found) {
      if (mine !== generation) { return false; }
      current = { found: found, shown: 0, state: state, query: query };
      showCounts(found.counts);
      var rows = Math.min(found.total, PAGE_SIZE);
      return found.page(rows).then(function (ids) { return opened.documents(ids); }).then(function (docs) {
        if (mine !== generation) { return false; }
        clearResults();
        docs.forEach(function (doc) { list.appendChild(resultItem(doc, query)); });
        current.shown = docs.length;
        moreWrap.hidden = current.shown >= found.total;
        setStatus(summary(current.shown) + (notice ? " " + notice : ""));
        notice = "";
        return true;
      });
    }).catch(function () {
      if (mine === generation) {
        clearResults();
        setStatus(message("error"));
      }
      return false;
    });
  }

  function wantCounts() {
    if (countsWanted) { return; }
    countsWanted = true;
    var state = readForm();
    var mine = generation;
    index().then(function (opened) {
      return opened.search({ text: state.q, filters: activeFilters(state), sort: state.sort, counts: true });
    }).then(function (found) {
      if (mine === generation) { showCounts(found.counts); }
    }).catch(function () { countsWanted = false; });
  }

  function searchSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(readForm(), "type"); }, DEBOUNCE_MS);
  }

  // A search the reader asked for (Enter, the button): focus and the screen reader go to the result count.
  function searchNow(announce) {
    window.clearTimeout(timer);
    return search(readForm()).then(function (shown) {
      if (announce && shown) { status.focus(); }
    });
  }

  input.addEventListener("input", function (event) {
    if (!event.isComposing) { searchSoon(); }
  });
  input.addEventListener("compositionend", searchSoon);
  ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
    facetsBox.addEventListener(type, wantCounts, { passive: true });
  });
  FACETS.forEach(function (name) { selects[name].addEventListener("change", function () { searchNow(false); }); });
  sortSelect.addEventListener("change", function () { searchNow(false); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (NARROW && NARROW.matches) { setExpanded(false); }
    searchNow(true);
  });
  moreButton.addEventListener("click", function () {
    if (list.hasAttribute("aria-busy") || !current.found) { return; }  // a second press while the next results load
    var firstNew = current.shown;
    var mine = generation;
    list.setAttribute("aria-busy", "true");
    index().then(function (opened) { return showMore(mine, opened); }).then(function (drawn) {
      if (!drawn) { return; }
      setStatus(summary(current.shown));
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
  index().catch(function () {});  // the manifest now, so the first query waits only for its own terms
})();
