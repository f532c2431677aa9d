/* global document, fetch, setTimeout, clearTimeout, URLSearchParams */
// The broadcasts pages' only script (CSP: script-src 'self'). Two jobs:
// 1. while a broadcaster types, ask the server how many SMS segments each text takes and in
//    which encoding (the server counts as the SMS gateway will: one GSM-7 table, not two);
// 2. on a broadcast still running, refresh its tally every second until it is done.
(function () {
  'use strict';

  var composer = document.getElementById('composer');
  if (composer) {
    var token = composer.querySelector('input[name="_csrf"]').value;
    var fill = function (template, values) {
      return template.replace(/\{(\w+)\}/g, function (whole, name) {
        return name in values ? String(values[name]) : whole;
      });
    };
    composer.querySelectorAll('textarea[data-count]').forEach(function (area) {
      var output = document.querySelector('output[for="' + area.id + '"]');
      var timer;
      var seq = 0;
      area.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var mine = ++seq;
          fetch('/admin/broadcasts/count', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ _csrf: token, text: area.value }).toString(),
          })
            .then(function (response) {
              return response.ok ? response.json() : null;
            })
            .then(function (count) {
              // An older answer arriving late must not overwrite a newer one.
              if (count && mine === seq) output.textContent = fill(output.dataset.template, count);
            })
            .catch(function () {});
        }, 150);
      });
    });
  }

  document.querySelectorAll('tr[data-progress-url]').forEach(function (row) {
    var poll = function () {
      fetch(row.dataset.progressUrl, { credentials: 'same-origin' })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (progress) {
          if (!progress) return;
          row.querySelectorAll('td[data-field]').forEach(function (cell) {
            var name = cell.dataset.field;
            if (name === 'done') {
              if (progress.done) cell.textContent = cell.dataset.done;
            } else if (name in progress) cell.textContent = String(progress[name]);
          });
          if (progress.done) row.dataset.finished = 'true';
          else setTimeout(poll, 1000);
        })
        .catch(function () {
          setTimeout(poll, 3000);
        });
    };
    setTimeout(poll, 500);
  });
})();
