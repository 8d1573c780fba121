// tryksag serve: refreshes a preview page by itself. The server sends an event after every
// rebuild of the product; the page then fetches its changing part and swaps it in. Without
// JavaScript the page still works: reload it.
(function () {
  "use strict";
  var box = document.getElementById("korrektur");
  if (!box || !window.EventSource || !window.fetch) {
    return;
  }
  var base = "/preview/" + encodeURIComponent(box.getAttribute("data-produkt"));
  var source = new EventSource(base + "/events");
  source.addEventListener("korrektur", function () {
    fetch(base + "/indhold" + window.location.search, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* the next event tries again */ });
  });
})();
