/* Station page: a pin on a small map. Tiles only if the deployment configured a tile server (intranets
   usually have none); otherwise the station's area is drawn from our own data. */
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("station-map");
    if (!element || !window.L) return;
    var parts = (element.getAttribute("data-pin") || "").split(",");
    var lat = parseFloat(parts[0]), lng = parseFloat(parts[1]);
    if (isNaN(lat) || isNaN(lng)) { element.hidden = true; return; }
    var map = window.L.map(element, { attributionControl: false, zoomSnap: 0.5 });
    var tiles = element.getAttribute("data-tiles");
    if (tiles) window.L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    var areaNode = document.getElementById("station-area");
    var area = areaNode ? JSON.parse(areaNode.textContent) : null;
    if (area) {
      var layer = window.L.geoJSON(area, { style: { color: "#b71c1c", weight: 1, fillOpacity: 0.05 } }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([lat, lng], 15);
    }
    window.L.circleMarker([lat, lng], { radius: 9, color: "#b71c1c", fillOpacity: 0.9 }).addTo(map)
      .bindTooltip(element.closest("main").querySelector("h1").textContent);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
