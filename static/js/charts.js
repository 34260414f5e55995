// Draws every chart on the page from the JSON the server put in <script type="application/json">.
(function () {
  "use strict";
  var months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember"];
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
  var locale = document.documentElement.lang === "id" ? "id" : "en";
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var fig = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    Plotly.newPlot(el, fig.data, fig.layout, {
      responsive: true,
      displaylogo: false,
      locale: locale,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]
    });
    if (el.dataset.clickOpens !== undefined) {
      // The map: a click on a region opens its page with the same filters.
      el.on("plotly_click", function (event) {
        var url = event.points[0] && event.points[0].customdata;
        if (url) { window.location.href = url + window.location.search; }
      });
    }
  });
})();
