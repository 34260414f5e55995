// Beside every dd/mm/yyyy box, the date in words in the page's language ("9 April 2025"), so a
// typed date is never read the American way. The server writes the first words; this keeps them
// in step while typing. No library: the browser's own Intl. `window.ikdDates.iso(text)` gives
// the ISO date of what was typed (null when it is no date), for scripts that send it on.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  var words = new Intl.DateTimeFormat(lang, {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC" // the dates are made in UTC
  });
  function parse(text) {
    var m = /^(\d{1,2})[\/\-](\d{1,2})[\/\-](\d{4})$/.exec(text.trim()) ||
      /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
    if (!m) { return null; }
    var iso = m[1].length === 4;
    var year = +(iso ? m[1] : m[3]), month = +m[2], day = +(iso ? m[3] : m[1]);
    var date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCDate() === day && date.getUTCMonth() === month - 1 ? date : null;
  }
  function iso(text) {
    var date = parse(text || "");
    return date ? date.toISOString().slice(0, 10) : null;
  }
  window.ikdDates = { parse: parse, iso: iso };
  document.querySelectorAll("input[data-date-words]").forEach(function (input) {
    var shown = document.getElementById(input.id + "-words");
    if (!shown) {
      shown = document.createElement("span");
      shown.id = input.id + "-words";
      shown.className = "date-words";
      input.insertAdjacentElement("afterend", shown);
      input.setAttribute("aria-describedby", shown.id);
    }
    function update() {
      var date = parse(input.value);
      shown.textContent = date ? words.format(date) : input.value ? "dd/mm/yyyy" : "";
    }
    input.addEventListener("input", update);
    update();
  });
  // A filter (GET) form puts the ISO date in the URL, as shared links have it (README): the box
  // keeps showing dd/mm/yyyy; what is sent is rewritten, not what is shown.
  document.querySelectorAll("form").forEach(function (form) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") { return; }
    form.addEventListener("formdata", function (event) {
      form.querySelectorAll("input[data-date-words]").forEach(function (input) {
        var value = iso(input.value);
        if (input.name && value) { event.formData.set(input.name, value); }
      });
    });
  });
})();
