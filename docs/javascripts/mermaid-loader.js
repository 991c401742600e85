/* Mermaid from the site itself, fetched only by pages that draw a diagram. Material draws each
   `.mermaid` block with window.mermaid, and loads mermaid from unpkg.com when it is undefined:
   this defines it first, as a stand-in that loads vendor/mermaid.min.js (next to this file; 2.6 MB,
   so not on every page) on the first diagram and hands each call over to it. */
(function () {
  "use strict";

  var source = new URL("vendor/mermaid.min.js", document.currentScript.src).href;
  var settings = null;
  var loading = null;

  function real() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = function () {  // the bundle sets window.mermaid to the real one
          if (settings) window.mermaid.initialize(settings);
          resolve(window.mermaid);
        };
        script.onerror = function () { reject(new Error("cannot load " + source)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  window.mermaid = {
    initialize: function (config) { settings = config; },
    render: function (id, text) {
      return real().then(function (mermaid) { return mermaid.render(id, text); });
    }
  };
})();
