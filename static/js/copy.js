// The copy button of the daily recap: the text to the clipboard in one tap, for WhatsApp.
(function () {
  "use strict";
  var button = document.getElementById("recap-copy");
  var text = document.getElementById("recap-text");
  if (!button || !text) { return; }
  button.hidden = false;
  var label = button.textContent;
  button.addEventListener("click", function () {
    function done() {
      button.textContent = button.dataset.copied;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.value).then(done, function () { fallback(); done(); });
    } else { fallback(); done(); }
    function fallback() {
      text.focus();
      text.select();
      document.execCommand("copy");
    }
  });
})();
