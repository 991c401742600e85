/* The reader's own study: a tick beside every flashcard ([data-card]) and task statement ([data-task]),
   the Flashcards page's domain filter, and the home page's progress bars ([data-cards], [data-tasks]).
   Ticks live in this browser's localStorage under a key namespaced by the site's address: nothing
   leaves the browser. Plain DOM, no framework; re-run on every page Material's instant navigation
   swaps in (document$). Text is set with textContent only. */
(function () {
  "use strict";

  function storageKey() {  // one site, one key: two guides on one host do not share ticks
    var scope = typeof window.__md_scope !== "undefined" ? window.__md_scope : new URL(".", location.href);
    return "sg-study:" + new URL(scope, location.href).pathname;
  }

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storageKey()) || "{}");
      return { cards: data.cards || {}, tasks: data.tasks || {} };
    } catch (error) {
      return { cards: {}, tasks: {} };  // storage off or unreadable: ticks work for this visit only
    }
  }

  function save(state) {
    try {
      window.localStorage.setItem(storageKey(), JSON.stringify(state));
    } catch (error) { /* private mode: nothing kept */ }
  }

  function addTick(element, kind, id, label, state) {
    if (element.querySelector(":scope > .sg-tick")) return;
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !!state[kind][id];
    box.addEventListener("change", function () {
      var current = load();
      if (box.checked) current[kind][id] = 1;
      else delete current[kind][id];
      save(current);
      element.classList.toggle("sg-ticked", box.checked);
    });
    var tick = document.createElement("label");
    tick.className = "sg-tick";
    tick.appendChild(box);
    tick.appendChild(document.createTextNode(" " + label));
    element.classList.toggle("sg-ticked", box.checked);
    element.insertBefore(tick, element.firstChild);
  }

  function ticks(state) {
    document.querySelectorAll("article [data-card]").forEach(function (card) {
      addTick(card, "cards", card.getAttribute("data-card"), "I know this", state);
    });
    document.querySelectorAll("article [data-task]").forEach(function (task) {
      addTick(task, "tasks", task.getAttribute("data-task"), "Studied", state);
    });
  }

  function filter() {  // the Flashcards page: show one domain's deck, or all
    var root = document.querySelector(".sg-flashcards");
    if (!root || root.querySelector(".sg-deck-filter")) return;
    var decks = root.querySelectorAll(".sg-deck[data-domain]");
    var bar = document.createElement("div");
    bar.className = "sg-deck-filter";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Show the cards of");
    var choices = [["", "All domains"]];
    decks.forEach(function (deck) {
      var heading = deck.querySelector("h2");
      choices.push([deck.getAttribute("data-domain"), "Domain " + deck.getAttribute("data-domain")]);
      if (heading) deck.setAttribute("data-title", heading.textContent.replace("¶", "").trim());
    });
    choices.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.textContent = choice[1];
      button.setAttribute("data-show", choice[0]);
      button.setAttribute("aria-pressed", choice[0] === "" ? "true" : "false");
      button.addEventListener("click", function () {
        decks.forEach(function (deck) {
          deck.hidden = choice[0] !== "" && deck.getAttribute("data-domain") !== choice[0];
        });
        bar.querySelectorAll("button").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
      });
      bar.appendChild(button);
    });
    root.insertBefore(bar, root.firstChild);
  }

  function count(list, ticked) {
    var ids = (list || "").split(" ").filter(Boolean);
    return [ids.filter(function (id) { return ticked[id]; }).length, ids.length];
  }

  function progress(state) {  // the home page: one bar per domain
    document.querySelectorAll(".sg-progress-row").forEach(function (row) {
      var cards = count(row.getAttribute("data-cards"), state.cards);
      var tasks = count(row.getAttribute("data-tasks"), state.tasks);
      var done = cards[0] + tasks[0];
      var total = cards[1] + tasks[1];
      var bar = row.querySelector("progress");
      var text = row.querySelector(".sg-progress-text");
      if (!bar) {
        bar = document.createElement("progress");
        text = document.createElement("span");
        text.className = "sg-progress-text";
        row.appendChild(bar);
        row.appendChild(text);
      }
      bar.max = total || 1;
      bar.value = done;
      bar.setAttribute("aria-label", (row.querySelector(".sg-progress-label") || row).textContent);
      text.textContent = cards[0] + " of " + cards[1] + " cards, " + tasks[0] + " of " + tasks[1] + " tasks";
    });
  }

  function run() {
    var state = load();
    ticks(state);
    filter();
    progress(state);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
