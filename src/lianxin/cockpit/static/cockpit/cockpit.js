/* Lianxin cockpit charts (ECharts, served locally). render(data, {theme}) draws every chart whose element exists;
   the wall screen calls it again with fresh data. Clicking a bar or slice opens the list behind it.
   Series names and tooltips come from the JavaScript catalogue (gettext), loaded before this file. */
(function () {
  "use strict";
  var charts = {};
  var RED = ["#b5232a", "#e07b39", "#f2c14e", "#5b8e7d", "#2f6690", "#7b5ea7", "#8a8a8a", "#3a7ca5"];

  function chart(id, theme) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    if (!charts[id]) {
      charts[id] = echarts.init(el, theme || null, {renderer: "canvas"});
      charts[id].on("click", function (p) {
        if (p.data && p.data.url) window.location.href = p.data.url;
      });
    }
    return charts[id];
  }

  function textColor(theme) { return theme === "dark" ? "#dbe6ff" : "#333"; }

  function render(data, opts) {
    opts = opts || {};
    var theme = opts.theme, fg = textColor(theme), bg = "transparent";
    var c;
    if ((c = chart("chart-trend", theme))) {
      c.setOption({
        backgroundColor: bg, animation: false, color: RED, grid: {left: 40, right: 16, top: 16, bottom: 28},
        tooltip: {trigger: "axis"},
        xAxis: {type: "category", data: data.trend.map(function (p) { return p.label; }), axisLabel: {color: fg}},
        yAxis: {type: "value", minInterval: 1, axisLabel: {color: fg}},
        series: [{type: "line", smooth: true, areaStyle: {opacity: 0.15}, data: data.trend.map(function (p) { return p.value; })}]
      });
    }
    function pie(id, items) {
      var ch = chart(id, theme);
      if (!ch) return;
      ch.setOption({
        backgroundColor: bg, animation: false, color: RED, tooltip: {trigger: "item", formatter: gettext("{b}：{c}（{d}%）")},
        series: [{type: "pie", radius: ["40%", "70%"], label: {color: fg, formatter: "{b}"},
          data: items.filter(function (i) { return i.value > 0; }).map(function (i) { return {name: i.label, value: i.value, url: i.url}; })}]
      });
    }
    pie("chart-status", data.status);
    pie("chart-channels", data.channels);
    if ((c = chart("chart-categories", theme))) {
      var cats = data.categories.slice(0, 10).reverse();
      c.setOption({
        backgroundColor: bg, animation: false, color: RED, grid: {left: 110, right: 24, top: 8, bottom: 20},
        tooltip: {trigger: "item"},
        xAxis: {type: "value", minInterval: 1, axisLabel: {color: fg}},
        yAxis: {type: "category", data: cats.map(function (i) { return i.label; }), axisLabel: {color: fg}},
        series: [{type: "bar", data: cats.map(function (i) { return {value: i.value, url: i.url}; })}]
      });
    }
    if ((c = chart("chart-children", theme))) {
      var kids = data.children.slice(0, 12);
      c.setOption({
        backgroundColor: bg, animation: false, color: ["#f2c14e", "#e0533d"], legend: {textStyle: {color: fg}},
        grid: {left: 40, right: 16, top: 30, bottom: 40}, tooltip: {trigger: "axis"},
        xAxis: {type: "category", data: kids.map(function (r) { return r.name; }), axisLabel: {color: fg, interval: 0, rotate: 20}},
        yAxis: {type: "value", minInterval: 1, axisLabel: {color: fg}},
        series: [
          {name: gettext("受理"), type: "bar", data: kids.map(function (r) { return {value: r.total, url: r.drill_url || r.url}; })},
          {name: gettext("超期"), type: "bar", data: kids.map(function (r) { return {value: r.overdue, url: r.url}; })}
        ]
      });
    }
    if (data.map && data.map.geojson.features.length && (c = chart("chart-map", theme))) {
      echarts.registerMap("lianxin-grids", data.map.geojson);
      var max = Math.max.apply(null, data.map.values.map(function (v) { return v.value; }).concat([1]));
      c.setOption({
        backgroundColor: bg, animation: false, tooltip: {trigger: "item", formatter: gettext("{b}：{c} 件")},
        visualMap: {min: 0, max: max, left: 8, bottom: 8, calculable: false, textStyle: {color: fg},
          inRange: {color: ["#fff5e6", "#f2c14e", "#e07b39", "#b5232a"]}},
        series: [{type: "map", map: "lianxin-grids", roam: false, label: {show: false},
          itemStyle: {borderColor: theme === "dark" ? "#0b1a33" : "#fff"}, data: data.map.values}]
      });
    }
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }

  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  window.LianxinCockpit = {render: render};
})();
