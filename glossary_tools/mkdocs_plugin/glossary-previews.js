/* Link previews: hovering or focusing a link to another term shows its title and first sentence.
 *
 * The texts come with the page (one <div class="glossary-previews" data-previews="{url: [title,
 * sentence]}"> written by the site generator): no request, nothing from elsewhere. They are inserted
 * with textContent only. One tooltip element (role="tooltip") is shared; the link it describes gets
 * aria-describedby while it is shown; Escape, blur and leaving the link hide it. Events are
 * delegated from the document, so pages swapped in by Material's instant navigation work too.
 */
(function () {
  "use strict";
  var TIP_ID = "glossary-preview";
  var source = null;   // the data element the map below was read from
  var map = {};        // absolute URL without fragment -> [title, sentence]
  var current = null;  // the link whose preview is shown
  var tip = null;

  function previews() {
    var element = document.querySelector("div.glossary-previews[data-previews]");
    if (element !== source) {
      source = element;
      map = {};
      if (element) {
        try {
          var data = JSON.parse(element.getAttribute("data-previews"));
          Object.keys(data).forEach(function (key) {
            var value = data[key];
            if (Array.isArray(value) && typeof value[0] === "string" && typeof value[1] === "string") {
              map[withoutHash(new URL(key, document.baseURI).href)] = value;
            }
          });
        } catch (error) { map = {}; }
      }
    }
    return map;
  }

  function withoutHash(href) {
    var at = href.indexOf("#");
    return at < 0 ? href : href.slice(0, at);
  }

  function tooltip() {
    if (!tip || !document.body.contains(tip)) {
      tip = document.createElement("div");
      tip.id = TIP_ID;
      tip.className = "glossary-preview";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      var title = document.createElement("strong");
      var text = document.createElement("span");
      tip.appendChild(title);
      tip.appendChild(text);
      document.body.appendChild(tip);
    }
    return tip;
  }

  function linkOf(target) {
    var link = target && target.closest ? target.closest("a[href]") : null;
    if (!link || link.closest(".md-header, .md-tabs, .md-sidebar, .md-footer, .glossary-preview")) return null;
    var href;  // an SVG link's href is not a string: resolve the attribute
    try { href = withoutHash(new URL(link.getAttribute("href"), document.baseURI).href); } catch (error) { return null; }
    var preview = previews()[href];
    return preview && href !== withoutHash(location.href) ? [link, preview] : null;
  }

  function show(link, preview) {
    var element = tooltip();
    element.firstChild.textContent = preview[0];
    element.lastChild.textContent = preview[1];
    if (current && current !== link) current.removeAttribute("aria-describedby");
    current = link;
    link.setAttribute("aria-describedby", TIP_ID);
    element.hidden = false;
    var box = link.getBoundingClientRect();
    var width = Math.min(element.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    element.style.left = left + "px";
    var below = box.bottom + window.scrollY + 6;
    var above = box.top + window.scrollY - element.offsetHeight - 6;
    element.style.top = (box.bottom + element.offsetHeight + 12 > window.innerHeight && above > window.scrollY ? above : below) + "px";
  }

  function hide() {
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  document.addEventListener("mouseover", function (event) {
    var found = linkOf(event.target);
    if (found) show(found[0], found[1]);
  });
  document.addEventListener("mouseout", function (event) {
    if (!current) return;
    var to = event.relatedTarget;
    if (to && (current.contains(to) || (tip && tip.contains(to)))) return;  // the tooltip itself can be hovered
    if (event.target === current || current.contains(event.target) || (tip && tip.contains(event.target))) hide();
  });
  document.addEventListener("focusin", function (event) {
    var found = linkOf(event.target);
    if (found) show(found[0], found[1]); else hide();
  });
  document.addEventListener("focusout", function (event) {
    if (current && event.target === current) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) hide();
  });
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(function () { hide(); source = null; });  // Material's instant navigation
  }
})();
