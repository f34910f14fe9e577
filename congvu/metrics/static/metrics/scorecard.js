// Monthly trend of a scorecard: stacked buckets (bars) and the on-time rate (line, right axis).
// The data comes from the page through json_script (#trend-data); Chart.js is vendored.
(function () {
  const source = document.getElementById("trend-data");
  const canvas = document.getElementById("trend-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const t = data.labels_text;
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        {type: "bar", label: t.done_on_time, data: data.done_on_time, backgroundColor: "#198754", stack: "b"},
        {type: "bar", label: t.done_late, data: data.done_late, backgroundColor: "#fd7e14", stack: "b"},
        {type: "bar", label: t.open_overdue, data: data.open_overdue, backgroundColor: "#dc3545", stack: "b"},
        {type: "bar", label: t.open_in_time, data: data.open_in_time, backgroundColor: "#6c757d", stack: "b"},
        {type: "line", label: t.on_time_rate, data: data.on_time_rate, yAxisID: "rate", borderColor: "#0d6efd",
         backgroundColor: "#0d6efd", spanGaps: true, tension: 0.2},
      ],
    },
    options: {
      maintainAspectRatio: false,
      interaction: {mode: "index", intersect: false},
      scales: {
        x: {stacked: true},
        y: {stacked: true, beginAtZero: true},
        rate: {position: "right", min: 0, max: 100, grid: {drawOnChartArea: false},
               ticks: {callback: (v) => v + "%"}},
      },
    },
  });
})();
