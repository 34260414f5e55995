// The sign-in page: whoever used this browser before is signed out (or their session ended).
// The phone entry page kept for use without a signal shows that account's name, desa and
// plans: it goes now. Entries still waiting stay, each under its own account, and are sent when
// that account signs in again (js/outreach-entry.js).
(function () {
  "use strict";
  if (!window.caches) { return; }
  window.caches.keys().then(function (keys) {
    keys.forEach(function (key) {
      if (key.indexOf("ikd-jemput-bola:") === 0) { window.caches.delete(key); }
    });
  });
})();
