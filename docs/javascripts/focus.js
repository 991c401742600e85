/* No invisible Tab stop: Material's search results box is focusable (tabindex="0", so a keyboard can scroll
   it) even while the search is closed and the box is not drawn. It leaves the Tab order until the search
   opens, and comes back with it. Re-applied on pages swapped in by instant navigation (document$). */
(function () {
  "use strict";

  function sync() {
    var toggle = document.getElementById("__search");
    var open = !!(toggle && toggle.checked);
    document.querySelectorAll(".md-search__scrollwrap").forEach(function (box) {
      box.setAttribute("tabindex", open ? "0" : "-1");
    });
  }

  function bind() {
    var toggle = document.getElementById("__search");
    if (toggle && !toggle.hasAttribute("data-sg-focus")) {
      toggle.setAttribute("data-sg-focus", "1");
      toggle.addEventListener("change", sync);
    }
    sync();
  }

  document.addEventListener("focusin", function () { window.setTimeout(sync, 0); }, true);  // after Material opens the search
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
