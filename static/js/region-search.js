// A search box over a long desa list (167 in a kabupaten): typing keeps the desa whose name
// holds what was typed, under their kecamatan, and picks the desa when one is left. The box
// is shown only with JavaScript; without it the grouped list works as it is.
(function () {
  "use strict";
  document.querySelectorAll("input.region-search[data-for]").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("data-for"));
    if (!select) { return; }
    box.hidden = false;
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var left = [];
      select.querySelectorAll("option").forEach(function (option) {
        if (!option.value) { return; }
        var match = !needle || option.textContent.toLowerCase().indexOf(needle) !== -1 ||
          (option.parentNode.label || "").toLowerCase().indexOf(needle) !== -1;
        option.hidden = !match;
        if (match) { left.push(option); }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (needle && left.length === 1) {
        select.value = left[0].value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
})();
