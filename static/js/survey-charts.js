/* Charts of the survey report page, drawn with the vendored Chart.js from the JSON the page carries. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var participation = data("participation-data");
  var canvas = document.getElementById("participation-chart");
  if (participation && canvas) {
    new Chart(canvas, {
      type: "bar",
      data: { labels: participation.labels, datasets: [
        { label: "Đã làm", data: participation.taken, backgroundColor: "#2e7d32" },
        { label: "Chưa làm", data: participation.pending, backgroundColor: "#c62828" }] },
      options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } } }
    });
  }
  var bands = data("bands-data");
  var bandsCanvas = document.getElementById("bands-chart");
  if (bands && bandsCanvas) {
    var colours = ["#1b5e20", "#66bb6a", "#ffb300", "#c62828"];
    new Chart(bandsCanvas, {
      type: "bar",
      data: { labels: bands.labels, datasets: bands.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
      }) },
      options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } }
    });
  }
})();
