/* Lianxin cockpit charts (ECharts, served locally). render(data, {theme, wall}) draws every chart whose element
   exists; the wall screen calls it again with fresh data. Clicking a bar or slice opens the list behind it.
   Series names and tooltips come from the JavaScript catalogue (gettext), loaded before this file.

   Sizes: the wall screen (1920×1080, read from a few metres) draws every axis, legend and map label at WALL_FONT px
   or more and uses the SVG renderer (sharp when the screen scales it; its labels are <text> elements a browser test
   can measure); the overview keeps ECharts' 12 px on the canvas. No label is cut or left to overlap another:
   category labels are horizontal and hide when they would collide, long ones wrap or end with "…" and show whole
   in the tooltip, legends sit above the plot. */
(function () {
  "use strict";
  var charts = {};
  var RED = ["#b5232a", "#e07b39", "#f2c14e", "#5b8e7d", "#2f6690", "#7b5ea7", "#8a8a8a", "#3a7ca5"];
  var WALL_FONT = 16, DESK_FONT = 12;

  function chart(id, theme, renderer) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    if (!charts[id]) {
      charts[id] = echarts.init(el, theme || null, {renderer: renderer || "canvas"});
      charts[id].on("click", function (p) {
        if (p.data && p.data.url) window.location.href = p.data.url;
      });
    }
    return charts[id];
  }

  function textColor(theme) { return theme === "dark" ? "#dbe6ff" : "#333"; }

  // Centre of a GeoJSON feature's outer rings (mean of their points: enough to place a label inside a grid).
  function centre(feature) {
    var g = feature.geometry || {}, rings = g.type === "MultiPolygon" ? g.coordinates.map(function (p) { return p[0]; }) : [(g.coordinates || [[]])[0]];
    var x = 0, y = 0, n = 0;
    rings.forEach(function (ring) { (ring || []).forEach(function (pt) { x += pt[0]; y += pt[1]; n += 1; }); });
    return n ? [x / n, y / n] : [0, 0];
  }

  // Which grids carry a label: every grid when there are few (a street's or a community's map), else one grid per
  // area (street or community, the level below the scope), the one nearest the area's centre, labelled with the
  // area's name. The tooltip names each grid either way.
  function mapData(map, maxGridLabels) {
    var centres = {}, areas = {};
    map.geojson.features.forEach(function (f) { centres[f.properties.name] = centre(f); });
    var perGrid = map.values.length <= maxGridLabels;
    if (!perGrid) {
      map.values.forEach(function (v) {
        if (!v.area) return;
        var c = centres[v.name], a = areas[v.area] || (areas[v.area] = {x: 0, y: 0, n: 0, items: []});
        a.x += c[0]; a.y += c[1]; a.n += 1; a.items.push(v);
      });
    }
    var chosen = {};
    Object.keys(areas).forEach(function (name) {
      var a = areas[name], mx = a.x / a.n, my = a.y / a.n, best = null, bestD = Infinity;
      a.items.forEach(function (v) {
        var c = centres[v.name], d = (c[0] - mx) * (c[0] - mx) + (c[1] - my) * (c[1] - my);
        if (d < bestD) { bestD = d; best = v; }
      });
      if (best) chosen[best.name] = name;
    });
    return map.values.map(function (v) {
      var item = {name: v.name, value: v.value, url: v.url};
      if (perGrid) item.label = {show: true};
      else if (chosen[v.name]) item.label = {show: true, formatter: chosen[v.name]};
      return item;
    });
  }

  function render(data, opts) {
    opts = opts || {};
    var theme = opts.theme, fg = textColor(theme), bg = "transparent";
    var wall = !!opts.wall, size = wall ? WALL_FONT : DESK_FONT, renderer = wall ? "svg" : "canvas";
    var axisText = {color: fg, fontSize: size, hideOverlap: true};
    var c;
    if ((c = chart("chart-trend", theme, renderer))) {
      c.setOption({
        backgroundColor: bg, animation: false, color: RED,
        grid: {left: 8, right: 24, top: 16, bottom: 8, containLabel: true},
        tooltip: {trigger: "axis"},
        xAxis: {type: "category", data: data.trend.map(function (p) { return p.label; }), axisLabel: axisText},
        yAxis: {type: "value", minInterval: 1, axisLabel: axisText},
        series: [{type: "line", smooth: true, areaStyle: {opacity: 0.15}, data: data.trend.map(function (p) { return p.value; })}]
      });
    }
    function pie(id, items) {
      var ch = chart(id, theme, renderer);
      if (!ch) return;
      // The list under the pie names every slice with its number (and links it): the slices carry no outside
      // labels, which a narrow card would cut ("Depu…"); hovering a slice shows its name in the middle.
      ch.setOption({
        backgroundColor: bg, animation: false, color: RED, tooltip: {trigger: "item", formatter: gettext("{b}：{c}（{d}%）")},
        series: [{type: "pie", radius: ["45%", "75%"], label: {show: false, position: "center"},
          emphasis: {label: {show: true, color: fg, fontSize: size, fontWeight: "bold", formatter: "{b}\n{c}",
            width: 80, overflow: "break"}},
          data: items.filter(function (i) { return i.value > 0; }).map(function (i) { return {name: i.label, value: i.value, url: i.url}; })}]
      });
    }
    pie("chart-status", data.status);
    pie("chart-channels", data.channels);
    if ((c = chart("chart-categories", theme, renderer))) {
      var cats = data.categories.slice(0, 10).reverse();
      c.setOption({
        backgroundColor: bg, animation: false, color: RED, grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
        tooltip: {trigger: "item", formatter: "{b}：{c}"},
        xAxis: {type: "value", minInterval: 1, axisLabel: axisText},
        yAxis: {type: "category", data: cats.map(function (i) { return i.label; }),
          axisLabel: {color: fg, fontSize: size, interval: 0, width: wall ? 170 : 150, overflow: "truncate"}},
        series: [{type: "bar", data: cats.map(function (i) { return {name: i.label, value: i.value, url: i.url}; })}]
      });
    }
    if ((c = chart("chart-children", theme, renderer))) {
      // Horizontal bars: one line per street or station, names left of the bars, the legend above them.
      var kids = data.children.slice(0, 12).reverse();
      c.setOption({
        backgroundColor: bg, animation: false, color: ["#f2c14e", "#e0533d"],
        legend: {top: 0, right: 8, itemWidth: size * 1.5, itemHeight: size * 0.8, textStyle: {color: fg, fontSize: size}},
        grid: {left: 8, right: 24, top: size + 20, bottom: 8, containLabel: true}, tooltip: {trigger: "axis"},
        yAxis: {type: "category", data: kids.map(function (r) { return r.name; }),
          axisLabel: {color: fg, fontSize: size, interval: 0, width: wall ? 170 : 150, overflow: "truncate"}},
        xAxis: {type: "value", minInterval: 1, axisLabel: axisText},
        series: [
          {name: gettext("受理"), type: "bar", data: kids.map(function (r) { return {value: r.total, url: r.drill_url || r.url}; })},
          {name: gettext("超期"), type: "bar", data: kids.map(function (r) { return {value: r.overdue, url: r.url}; })}
        ]
      });
    }
    if (data.map && data.map.geojson.features.length && (c = chart("chart-map", theme, renderer))) {
      echarts.registerMap("lianxin-grids", data.map.geojson);
      var max = Math.max.apply(null, data.map.values.map(function (v) { return v.value; }).concat([1]));
      c.setOption({
        backgroundColor: bg, animation: false, tooltip: {trigger: "item", formatter: gettext("{b}：{c} 件")},
        visualMap: {min: 0, max: max, left: 8, bottom: 8, calculable: false, itemHeight: wall ? 160 : 100,
          text: [String(max), gettext("0 件")], textStyle: {color: fg, fontSize: size},
          inRange: {color: ["#fff5e6", "#f2c14e", "#e07b39", "#b5232a"]}},
        series: [{type: "map", map: "lianxin-grids", roam: false, left: wall ? 60 : 50, right: 8,
          label: {show: false, color: "#111", fontSize: size, fontWeight: "bold", textBorderColor: "#fff", textBorderWidth: 3},
          labelLayout: {hideOverlap: true},
          emphasis: {label: {show: true}},
          itemStyle: {borderColor: theme === "dark" ? "#0b1a33" : "#fff"}, data: mapData(data.map, 24)}]
      });
    }
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }

  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  window.LianxinCockpit = {render: render, charts: charts};
})();
