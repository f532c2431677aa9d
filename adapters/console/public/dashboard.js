/* global document, Chart */
// Draws the dashboard's charts from the JSON block the server wrote (no inline script: the CSP
// allows scripts from this origin only). Chart.js is served by the app from its npm package.
(function () {
  'use strict';
  var block = document.getElementById('chart-data');
  if (!block || typeof Chart === 'undefined') return;
  var data = JSON.parse(block.textContent || '{}');
  var palette = ['#0b6e4f', '#c9622a', '#3a5ba0', '#8a3ffc', '#b8860b', '#d12771', '#5b6475'];
  var kinds = { repliesPerDay: 'bar', peoplePerDay: 'line', byKind: 'bar', themes: 'bar', screens: 'bar' };
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var name = canvas.getAttribute('data-chart');
    var chart = data[name];
    if (!chart) return;
    new Chart(canvas, {
      type: kinds[name] || 'bar',
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, i) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: palette[i % palette.length],
            borderColor: palette[i % palette.length],
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: name === 'repliesPerDay' },
          y: { beginAtZero: true, stacked: name === 'repliesPerDay', ticks: { precision: 0 } },
        },
      },
    });
    canvas.setAttribute('data-drawn', 'true');
  });
  document.body.setAttribute('data-charts', 'ready');
})();
