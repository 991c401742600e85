/* The glossary's filter box and A–Z bar. Every entry is a .sg-entry with data-letter and data-names
   (render/glossary.py); typing keeps the entries whose names or text hold the words, a letter keeps the
   entries filed under it; categories left empty are hidden, and so are letters with no entry left.
   Plain DOM, works offline; re-run on pages swapped in by instant navigation (document$). */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setup() {
    var root = document.querySelector(".sg-glossary");
    if (!root || root.querySelector(".sg-glossary-tools")) return;
    var entries = Array.prototype.slice.call(root.querySelectorAll(".sg-entry"));
    var letters = [];
    entries.forEach(function (entry) {
      entry.sgText = fold((entry.getAttribute("data-names") || "") + " " + entry.textContent);
      var letter = entry.getAttribute("data-letter");
      if (letters.indexOf(letter) < 0) letters.push(letter);
    });
    letters.sort();

    var tools = document.createElement("div");
    tools.className = "sg-glossary-tools";
    var label = document.createElement("label");
    label.className = "sg-filter";
    label.appendChild(document.createTextNode("Filter services "));
    var box = document.createElement("input");
    box.type = "search";
    box.placeholder = "e.g. Kinesis, stream, feature store";
    box.setAttribute("autocomplete", "off");
    label.appendChild(box);
    tools.appendChild(label);
    var bar = document.createElement("nav");
    bar.className = "sg-az";
    bar.setAttribute("aria-label", "Services by letter");
    var buttons = {};
    var chosen = "";
    letters.forEach(function (letter) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = letter;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        chosen = chosen === letter ? "" : letter;
        apply();
        if (chosen) window.scrollTo({ top: root.getBoundingClientRect().top + window.scrollY - 80 });
      });
      buttons[letter] = button;
      bar.appendChild(button);
    });
    tools.appendChild(bar);
    var status = document.createElement("p");
    status.className = "sg-filter-status";
    status.setAttribute("role", "status");
    tools.appendChild(status);
    root.insertBefore(tools, root.firstChild);

    function apply() {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var matching = {};
      var shown = 0;
      entries.forEach(function (entry) {
        var byText = words.every(function (word) { return entry.sgText.indexOf(word) >= 0; });
        var letter = entry.getAttribute("data-letter");
        if (byText) matching[letter] = true;
        entry.hidden = !byText || (chosen !== "" && letter !== chosen);
        if (!entry.hidden) shown++;
      });
      letters.forEach(function (letter) {  // a letter with no entry for these words is hidden
        buttons[letter].hidden = !matching[letter];
        buttons[letter].setAttribute("aria-pressed", letter === chosen ? "true" : "false");
      });
      root.querySelectorAll(".sg-category").forEach(function (category) {
        category.hidden = !category.querySelector(".sg-entry:not([hidden])");
      });
      var filtering = words.length > 0 || chosen !== "";
      root.classList.toggle("sg-filtering", filtering);
      status.textContent = filtering ? shown + " of " + entries.length + " services shown" : "";
    }

    box.addEventListener("input", apply);
    apply();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
