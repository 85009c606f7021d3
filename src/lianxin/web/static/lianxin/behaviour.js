// Small page behaviours as data attributes, because the Content-Security-Policy forbids inline handlers
// (onclick=, onsubmit=, onchange=):
//   data-confirm="question"  on a button or form: ask before submitting
//   data-print               on a button: print the page
//   data-autosubmit          on a form field: submit its form when it changes
(function () {
  "use strict";
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
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
      event.target.form.submit();
    }
  });
})();
