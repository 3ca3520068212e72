/* The site's search box, over the index the build writes to <site>/glossary-search/<lang>/ (see
   glossary_tools/search_index.py): a query downloads the index's directory, one shard per word and
   the records of the results shown; nothing from another host. The index searched is the page's
   <html lang> one. fold, words and stem mirror search_index.py rule for rule. */
(function () {
  "use strict";
  var LABELS = __LABELS__;
  var script = document.currentScript;
  var root = new URL("../", script.src);  // this file is <site>/assets/glossary-search.js
  var code = document.documentElement.lang || "en";  // the language's folder: its code as the site names it
  var lang = code.split("-")[0].toLowerCase();  // its rules and labels: the primary language ("pt" for "pt-BR")
  var t = LABELS[lang] || LABELS.en;
  var base = new URL("glossary-search/" + code + "/", root);
  var MAX = 10, EXCERPT = 24, LEAD = 20, PREFIX_SHARDS = 3, PREFIX_KEYS = 200, MAX_WORDS = 8;
  var meta = null, shards = {}, records = {}, dialog, input, status, list, generation = 0, timer = 0;

  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, ""); }
  function words(s) { return fold(s).toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; }
  function ends(w, endings) { return endings.some(function (e) { return w.slice(-e.length) === e; }); }
  function size(w) { return Array.from(w).length; }  // in characters, as Python counts (not UTF-16 units)
  function stem(w) {
    var n = size(w);
    if (n < 4) return w;
    if (lang === "pt") {
      if (ends(w, ["oes", "aes"])) return w.slice(0, -3) + "ao";
      var pairs = [["ais", "al"], ["eis", "el"], ["ois", "ol"]];
      for (var i = 0; i < pairs.length; i++) if (ends(w, [pairs[i][0]]) && n > 4) return w.slice(0, -3) + pairs[i][1];
      if (ends(w, ["ns"])) return w.slice(0, -2) + "m";
      if (ends(w, ["res"]) && n > 4) return w.slice(0, -2);
    } else if (lang === "es") {
      if (ends(w, ["ces"]) && n > 4) return w.slice(0, -3) + "z";
      if (ends(w, ["es"]) && n > 4 && "lrndj".indexOf(w.charAt(w.length - 3)) >= 0) return w.slice(0, -2);
    } else {
      if (ends(w, ["ies"]) && n > 4) return w.slice(0, -3) + "y";
      if (ends(w, ["sses", "ches", "shes", "xes", "zes"])) return w.slice(0, -2);
    }
    if (ends(w, ["s"]) && !ends(w, ["ss", "us", "is"])) return w.slice(0, -1);
    return w;
  }

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
    input.addEventListener("keydown", function (e) {  // one Escape closes (a search field's own would first clear it)
      if (e.key === "Escape") { e.preventDefault(); dialog.close(); }
    });
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

  function get(path, fresh) {
    return fetch(new URL(path, base).href, fresh ? {cache: "no-cache"} : {}).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + r.url);
      return r.json();
    });
  }

  function load() {
    if (!meta) {
      meta = get("index.json", true);
      meta.catch(function () { meta = null; status.textContent = t.search_unavailable; });
    }
    return meta;
  }

  function cached(store, path, key) {
    if (!store[key]) {
      store[key] = get(path);
      store[key].catch(function () { delete store[key]; });
    }
    return store[key];
  }

  function find(m, key) {  // the shard holding key: the last whose first key is not greater
    var lo = 0, hi = m.s.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.s[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function analyse(query) {
    var all = words(query).slice(0, MAX_WORDS), stems = all.map(stem);  // a pasted paragraph: its first words
    var typing = /[\p{L}\p{N}]$/u.test(fold(query)) && all.length > 0;  // the last word is still being typed
    var q = {terms: [], phrase: stems.length ? stems.join(" ") + " " : "", start: ""};
    stems.forEach(function (s, i) {
      if (size(all[i]) < 2) return;  // one-letter words are not indexed alone
      q.terms.push({key: s, prefix: typing && i === all.length - 1 ? typed(all[i]) : ""});
    });
    if (typing) q.start = stems.slice(0, -1).concat([typed(all[all.length - 1])]).join(" ");  // names that begin so
    return q;
  }

  // What the word being typed matches as a prefix: the word less its last letter (five letters) or two
  // (six and more), which may begin an ending the index does not keep: "funçõe" finds "funções"
  // (indexed "funcao"), "trans" finds "transformer" (whose stem would be "tram"), "classe" finds "classes".
  function typed(word) {
    var chars = Array.from(word), n = chars.length;
    return n < 5 ? word : chars.slice(0, n - (n < 6 ? 1 : 2)).join("");
  }

  window.glossarySearchText = {words: words, stem: stem, analyse: analyse};  // for the tests (test_browser, test_chrome)

  function needed(m, q) {
    var wanted = {};
    q.terms.forEach(function (term) {
      wanted[find(m, term.key)] = true;
      if (term.prefix) {
        var from = find(m, term.prefix), to = Math.min(find(m, term.prefix + "\uffff"), from + PREFIX_SHARDS - 1);
        for (var i = from; i <= to; i++) wanted[i] = true;
      }
    });
    if (q.phrase) wanted[find(m, q.phrase)] = true;
    return Object.keys(wanted).map(Number);
  }

  function rank(m, q, loaded) {
    function entry(key) { var s = loaded[find(m, key)]; return s && Object.prototype.hasOwnProperty.call(s, key) ? s[key] : null; }
    function each(e, f) { for (var k = 1, id = 0; k < e.length; k += 2) { id += e[k]; f(id, e[k + 1]); } }
    function keep(target, id, v) { if (!(target[id] >= v)) target[id] = v; }
    var per = q.terms.map(function () { return {}; }), bonus = {}, seen = {};
    q.terms.forEach(function (term, i) {
      var exact = entry(term.key);
      if (exact) {
        var idf = Math.log(1 + m.n / exact[0]);
        each(exact, function (id, s) { keep(per[i], id, s * idf); });
      }
      if (!term.prefix) return;
      var count = 0;
      Object.keys(loaded).forEach(function (n) {
        Object.keys(loaded[n]).forEach(function (key) {
          if (key === term.key || key.indexOf(" ") >= 0 || key.lastIndexOf(term.prefix, 0) !== 0 || ++count > PREFIX_KEYS) return;
          var e = loaded[n][key], idf = Math.log(1 + m.n / e[0]);
          each(e, function (id, s) { keep(per[i], id, s * idf / 2); });
        });
      });
    });
    var whole = q.phrase && entry(q.phrase);
    if (whole) each(whole, function (id, s) { keep(bonus, id, s); });
    if (q.start) {
      Object.keys(loaded).forEach(function (n) {
        Object.keys(loaded[n]).forEach(function (key) {
          if (key.slice(-1) === " " && key.lastIndexOf(q.start, 0) === 0) each(loaded[n][key], function (id, s) { keep(bonus, id, s / 2); });
        });
      });
    }
    per.concat([bonus]).forEach(function (scores) { Object.keys(scores).forEach(function (id) { seen[id] = true; }); });
    return Object.keys(seen).map(function (id) {
      var matched = 0, sum = 0;
      per.forEach(function (scores) { if (scores[id]) { matched++; sum += scores[id]; } });
      return {id: Number(id), bonus: bonus[id] || 0, matched: matched, sum: sum};
    }).sort(function (a, b) {
      return b.bonus - a.bonus || b.matched - a.matched || b.sum - a.sum || a.id - b.id;
    });
  }

  function hit(q, word) {  // a word of the text that the query matched
    var key = stem(words(word)[0] || "");
    return q.terms.some(function (term) { return key === term.key || (term.prefix && key.lastIndexOf(term.prefix, 0) === 0); });
  }

  function excerpt(q, text) {  // EXCERPT words around the first match (the opening when none is near it)
    var found = [], re = /[\p{L}\p{N}]+/gu, match;
    var tokens = text.split(/\s+/).filter(Boolean);
    var at = -1;
    for (var i = 0; i < tokens.length && at < 0; i++) {
      re.lastIndex = 0;
      while ((match = re.exec(tokens[i]))) if (hit(q, match[0])) { at = i; break; }
    }
    var start = at < LEAD ? 0 : at - 6, shown = tokens.slice(start, start + EXCERPT);
    var out = el("span", {"class": "glossary-search-excerpt"});
    if (start > 0) out.appendChild(document.createTextNode("… "));
    shown.forEach(function (token, k) {
      if (k) out.appendChild(document.createTextNode(" "));
      var last = 0;
      re.lastIndex = 0;
      while ((match = re.exec(token))) {
        if (!hit(q, match[0])) continue;
        if (match.index > last) out.appendChild(document.createTextNode(token.slice(last, match.index)));
        out.appendChild(el("mark", {}, match[0]));
        last = match.index + match[0].length;
      }
      if (last < token.length) out.appendChild(document.createTextNode(token.slice(last)));
    });
    if (start + EXCERPT < tokens.length) out.appendChild(document.createTextNode(" …"));
    return out;
  }

  function search(query, mine) {
    var q = analyse(query);
    return load().then(function (m) {
      var ids = needed(m, q);
      return Promise.all(ids.map(function (i) { return cached(shards, "s/" + i + ".json?v=" + m.v, i); })).then(function (got) {
        var loaded = {};
        ids.forEach(function (i, k) { loaded[i] = got[k]; });
        var ranked = rank(m, q, loaded);
        if (mine !== generation) return null;
        var top = ranked.slice(0, MAX);
        return Promise.all(top.map(function (r) { return cached(records, "d/" + r.id + ".json?v=" + m.v, r.id); }))
          .then(function (docs) { return {count: ranked.length, docs: docs}; });
      });
    });
  }

  function show(query, found) {
    var q = analyse(query);
    list.textContent = "";
    found.docs.forEach(function (d) {
      var a = el("a", {href: root.pathname + d.u, "class": "glossary-search-link"});
      a.appendChild(el("span", {"class": "glossary-search-title"}, d.t));
      a.appendChild(excerpt(q, d.x));
      var li = el("li", {"class": "glossary-search-result"});
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = found.count ? t.search_count.replace("{count}", found.count) : t.search_none;
  }

  function run(query) {
    var mine = ++generation;
    clearTimeout(timer);
    if (!query.trim()) { list.textContent = ""; status.textContent = ""; return; }
    timer = setTimeout(function () {
      search(query, mine).then(function (found) {
        if (found && mine === generation) show(query, found);
      }).catch(function (error) {
        if (mine === generation) status.textContent = t.search_unavailable;
        console.error(error);
      });
    }, 100);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build); else build();
})();
