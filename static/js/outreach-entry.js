// The phone entry of a visit's result. An entry is kept on the phone (localStorage) the moment
// it is saved, then sent to the API; it leaves the phone only when the server has it. Each entry
// carries an id made here, so sending it twice (a retry after a lost answer) stores one visit.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  // Each account's entries under a key of its own: an entry saved by one account is never
  // shown to, nor sent with the session of, another who signs in on the same phone.
  var PREFIX = "ikd-jemput-bola-antrean";
  var ME = form.dataset.me;
  var KEY = PREFIX + ":" + ME;
  var RETRY_MS = 20000;
  var queueBox = document.getElementById("entry-queue");
  var queueList = document.getElementById("entry-queue-list");
  var queueNote = document.getElementById("entry-queue-note");
  var net = document.getElementById("entry-net");
  var sent = document.getElementById("entry-sent");
  var planned = {};
  var plannedData = document.getElementById("planned-data");
  if (plannedData) { planned = JSON.parse(plannedData.textContent); }
  var sending = false;

  function uuid4() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function store(queue) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }
  // Entries saved before queues had owners: sent once by whoever signs in next, as before.
  (function adoptUnowned() {
    var old = window.localStorage.getItem(PREFIX);
    if (old === null) { return; }
    try { store(load().concat(JSON.parse(old) || [])); } catch (e) { /* unreadable: dropped */ }
    window.localStorage.removeItem(PREFIX);
  })();
  // Entries other accounts left on this phone: counted, never sent from here.
  function othersWaiting() {
    var owners = [];
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key.indexOf(PREFIX + ":") === 0 && key !== KEY) {
        try {
          if ((JSON.parse(window.localStorage.getItem(key)) || []).length) { owners.push(key.slice(PREFIX.length + 1)); }
        } catch (e) { /* ignore */ }
      }
    }
    return owners;
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }
  function field(name) { return form.elements[name]; }
  function count(name) {
    var el = field(name);
    return el && el.value !== "" ? parseInt(el.value, 10) : null;
  }

  // Steppers: − and + around every count, big enough for a thumb.
  Array.prototype.forEach.call(form.querySelectorAll("input.count"), function (input) {
    var wrap = document.createElement("span");
    wrap.className = "stepper";
    input.parentNode.insertBefore(wrap, input);
    [["−", -1], [null, 0], ["+", 1]].forEach(function (part) {
      if (part[0] === null) { wrap.appendChild(input); return; }
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = part[0];
      b.setAttribute("aria-label", (part[1] < 0 ? "− 1 " : "+ 1 ") + (input.labels[0] ? input.labels[0].textContent.trim() : ""));
      b.addEventListener("click", function () {
        var value = Math.max(0, (parseInt(input.value, 10) || 0) + part[1]);
        input.value = value;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      wrap.appendChild(b);
    });
  });

  // The date box reads dd/mm/yyyy (js/dates.js); the entry carries the ISO date. A page opened
  // without a signal comes from the service worker and holds the day it was fetched: a later day
  // on the phone wins. "After today" is after both the phone's day and the office's (Jakarta)
  // day the page was made on, so a phone whose clock is behind never refuses today.
  var dayBox = field("day");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function phoneToday() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function showDay(iso) {
    dayBox.value = iso.split("-").reverse().join("/");
    dayBox.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function checkDay() {
    var day = window.ikdDates.iso(dayBox.value);
    var today = phoneToday() > form.dataset.today ? phoneToday() : form.dataset.today;
    var future = day && field("status").value === "held" && day > today;
    dayBox.setCustomValidity(!day ? form.dataset.badDate : future ? form.dataset.futureDate : "");
    return day;
  }
  var shownDay = window.ikdDates.iso(dayBox.value);
  if (!navigator.onLine && shownDay === form.dataset.today && phoneToday() > shownDay) {
    showDay(phoneToday());
  }
  dayBox.addEventListener("input", checkDay);

  // A cancelled visit has no result to enter.
  var results = document.getElementById("entry-results");
  function statusChanged() { results.hidden = field("status").value === "cancelled"; checkDay(); }
  Array.prototype.forEach.call(form.querySelectorAll("[name=status]"), function (r) {
    r.addEventListener("change", statusChanged);
  });
  statusChanged();

  // Picking a planned visit: its id and what the plan says, so the result lands on it.
  var plannedPick = document.getElementById("entry-planned");
  function pickPlanned(clientId) {
    var v = planned[clientId];
    field("client_id").value = clientId;
    field("region").value = v.region;
    form.querySelector("[name=place][value='" + v.place + "']").checked = true;
    field("location").value = v.location;
    field("expected").value = v.expected === null ? "" : v.expected;
    Array.prototype.forEach.call(form.querySelectorAll("[name=officers]"), function (box) {
      box.checked = v.officers.indexOf(box.dataset.username) >= 0 || box.checked;
    });
    plannedPick.querySelector("span").textContent = form.dataset.plannedLabel + " " + v.location;
    plannedPick.hidden = false;
    field("activated").focus();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-planned]"), function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      pickPlanned(a.dataset.planned);
    });
  });
  document.getElementById("entry-planned-clear").addEventListener("click", function () {
    field("client_id").value = uuid4();
    plannedPick.hidden = true;
  });

  function entryFromForm() {
    var held = field("status").value === "held";
    var day = checkDay();
    var failed = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name^=gagal_]"), function (input) {
      var n = parseInt(input.value, 10);
      if (held && n > 0) { failed[input.name.slice(6)] = n; }
    });
    var officers = Array.prototype.filter.call(form.querySelectorAll("[name=officers]"), function (b) {
      return b.checked;
    }).map(function (b) { return b.dataset.username; });
    return {
      client_id: field("client_id").value,
      status: held ? "held" : "cancelled",
      region: field("region").value,
      place: (form.querySelector("[name=place]:checked") || {}).value,
      location: field("location").value.trim(),
      planned_on: day,
      held_on: held ? day : null,
      officers: officers,
      expected: count("expected"),
      activated: held ? (count("activated") || 0) : null,
      failed: failed,
      note: field("note").value,
      author: ME
    };
  }

  function label(body) {
    var day = body.planned_on.split("-").reverse().join("/");
    var count = body.activated !== null ? " · " + body.activated + " " + form.dataset.activatedWord : "";
    return body.location + " · " + day + count;
  }

  function render(problem) {
    var queue = load();
    queueBox.hidden = queue.length === 0;
    queueList.textContent = "";
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = label(item.body) + " — " + (item.errors ? queueBox.dataset.rejected + ": " + item.errors : queueBox.dataset.waiting);
      if (item.errors) {
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "textlink";
        remove.textContent = queueBox.dataset.remove;
        remove.addEventListener("click", function () {
          store(load().filter(function (other) { return other.body.client_id !== item.body.client_id; }));
          render();
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(remove);
      }
      queueList.appendChild(li);
    });
    queueNote.textContent = "";
    if (problem === "login") {
      var a = document.createElement("a");
      a.href = queueBox.dataset.loginUrl;
      a.textContent = queueBox.dataset.login;
      queueNote.appendChild(a);
    } else if (problem === "offline") {
      queueNote.textContent = queueBox.dataset.offline;
    }
    var others = othersWaiting();
    var othersNote = document.getElementById("entry-others");
    othersNote.hidden = others.length === 0;
    othersNote.textContent = others.length ? othersNote.dataset.text.replace("%(accounts)s", others.join(", ")) : "";
    net.textContent = navigator.onLine ? net.dataset.online : net.dataset.offline;
    net.className = "net " + (navigator.onLine ? "online" : "offline");
  }

  function drop(clientId, errors) {
    var queue = load();
    queue = errors ? queue.map(function (item) {
      if (item.body.client_id === clientId) { item.errors = errors; }
      return item;
    }) : queue.filter(function (item) { return item.body.client_id !== clientId; });
    store(queue);
  }

  // Send what waits, oldest first, one at a time; stop at the first that cannot go now.
  function flush() {
    if (sending) { return; }
    var waiting = load().filter(function (item) { return !item.errors; });
    if (!waiting.length) { render(); return; }
    sending = true;
    var item = waiting[0];
    fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        if (response.status === 200 || response.status === 201) {
          drop(item.body.client_id);
          sent.textContent = queueBox.dataset.sent + ": " + label(item.body);
          flush();
        } else if (response.status === 400 && body.errors && body.errors.author && Object.keys(body.errors).length === 1) {
          // Another account's session (this page outlived its own): the entry waits for its owner.
          render("login");
        } else if (response.status === 400 || response.status === 409) {
          var errors = body.errors ? Object.keys(body.errors).map(function (k) { return body.errors[k]; }).join(" ") : response.status;
          drop(item.body.client_id, errors);
          flush();
        } else if (response.status === 401 || response.status === 403) {
          render("login");
        } else {
          render("offline");
        }
      });
    }).catch(function () {
      sending = false;
      render("offline");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    checkDay();
    if (!form.reportValidity()) { return; }
    var body = entryFromForm();
    var queue = load().filter(function (item) { return item.body.client_id !== body.client_id; });
    queue.push({ body: body, saved: new Date().toISOString() });
    store(queue);
    sent.textContent = form.dataset.saved + " " + label(body);
    // Ready for the next visit: a new id, counts back to zero; place, desa and date stay.
    field("client_id").value = uuid4();
    plannedPick.hidden = true;
    field("location").value = "";
    field("note").value = "";
    field("expected").value = "";
    Array.prototype.forEach.call(form.querySelectorAll("input.count"), function (input) {
      input.value = input.name === "activated" ? "0" : "";
    });
    window.scrollTo(0, 0);
    render();
    flush();
  });

  // The id the server put in the form stays valid for one entry only: a page kept by the
  // service worker would hand out the same one twice.
  field("client_id").value = uuid4();
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { render("offline"); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flush(); } });
  window.setInterval(flush, RETRY_MS);
  render();
  flush();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: "/jemput-bola/" }).catch(function () {});
  }
})();
