// Small page behaviours as data attributes, because the Content-Security-Policy forbids inline handlers
// (onclick=, onsubmit=, onchange=):
//   data-confirm="question"  on a button or form: ask before submitting
//   data-print               on a button: print the page
//   data-autosubmit          on a form field: submit its form when it changes
//   data-filter-select="id"  on a text input: show only the options of select#id whose text contains what is
//                            typed (empty groups hidden); a hidden choice gives way to the first shown one
//   data-set-field="#id" data-set-value="v"  on a link or button: set that form field on click, before htmx
//                            reads the form (a tab of a filtered list: the tab's request and any later one from
//                            the filter form carry the new tab)
//   table.table-cards        a list shown as cards on a phone (lianxin.css): each cell gets its column's name
//                            as data-label, on load and after every htmx swap
(function () {
  "use strict";
  function labelCards(root) {
    var tables = (root.matches && root.matches("table.table-cards")) ? [root] : root.querySelectorAll("table.table-cards");
    Array.prototype.forEach.call(tables, function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.querySelectorAll("tbody > tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, n) {
          if (names[n] && !cell.hasAttribute("colspan") && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[n]);
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { labelCards(document); });
  } else {
    labelCards(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { labelCards(event.target || document); });
  // capture phase: runs before htmx's own click handler on the element
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-set-field]");
    if (!target) return;
    var field = document.querySelector(target.getAttribute("data-set-field"));
    if (field) field.value = target.getAttribute("data-set-value");
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm], [data-print]");
    if (!target) return;
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
      return;
    }
    if (target.tagName !== "FORM" && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-filter-select")) return;
    var select = document.getElementById(input.getAttribute("data-filter-select"));
    if (!select) return;
    var needle = input.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var shown = !option.value || !needle || option.text.toLowerCase().indexOf(needle) !== -1;
      option.hidden = !shown;
      if (shown && option.value && first === null) first = option;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
    });
    var selected = select.options[select.selectedIndex];
    if (needle && first && (!selected || selected.hidden || !selected.value)) {
      first.selected = true;
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
      event.target.form.submit();
    }
  });
})();
