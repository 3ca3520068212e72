/* The glossary's site chrome (offline, no dependencies): loaded in <head>, before Material's bundle.
 *
 * 1. Material 9 reads every <link rel="alternate"> as another *version of the site* and requests
 *    sitemap.xml next to it. Ours are this page's translations (hreflang), whose folders hold no
 *    sitemap: 2-3 failed requests on every page. They are taken out of the document for the instant
 *    the theme looks for them (its DOMContentLoaded handler, registered after this one) and put back.
 * 2. The language switcher keeps the #anchor of the page.
 * 3. On a 404 page, the terms nearest to the address asked for.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"][hreflang]'));
    var places = links.map(function (link) {
      var place = { parent: link.parentNode, next: link.nextSibling };
      link.parentNode.removeChild(link);
      return place;
    });
    setTimeout(function () {
      links.forEach(function (link, i) { places[i].parent.insertBefore(link, places[i].next); });
    }, 0);
    keepAnchor();
    suggest();
  }, { once: true });

  function keepAnchor() {
    var update = function () {
      var links = document.querySelectorAll("a.md-select__link[hreflang]");
      for (var i = 0; i < links.length; i++) {
        var href = links[i].getAttribute("href").split("#")[0];
        links[i].setAttribute("href", href + location.hash);
      }
    };
    update();
    window.addEventListener("hashchange", update);
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function distance(a, b) {
    var row = [], i, j, prev, tmp;
    for (j = 0; j <= b.length; j++) row[j] = j;
    for (i = 1; i <= a.length; i++) {
      prev = row[0];
      row[0] = i;
      for (j = 1; j <= b.length; j++) {
        tmp = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length];
  }

  function score(query, term) {
    var best = Infinity;
    [term.s, term.t].forEach(function (name) {
      var text = fold(name);
      var d = distance(query, text) / Math.max(query.length, text.length, 1);
      if (query && (text.indexOf(query) >= 0 || query.indexOf(text) >= 0)) d = Math.min(d, 0.2);
      best = Math.min(best, d);
    });
    return best;
  }

  function suggest() {
    var data = document.getElementById("glossary-terms");
    var list = document.querySelector(".glossary-suggest");
    if (!data || !list) return;
    var terms = JSON.parse(data.textContent || "[]");
    var parts = location.pathname.split("/").filter(function (p) { return p && !/^(index|404)\.html?$/.test(p); });
    var query = "";
    try { query = fold(decodeURIComponent(parts.length ? parts[parts.length - 1] : "").replace(/\.html?$/, "")); }
    catch (e) { query = ""; }
    if (!query || !terms.length) return;
    var ranked = terms.map(function (term) { return [score(query, term), term]; })
      .sort(function (x, y) { return x[0] - y[0]; }).slice(0, 5);
    ranked.forEach(function (pair) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = pair[1].u;
      link.textContent = pair[1].t;
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
    document.querySelector(".glossary-suggest-intro").hidden = false;
  }
})();
