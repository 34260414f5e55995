// While an upload is checked or imported in the background, poll its status and refresh the
// page when it changes, so the admin can close and reopen it at any time.
(function () {
  "use strict";
  var box = document.getElementById("upload-status");
  if (!box) { return; }
  var waiting = ["checking", "queued", "importing"];
  if (waiting.indexOf(box.dataset.status) < 0) { return; }
  var bar = document.getElementById("upload-progress");
  var text = document.getElementById("upload-progress-text");
  var format = new Intl.NumberFormat(document.documentElement.lang || "id");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.status !== box.dataset.status) { window.location.reload(); return; }
        if (s.rows_total) { bar.max = s.rows_total; bar.value = s.rows_done; }
        text.textContent = text.textContent.replace(/^[\d.,]+/, format.format(s.rows_done));
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
