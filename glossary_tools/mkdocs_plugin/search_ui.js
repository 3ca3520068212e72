/* The site's search box: Pagefind's index (site/pagefind/, written at build time), no other host.
   One small script instead of Pagefind's packaged UI (120 KB): the bytes a reader downloads to run
   a query are pagefind.js, the language's wasm, its metadata and the index chunks and fragments the
   query needs. The index searched is the page's <html lang> one (Pagefind picks it). */
(function () {
  "use strict";
  var LABELS = __LABELS__;
  var script = document.currentScript;
  var root = new URL("../", script.src);  // this file is <site>/assets/glossary-search.js
  var lang = (document.documentElement.lang || "en").split("-")[0];
  var t = LABELS[lang] || LABELS.en;
  var MAX = 10;
  var SEPARATOR = __SEPARATOR__;
  var pagefind = null, dialog, input, status, list, generation = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  var ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';

  function build() {
    var button = el("button", {type: "button", "class": "glossary-search-button md-header__button md-icon",
                               "aria-label": t.search, title: t.search + " (/)", "aria-haspopup": "dialog"});
    button.innerHTML = ICON;  // a constant: no data in it
    var header = document.querySelector(".md-header__inner");
    if (header) {
      header.insertBefore(button, header.querySelector(".md-header__source"));
    } else {
      button.classList.add("glossary-search-floating");
      document.body.appendChild(button);
    }
    dialog = el("dialog", {"class": "glossary-search", "aria-label": t.search});
    var form = el("form", {role: "search", method: "dialog"});
    input = el("input", {type: "search", "class": "glossary-search-input", placeholder: t.search,
                         "aria-label": t.search, autocomplete: "off", autocapitalize: "off",
                         spellcheck: "false", "aria-controls": "glossary-search-results"});
    var close = el("button", {type: "button", "class": "glossary-search-close", "aria-label": t.search_close}, "×");
    status = el("p", {"class": "glossary-search-status", role: "status", "aria-live": "polite"});
    list = el("ol", {"class": "glossary-search-results", id: "glossary-search-results"});
    form.appendChild(input);
    form.appendChild(close);
    dialog.appendChild(form);
    dialog.appendChild(status);
    dialog.appendChild(list);
    document.body.appendChild(dialog);

    button.addEventListener("click", open);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });  // the backdrop
    dialog.addEventListener("close", function () { button.focus(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = list.querySelector("a");
      if (first) first.click();
    });
    input.addEventListener("input", function () { run(input.value); });
    dialog.addEventListener("keydown", keys);
    document.addEventListener("keydown", function (e) {
      var target = e.target, typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (!typing && !dialog.open && (e.key === "/" || e.key === "s") && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        open();
      }
    });
  }

  function keys(e) {  // arrows move between the field and the results; Enter follows the focused link
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = e.key === "ArrowDown" ? at + 1 : at - 1;
    e.preventDefault();
    if (next < 0) input.focus(); else links[Math.min(next, links.length - 1)].focus();
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load();
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        // noWorker: the worker script would add 41 KB to the first query; the index is searched on
        // the main thread, a few milliseconds per query
        return pf.options({baseUrl: root.pathname, excerptLength: 24, noWorker: true}).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; status.textContent = t.search_unavailable; });
    }
    return pagefind;
  }

  function text(html) {  // Pagefind's excerpt is escaped text with <mark>: decoded without running markup
    var area = document.createElement("textarea");
    area.innerHTML = html;
    return area.value;
  }

  function excerpt(html) {
    var out = el("span", {"class": "glossary-search-excerpt"});
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) out.appendChild(marked ? el("mark", {}, text(part)) : document.createTextNode(text(part)));
      return marked;
    }, false);
    return out;
  }

  function key(s) {  // how names compare: no accents, case, hyphens or underscores
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[-_\s]+/g, " ").trim();
  }

  function exact(query, d) {  // the query is the term's title or one of its names
    var q = key(query), names = (d.meta.names || "").split(SEPARATOR).concat([d.meta.title || ""]);
    return names.some(function (n) { return key(n) === q; });
  }

  function run(query) {
    var mine = ++generation;
    if (!query.trim()) { list.textContent = ""; status.textContent = ""; return; }
    load().then(function (pf) { return pf.debouncedSearch(query, {}, 150); }).then(function (search) {
      if (!search || mine !== generation) return null;  // a later keystroke took over
      return Promise.all(search.results.slice(0, MAX).map(function (r) { return r.data(); })).then(function (found) {
        if (mine !== generation) return;
        // Pagefind's order, except that a term named exactly as the query comes first
        found = found.map(function (d, i) { return [exact(query, d) ? 0 : 1, i, d]; })
          .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (x) { return x[2]; });
        list.textContent = "";
        found.forEach(function (d) {
          var a = el("a", {href: d.url, "class": "glossary-search-link"});
          a.appendChild(el("span", {"class": "glossary-search-title"}, d.meta.title || d.url));
          // an excerpt from the hidden list of names (a match on an alias) reads badly: the definition's opening instead
          var names = (d.excerpt || "").indexOf(SEPARATOR) >= 0 || !d.excerpt;
          a.appendChild(names ? el("span", {"class": "glossary-search-excerpt"}, d.meta.summary || "") : excerpt(d.excerpt));
          var li = el("li", {"class": "glossary-search-result"});
          li.appendChild(a);
          list.appendChild(li);
        });
        var count = search.results.length;
        status.textContent = count ? t.search_count.replace("{count}", count) : t.search_none;
      });
    }).catch(function (error) {
      if (mine === generation) status.textContent = t.search_unavailable;
      console.error(error);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build); else build();
})();
