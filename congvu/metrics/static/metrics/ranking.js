// Distribution of the ranked units' on-time rates (a histogram in bins of 10 points) above the
// province ranking. The data comes from the page through json_script (#ranking-data); Chart.js is
// vendored.
(function () {
  const source = document.getElementById("ranking-data");
  const canvas = document.getElementById("ranking-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{label: data.label, data: data.counts, backgroundColor: "#0d6efd"}],
    },
    options: {
      maintainAspectRatio: false,
      plugins: {legend: {display: false}},
      scales: {
        x: {title: {display: true, text: data.x_title}},
        y: {beginAtZero: true, ticks: {precision: 0}, title: {display: true, text: data.label}},
      },
    },
  });
})();
