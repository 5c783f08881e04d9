// The official form's live arithmetic and Excel paste. Served locally; no library, no network.
// Every identity of the format (sent by the page as cell keys) is summed on both sides as cells
// are typed; an identity whose cells are all filled and whose sides differ marks its cells.
(function () {
  "use strict";
  var form = document.getElementById("official-form");
  var source = document.getElementById("identities");
  if (!form || !source) { return; }
  var identities = JSON.parse(source.textContent);
  var summary = document.getElementById("live-summary");

  function input(key) { return form.elements.namedItem(key); }

  function number(key) {
    var field = input(key);
    if (!field) { return null; }
    var text = field.value.replace(/[,，\s]/g, "");
    if (text === "") { return null; }
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  }

  function side(keys) {
    var total = 0;
    for (var i = 0; i < keys.length; i++) {
      var value = number(keys[i]);
      if (value === null || isNaN(value)) { return null; }
      total += value;
    }
    return Math.round(total * 10000) / 10000;
  }

  function recheck() {
    var broken = {};
    var failing = 0;
    identities.forEach(function (identity) {
      var left = side(identity.left), right = side(identity.right);
      if (left !== null && right !== null && left !== right) {
        failing += 1;
        identity.left.concat(identity.right).forEach(function (key) {
          broken[key] = (broken[key] || "") + "应相等：" + left + " ≠ " + right + "；";
        });
      }
    });
    form.querySelectorAll("table.official-form input").forEach(function (field) {
      var value = number(field.name);
      var bad = broken[field.name] || (value !== null && isNaN(value) ? "不是数字" : "");
      field.classList.toggle("error", Boolean(bad));
      field.title = bad || "";
      field.setAttribute("aria-invalid", bad ? "true" : "false");
    });
    summary.textContent = failing ? "勾稽关系不符 " + failing + " 处（标红的单元格）" : "勾稽关系相符";
  }

  // A row copied from Excel arrives tab-separated, a column newline-separated: fill the following
  // cells of the same row, or the same column of the following rows.
  form.addEventListener("paste", function (event) {
    var field = event.target;
    if (!field.dataset || field.dataset.row === undefined) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    var cells = lines.map(function (line) { return line.split("\t"); });
    if (lines.length === 1 && cells[0].length === 1) { return; }
    event.preventDefault();
    var table = field.closest("table");
    var row = Number(field.dataset.row), column = Number(field.dataset.column);
    cells.forEach(function (values, down) {
      values.forEach(function (value, across) {
        var target = table.querySelector(
          'input[data-row="' + (row + down) + '"][data-column="' + (column + across) + '"]');
        if (target) { target.value = value.trim(); }
      });
    });
    recheck();
  });
  form.addEventListener("input", recheck);
  recheck();
})();
