/* global document */
// Sortable tables for the Parsimony leaderboard. Optional: every table reads
// fine without it. Loaded as a file so the Content-Security-Policy can forbid
// inline script. Cells sort by their data-sort value when present (raw
// numbers), else by their text; empty values stay last either way.
(function () {
  'use strict';

  function key(cell) {
    var raw = cell.getAttribute('data-sort');
    var text = raw !== null ? raw : cell.textContent.trim();
    if (text === '' || text === '—') return null;
    var n = Number(text);
    return raw !== null && Number.isFinite(n) ? n : text.toLowerCase();
  }

  function compare(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }

  function sortTable(table, col, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: row.cells[col] ? key(row.cells[col]) : null, i: i };
    });
    rows.sort(function (x, y) {
      if (x.key === null && y.key === null) return x.i - y.i;
      if (x.key === null) return 1;
      if (y.key === null) return -1;
      var c = compare(x.key, y.key);
      return (ascending ? c : -c) || x.i - y.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    if (!table.tHead || !table.tBodies[0]) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      button.title = 'Sort by this column';
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () { sortTable(table, col, th); });
    });
  });
})();
