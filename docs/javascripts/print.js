/* Cheat-sheets: the "Print" button. No inline script (the sanitizer strips it): this file
   binds window.print() to every element with class "sg-print" and reveals it (the button is
   hidden until then, so a reader without JavaScript never sees a dead button). Works with
   Material's instant navigation, which swaps pages without reloading (document$). */
(function () {
  "use strict";

  function bind() {
    var buttons = document.querySelectorAll(".sg-print");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (button.getAttribute("data-sg-bound")) continue;
      button.setAttribute("data-sg-bound", "1");
      button.setAttribute("role", "button");
      button.classList.add("sg-print--ready");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
