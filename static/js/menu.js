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

// Signing out empties this browser of the account's phone entries (the server says
// Clear-Site-Data): ask first while some still wait to be sent (js/outreach-entry.js).
(function () {
  "use strict";
  var form = document.querySelector("form.logout");
  if (!form || !window.localStorage) { return; }
  form.addEventListener("submit", function (event) {
    var waiting = 0;  // this account's and any other's left on this device: all go
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key.indexOf("ikd-jemput-bola-antrean") === 0) {
        try { waiting += (JSON.parse(window.localStorage.getItem(key)) || []).length; } catch (e) { /* unreadable */ }
      }
    }
    if (waiting && !window.confirm(form.dataset.unsent.replace("%(n)s", waiting))) {
      event.preventDefault();
    }
  });
})();
