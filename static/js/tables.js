// Sortable tables: each column heading becomes a button; click (or Enter/Space) sorts by it.
// Cells carry their raw value in data-sort, so "1.234" and "4,9%" sort as numbers. A heading
// with data-sort-type="none" (a rank) stays as it is.
(function () {
  "use strict";
  var collator = new Intl.Collator(document.documentElement.lang || "id", { numeric: true });

  function value(row, index, type) {
    var cell = row.children[index];
    var raw = cell && cell.dataset.sort !== undefined ? cell.dataset.sort : cell ? cell.textContent : "";
    if (type === "text") { return raw.trim(); }
    return raw === "" || raw === "None" ? null : parseFloat(raw);
  }

  function sortBy(table, index, type, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, type), y = value(b, index, type);
      if (x === null || y === null) { return x === y ? 0 : x === null ? 1 : -1; } // blanks last
      var order = type === "text" ? collator.compare(x, y) : x - y;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headings = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headings, function (th, index) {
      var type = th.dataset.sortType || "number";
      if (type === "none") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        // Numbers start from the largest (the biggest gap first), names from A.
        var current = th.getAttribute("aria-sort");
        var descending = current ? current === "ascending" : type !== "text";
        Array.prototype.forEach.call(headings, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortBy(table, index, type, descending);
      });
    });
  });
})();
