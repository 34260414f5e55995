// On a phone the top menu folds behind a "Menu" button (CSS, max-width 560px); the button opens
// and closes it. Without this script the menu simply wraps, so every item stays reachable.
(function () {
  "use strict";
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-button");
  if (!button) { return; }
  bar.classList.add("js-menu");
  button.addEventListener("click", function () {
    var open = bar.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
