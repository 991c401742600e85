/* Tooltips for every element with a title (abbreviations, service mentions, links): shown on hover
   and keyboard focus, in the site's font size. The title is set as textContent, never as HTML:
   titles come from notes (Material's own content.tooltips inserts them as HTML, so it is off).
   While the tooltip shows, the title moves to data-sg-title so the browser's own tooltip does not
   appear on top of it. */
(function () {
  "use strict";

  var tip = null;
  var owner = null;

  function hide() {
    if (owner && owner.hasAttribute("data-sg-title")) {
      owner.setAttribute("title", owner.getAttribute("data-sg-title"));
      owner.removeAttribute("data-sg-title");
      owner.removeAttribute("aria-describedby");
    }
    owner = null;
    if (tip) tip.hidden = true;
  }

  function show(element) {
    var text = element.getAttribute("title");
    if (!text) return;
    hide();
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "sg-tooltip";
      tip.id = "sg-tooltip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    owner = element;
    element.setAttribute("data-sg-title", text);
    element.removeAttribute("title");
    element.setAttribute("aria-describedby", tip.id);  // screen readers read the tooltip as the description
    tip.textContent = text;
    tip.hidden = false;
    place();
  }

  function place() {  // below the element, or above it near the bottom of the window
    if (!owner || !tip) return;
    var box = owner.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left, window.innerWidth - tip.offsetWidth - 8));
    var below = box.bottom + 8;
    var top = below + tip.offsetHeight > window.innerHeight ? box.top - tip.offsetHeight - 8 : below;
    tip.style.left = left + "px";
    tip.style.top = Math.max(8, top) + "px";
  }

  function titled(target) {
    return target && target.closest ? target.closest("[title]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    if (owner && owner.contains(event.target)) return;  // still over the element whose tooltip shows
    var element = titled(event.target);
    if (element) show(element);
    else hide();
  });
  document.addEventListener("focusin", function (event) {
    var element = titled(event.target);
    if (element) show(element);
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("scroll", place, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });

  // A ⚠ beside a suspicious link is reached by keyboard too, and read out with its reason. Set here: the
  // sanitizer gives page content no tabindex or aria attributes.
  function flags() {
    hide();  // instant navigation swapped the page: the element a tooltip belonged to is gone
    document.querySelectorAll(".sg-link-flag:not([tabindex])").forEach(function (flag) {
      flag.setAttribute("tabindex", "0");
      flag.setAttribute("role", "img");
      flag.setAttribute("aria-label", flag.getAttribute("title") || "Suspicious link");
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(flags);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flags);
  } else {
    flags();
  }
})();
