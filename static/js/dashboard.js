// The console's charts, drawn with the vendored Chart.js from the figures the page embeds as JSON.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var blue = "#1f5fa8", red = "#c0392b";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  // Vietnamese numbers: a decimal comma ("0,01 %"), as everywhere else in the console.
  function percent(v) { return String(Math.round(v * 1000) / 1000).replace(".", ",") + " %"; }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { canvas.chart = new Chart(canvas, config); }
  }

  draw("chart-days", {
    type: "line",
    data: { labels: data.days.labels, datasets: [{ label: "Lượt thi", data: data.days.values, borderColor: blue,
      backgroundColor: blue, tension: 0.2 }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  draw("chart-units", {
    type: "bar",
    data: { labels: data.units.labels, datasets: [{ label: "Tỷ lệ tham gia (%)", data: data.units.values,
      backgroundColor: data.units.lowest.map(function (low) { return low ? red : blue; }) }] },
    options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { callback: percent } } } }
  });
  draw("chart-scores", {
    type: "bar",
    data: { labels: data.scores.labels, datasets: [{ label: "Số người", data: data.scores.values,
      backgroundColor: blue }] },
    options: { maintainAspectRatio: false, plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
}());
