/* Report page: while the citizen types, ask POST /api/v1/triage (debounced) and offer the proposed category as
   a one-tap choice. Optional: the form works without it; the citizen's own choice always wins. */
(function () {
  "use strict";
  var box = document.getElementById("triage-suggestion");
  var title = document.getElementById("id_title");
  var details = document.getElementById("id_details");
  var select = document.getElementById("id_category1");
  if (!box || !title || !details || !select || !window.fetch) return;
  var label = document.getElementById("triage-suggestion-text");
  var take = document.getElementById("triage-suggestion-take");
  var second = document.getElementById("id_category2");
  var timer = null, asked = "", proposed = null, proposedSub = null;

  function hide() { box.hidden = true; proposed = null; proposedSub = null; }

  function ask() {
    var text = title.value.trim() + "\n" + details.value.trim();
    if (select.value || text.length < 6 || text === asked) { if (select.value) hide(); return; }
    asked = text;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(box.dataset.url, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token ? token.value : ""},
      body: JSON.stringify({title: title.value.slice(0, 100), details: details.value.slice(0, 5000)})
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data || !data.category_id || select.value || !select.querySelector('option[value="' + data.category_id + '"]')) { hide(); return; }
      proposed = String(data.category_id);
      proposedSub = data.subcategory_id ? String(data.subcategory_id) : null;
      if (data.subcategory) {
        label.textContent = interpolate(gettext("建议分类：%(name)s › %(sub)s（可信度 %(percent)s）"), {name: data.category, sub: data.subcategory, percent: Math.round(data.subcategory_confidence * 100) + "%"}, true);
      } else {
        label.textContent = interpolate(gettext("建议分类：%(name)s（可信度 %(percent)s）"), {name: data.category, percent: Math.round(data.confidence * 100) + "%"}, true);
      }
      box.hidden = false;
    }).catch(hide);
  }

  function later() { clearTimeout(timer); timer = setTimeout(ask, 700); }
  title.addEventListener("input", later);
  details.addEventListener("input", later);
  select.addEventListener("change", function () { if (select.value) hide(); });
  take.addEventListener("click", function () {
    if (!proposed) return;
    var sub = proposedSub;
    if (sub && second) {
      // the second level's options arrive by htmx after the first level changes: choose it once they are in
      document.body.addEventListener("htmx:afterSwap", function pick(event) {
        if (event.target !== second) return;
        document.body.removeEventListener("htmx:afterSwap", pick);
        if (second.querySelector('option[value="' + sub + '"]')) second.value = sub;
      });
    }
    select.value = proposed;
    select.dispatchEvent(new Event("change", {bubbles: true}));
    hide();
  });
  if (details.value) later();
}());
