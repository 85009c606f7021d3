/* Citizen pages: copy the follow-up link; a comment is required with 不满意. No dependencies. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy-target"));
      if (!input) return;
      var done = function () {
        var original = button.textContent;
        button.textContent = button.getAttribute("data-copied-text") || original;
        setTimeout(function () { button.textContent = original; }, 2000);
      };
      var fallback = function () {
        input.select();
        input.setSelectionRange(0, input.value.length);
        try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  });

  var ratingForm = document.getElementById("rating-form");
  if (ratingForm) {
    var comment = ratingForm.querySelector("textarea[name=comment]");
    var sync = function () {
      var chosen = ratingForm.querySelector("input[name=rating]:checked");
      comment.required = !!chosen && chosen.value === "unsatisfied";
    };
    ratingForm.addEventListener("change", sync);
    sync();
  }
})();
