/* Report page: pin a location on a map of grid polygons (tiles only if configured), "use my location",
   photo count check, and no double submit. Everything here is optional: the form works without it.
   Messages come from the JavaScript catalogue (gettext), loaded by base.html before this file. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var latInput = document.getElementById("id_lat");
  var lngInput = document.getElementById("id_lng");
  var status = document.getElementById("location-status");
  var locateButton = document.getElementById("locate-me");
  var clearButton = document.getElementById("clear-location");
  var mapElement = document.getElementById("report-map");
  var map = null;
  var marker = null;
  var grids = null;

  function say(text) { if (status) status.textContent = text; }

  function setPoint(lat, lng, zoom) {
    latInput.value = lat.toFixed(6);
    lngInput.value = lng.toFixed(6);
    clearButton.hidden = false;
    say(interpolate(gettext("已标记位置（%(lat)s, %(lng)s）"), {lat: lat.toFixed(5), lng: lng.toFixed(5)}, true));
    if (!map) return;
    if (marker) { marker.setLatLng([lat, lng]); } else { marker = window.L.circleMarker([lat, lng], { radius: 8, color: "#b71c1c", fillOpacity: 0.8 }).addTo(map); }
    if (zoom) map.setView([lat, lng], zoom);
  }

  clearButton.addEventListener("click", function () {
    latInput.value = "";
    lngInput.value = "";
    clearButton.hidden = true;
    if (marker) { marker.remove(); marker = null; }
    say("");
  });

  if (navigator.geolocation) {
    locateButton.hidden = false;
    locateButton.addEventListener("click", function () {
      say(gettext("正在获取位置…"));
      navigator.geolocation.getCurrentPosition(
        function (pos) { setPoint(pos.coords.latitude, pos.coords.longitude, 17); },
        function () { say(gettext("无法获取您的位置，请在地图上点选或选择网格。")); },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  function loadGrids(within) {
    var url = mapElement.getAttribute("data-grids-url") + (within ? "?within=" + encodeURIComponent(within) : "");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      grids.clearLayers();
      grids.addData(data);
      if (grids.getLayers().length) {
        mapElement.hidden = false;
        map.invalidateSize();
        if (!marker) map.fitBounds(grids.getBounds(), { padding: [8, 8] });
      } else if (!mapElement.getAttribute("data-tiles")) {
        mapElement.hidden = true; // nothing to draw: the selects and the address still work
      }
    }).catch(function () { /* no map, the rest of the form works */ });
  }

  if (mapElement && window.L) {
    var L = window.L;
    var tiles = mapElement.getAttribute("data-tiles");
    var center = (mapElement.getAttribute("data-center") || "").split(",").map(parseFloat);
    mapElement.hidden = !tiles;
    map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.5 });
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) { map.setView(center, 15); } else { map.setView([35, 105], 4); }
    grids = L.geoJSON(null, {
      style: { color: "#b71c1c", weight: 1, fillOpacity: 0.08 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.name, { sticky: true });
        layer.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
      }
    }).addTo(map);
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
    loadGrids(mapElement.getAttribute("data-within"));
    var street = document.getElementById("id_street");
    if (street) street.addEventListener("change", function () { loadGrids(street.value || mapElement.getAttribute("data-within")); });
  }

  var lat = parseFloat(latInput.value);
  var lng = parseFloat(lngInput.value);
  if (!isNaN(lat) && !isNaN(lng)) setPoint(lat, lng, map ? 16 : 0);

  var photos = document.getElementById("id_photos");
  var tooMany = document.getElementById("photos-too-many");
  if (photos) {
    photos.addEventListener("change", function () {
      var max = parseInt(photos.getAttribute("data-max"), 10);
      var over = photos.files && photos.files.length > max;
      photos.classList.toggle("is-invalid", over);
      if (tooMany) tooMany.style.display = over ? "block" : "";
      if (over) photos.value = "";
    });
  }

  var submit = document.getElementById("report-submit");
  var submitText = submit.textContent;
  form.addEventListener("submit", function () {
    // The idempotency key makes a second tap harmless; this only spares a second upload.
    setTimeout(function () { submit.disabled = true; submit.textContent = submit.getAttribute("data-busy-text"); }, 0);
  });
  window.addEventListener("pageshow", function () { submit.disabled = false; submit.textContent = submitText; });
})();
