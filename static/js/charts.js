// Draws the page's charts from the JSON the server put in <script type="application/json">.
// plotly.js is 206 KB, seconds on a slow phone link: it is fetched only when a chart comes within
// a screen of the viewport, so the menu, tables and links work before it arrives (this script
// is small and deferred). Its URL comes from data-plotly-src on this script's tag;
// data-plotly-eager loads it at once and draws every chart (the report: printing does not
// scroll). Where plotly.js is already on the page (the PDF printer, ikd_dashboard/chromium.py,
// adds it before this script) every chart is drawn at once.
// On a touch screen a chart never takes the page's swipe: no drag, no zoom, fixed axes; a tap
// shows the value (plotly.js hovers where it is clicked).
(function () {
  "use strict";
  var me = document.currentScript;
  var charts = [].slice.call(document.querySelectorAll("[data-chart]"));
  if (!charts.length) { return; }
  var months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember"];
  var locale = document.documentElement.lang === "id" ? "id" : "en";
  var registered = false;
  var loading = false;

  function register() {
    if (registered) { return; }
    registered = true;
    Plotly.register({
      moduleType: "locale",
      name: "id",
      dictionary: {},
      format: {
        days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        shortDays: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
        months: months,
        shortMonths: months.map(function (m) { return m.slice(0, 3); }),
        date: "%d/%m/%Y",
        decimal: ",",
        thousands: "."
      }
    });
  }

  function still(layout) {
    layout.dragmode = false;
    layout.xaxis = layout.xaxis || {};
    layout.yaxis = layout.yaxis || {};
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) { layout[key].fixedrange = true; }
    });
    return layout;
  }

  function draw(el) {
    if (el.dataset.drawn) { return; }
    el.dataset.drawn = "1";
    register();
    var fig = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    Plotly.newPlot(el, fig.data, still(fig.layout), {
      responsive: true,
      displaylogo: false,
      scrollZoom: false,
      doubleClick: false,
      locale: locale,
      // "Share chart" would upload the figures to Plotly Cloud: never, and not from a closed network.
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"]
    });
    if (el.dataset.clickOpens !== undefined) {
      // The map: a click on a region opens its page with the same filters.
      el.on("plotly_click", function (event) {
        // A filled shape (hoveron "fills") reports no point of its own: its address is its
        // trace's, the same on every point.
        var point = event.points[0];
        var trace = point && point.data;
        var url = point && (point.customdata || (trace && trace.customdata && trace.customdata[0]));
        if (url) { window.location.href = url + window.location.search; }
      });
    }
  }

  function load(then) {
    if (window.Plotly) { then(); return; }
    if (loading || !me || !me.dataset.plotlySrc) { return; }
    loading = true;
    var script = document.createElement("script");
    script.src = me.dataset.plotlySrc;
    script.async = true;
    script.onload = then;
    document.head.appendChild(script);
  }

  function drawNear() {
    [].forEach.call(document.querySelectorAll("[data-chart][data-near]"), draw);
  }

  function drawAll() {
    load(function () { [].forEach.call(document.querySelectorAll("[data-chart]"), draw); });
  }

  window.addEventListener("beforeprint", function () { if (window.Plotly) { drawAll(); } });
  var eager = me && me.dataset.plotlyEager !== undefined;
  if (window.Plotly || eager || !("IntersectionObserver" in window)) {
    drawAll();
    return;
  }
  // Near: within a screen of the viewport. The first near chart fetches plotly.js (once).
  var observer = new IntersectionObserver(function (entries) {
    var near = entries.filter(function (entry) { return entry.isIntersecting; });
    near.forEach(function (entry) {
      observer.unobserve(entry.target);
      entry.target.dataset.near = "1";
    });
    if (near.length) { load(drawNear); }
  }, { rootMargin: "100% 0px 100% 0px" });
  charts.forEach(function (el) { observer.observe(el); });
})();
