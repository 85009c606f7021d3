/* Find my deputy: the map of grids and stations (tiles only if configured), tap or "use my location" to
   look the point up, and pickers that submit themselves. Without JavaScript the pickers and search work.
   Messages come from the JavaScript catalogue (gettext), loaded by base.html before this file. */
(function () {
  "use strict";
  var result = document.getElementById("finder-result");
  var mapElement = document.getElementById("finder-map");
  var status = document.getElementById("locate-status");
  var locateButton = document.getElementById("locate-me");
  var map = null;
  var marker = null;

  Array.prototype.forEach.call(document.querySelectorAll(".auto-submit"), function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      // Changing a level clears the levels below it.
      var below = false;
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (other) {
        if (below) other.value = "";
        if (other === select) below = true;
      });
      form.submit();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".js-hide"), function (el) { el.hidden = true; });

  function say(text) { if (status) status.textContent = text; }

  function lookUp(lat, lng) {
    if (map) {
      if (marker) { marker.setLatLng([lat, lng]); } else { marker = window.L.circleMarker([lat, lng], { radius: 8, color: "#0d47a1", fillOpacity: 0.9 }).addTo(map); }
    }
    var url = mapElement.getAttribute("data-at-url") + "?lat=" + lat.toFixed(6) + "&lng=" + lng.toFixed(6);
    say(gettext("正在查找…"));
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      result.innerHTML = html;
      say("");
      result.scrollIntoView({ behavior: "smooth", block: "start" });
    }).catch(function () { say(gettext("网络不通，请稍后再试，或按街道、社区选择。")); });
  }

  if (navigator.geolocation && locateButton && mapElement) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      say(gettext("正在获取位置…"));
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          if (map) map.setView([pos.coords.latitude, pos.coords.longitude], 16);
          lookUp(pos.coords.latitude, pos.coords.longitude);
        },
        function () { say(gettext("无法获取您的位置，请在地图上点选，或按街道、社区选择。")); },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  if (!mapElement || !window.L) return;
  var L = window.L;
  var tiles = mapElement.getAttribute("data-tiles");
  mapElement.hidden = false;
  map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.5, tap: true });
  if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
  map.setView([35, 105], 4);
  var grids = L.geoJSON(null, {
    style: { color: "#b71c1c", weight: 1, fillColor: "#ef9a9a", fillOpacity: 0.15 },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(feature.properties.name, { sticky: true });
      layer.on("click", function (e) { L.DomEvent.stopPropagation(e); lookUp(e.latlng.lat, e.latlng.lng); });
    }
  }).addTo(map);
  var pins = L.layerGroup().addTo(map);
  map.on("click", function (e) { lookUp(e.latlng.lat, e.latlng.lng); });
  fetch(mapElement.getAttribute("data-url"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    grids.addData(data.grids);
    data.stations.forEach(function (s) {
      L.marker([s.lat, s.lng], { icon: L.divIcon({ className: "station-pin", iconSize: [14, 14] }), title: s.name })
        .bindTooltip(s.name).addTo(pins);
    });
    if (grids.getLayers().length) {
      map.invalidateSize();
      map.fitBounds(grids.getBounds(), { padding: [8, 8] });
      mapElement.setAttribute("data-ready", "1");
    } else if (!tiles) {
      mapElement.hidden = true;  // nothing to draw: the pickers and the search still work
    }
  }).catch(function () { if (!tiles) mapElement.hidden = true; });
})();
