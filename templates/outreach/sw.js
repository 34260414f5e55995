{% load static %}// Keeps the phone entry page and what it needs on the phone, so an officer without signal can
// open it and record a visit; entries themselves wait in localStorage (js/outreach-entry.js).
"use strict";
var PAGE = "{% url 'outreach-entry' %}";
// Everything the entry page loads (tests/test_outreach_browser.py checks the list against it).
var ASSETS = [
  "{% static 'css/app.css' %}", "{% static 'img/favicon.svg' %}", "{% static 'js/menu.js' %}",
  "{% static 'js/dates.js' %}", "{% static 'js/outreach-entry.js' %}",
  "{% static 'js/region-search.js' %}"
];
// Static names carry a content hash in production: a new deployment is a new cache.
var CACHE = "ikd-jemput-bola:" + ASSETS.join("|");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("ikd-jemput-bola:") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname === PAGE) {
    // The network first (fresh plans, a fresh form); the last good copy when there is none.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(PAGE, copy); });
      } else if (response.redirected) {
        // Sent to sign in: the session ended, and the kept page (a name, desa, plans) with it.
        caches.open(CACHE).then(function (cache) { cache.delete(PAGE); });
      }
      return response;
    }).catch(function () {
      return caches.match(PAGE).then(function (page) { return page || Response.error(); });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});
