/* The wall screen: draws once from the embedded data, then refreshes from the JSON endpoint on a timer. */
(function () {
  "use strict";
  var root = document.getElementById("wall");
  var LANG = document.documentElement.lang || "zh-CN";  // clock and time in the page's language
  function pick(obj, path) { return path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, obj); }

  // The hot list shows as many whole items as its panel holds (whatever their number or the length of their
  // names: a long name wraps), and a last line says how many more the cockpit lists.
  function fitList(list) {
    var items = Array.prototype.slice.call(list.querySelectorAll("li:not(.more)"));
    var old = list.querySelector("li.more");
    if (old) old.remove();
    items.forEach(function (li) { li.hidden = false; });
    if (list.scrollHeight <= list.clientHeight) return;
    var more = document.createElement("li");
    more.className = "more";
    list.appendChild(more);
    var hidden = 0;
    for (var i = items.length - 1; i > 0 && list.scrollHeight > list.clientHeight; i--) {
      items[i].hidden = true;
      hidden += 1;
      more.textContent = interpolate(ngettext("另有 %(n)s 项热点（见驾驶舱）", "另有 %(n)s 项热点（见驾驶舱）", hidden), {n: hidden}, true);
    }
  }

  function show(data) {
    document.querySelectorAll("[data-k]").forEach(function (el) { el.textContent = pick(data, el.dataset.k); });
    (data.rates || []).forEach(function (r) {
      var el = document.querySelector('[data-rate="' + r.key + '"]');
      if (el) el.textContent = r.percent == null ? "—" : r.percent.toFixed(1) + "%";
    });
    if (data.updated_at) document.getElementById("wall-updated").textContent = new Date(data.updated_at).toLocaleTimeString(LANG, {hour12: false});
    var hot = document.getElementById("wall-hot");
    if (data.hot && data.hot.length) {
      hot.innerHTML = "";
      data.hot.forEach(function (h) {
        var li = document.createElement("li"), a = document.createElement("span"), b = document.createElement("span");
        a.className = "t"; a.textContent = h.label || (h.keyword + (h.place ? " · " + h.place : ""));
        b.className = "n"; b.textContent = interpolate(ngettext("%(n)s件", "%(n)s件", h.cases), {n: h.cases}, true);
        li.appendChild(a); li.appendChild(b); hot.appendChild(li);
      });
    }
    fitList(hot);
    if (data.map === undefined) data.map = initial.map;
    LianxinCockpit.render(data, {theme: "dark", wall: true});
  }
  function tick() {
    document.getElementById("wall-clock").textContent = new Date().toLocaleString(LANG, {hour12: false});
  }
  var initial = JSON.parse(document.getElementById("cockpit-data").textContent);
  show(initial);
  tick();
  setInterval(tick, 1000);
  var seconds = Math.max(parseInt(root.dataset.refresh, 10) || 60, 10);
  setInterval(function () {
    fetch(root.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(show)
      .catch(function () { /* keep the last figures on screen; the next tick tries again */ });
  }, seconds * 1000);
  window.LianxinWall = {fitList: fitList};
})();
