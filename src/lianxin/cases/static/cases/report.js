/* Report page: pin a location on a map of grid polygons over the district's and streets' outlines (tiles only if
   configured; the map and Leaflet are loaded when the citizen opens it), "use my location",
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
    var query = within ? "?within=" + encodeURIComponent(within) : "";
    var url = mapElement.getAttribute("data-grids-url") + query;
    fetch(mapElement.getAttribute("data-base-url") + query, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      outlines.clearLayers();
      outlines.addData(data);
      outlines.bringToBack();
    }).catch(function () { /* the grids alone still make a map */ });
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      grids.clearLayers();
      grids.addData(data);
      if (grids.getLayers().length) {
        map.invalidateSize();
        if (!marker) map.fitBounds(grids.getBounds(), { padding: [8, 8] });
      }
    }).catch(function () { /* no map, the rest of the form works */ });
  }

  // The offline base layer, from the registry's own polygons: the district's outline, the streets' (dashed, named)
  // and the communities', under the grids (light fill, named). Readable without any tile server.
  var OUTLINE_STYLE = {
    district: { color: "#5d4037", weight: 3, fill: false },
    street: { color: "#6d4c41", weight: 2, dashArray: "6 4", fill: false },
    community: { color: "#8d6e63", weight: 1, dashArray: "2 4", fill: false }
  };
  var outlines = null;

  function label(layer, name, className) {
    layer.bindTooltip(name, { permanent: true, direction: "center", className: "map-label " + className, interactive: false });
  }

  function startMap() {
    var L = window.L;
    var tiles = mapElement.getAttribute("data-tiles");
    var center = (mapElement.getAttribute("data-center") || "").split(",").map(parseFloat);
    mapElement.hidden = false;
    map = L.map(mapElement, { attributionControl: false, zoomSnap: 0.5 });
    if (tiles) L.tileLayer(tiles, { maxZoom: 19 }).addTo(map);
    if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) { map.setView(center, 15); } else { map.setView([35, 105], 4); }
    outlines = L.geoJSON(null, {
      interactive: false,
      style: function (feature) { return OUTLINE_STYLE[feature.properties.kind] || OUTLINE_STYLE.community; },
      onEachFeature: function (feature, layer) {
        if (feature.properties.kind === "street") label(layer, feature.properties.name, "map-label-street");
      }
    }).addTo(map);
    grids = L.geoJSON(null, {
      style: { color: "#b71c1c", weight: 1, fillOpacity: 0.08 },
      onEachFeature: function (feature, layer) {
        label(layer, feature.properties.name, "map-label-grid");
        layer.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
      }
    }).addTo(map);
    map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
    loadGrids(mapElement.getAttribute("data-within"));
    var street = document.getElementById("id_street");
    if (street) street.addEventListener("change", function () { loadGrids(street.value || mapElement.getAttribute("data-within")); });
    var lat = parseFloat(latInput.value);
    var lng = parseFloat(lngInput.value);
    if (!isNaN(lat) && !isNaN(lng)) setPoint(lat, lng, 16);
  }

  // Leaflet (about 40 KB compressed) is fetched only when the citizen opens the map.
  function showMap() {
    if (map || !mapElement) return;
    if (showButton) showButton.disabled = true;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = mapElement.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = mapElement.getAttribute("data-leaflet-js");
    script.onload = function () { startMap(); if (showButton) showButton.hidden = true; };
    script.onerror = function () { if (showButton) showButton.disabled = false; say(gettext("地图加载失败，请选择社区、网格或填写地址。")); };
    document.head.appendChild(script);
  }
  var showButton = document.getElementById("show-map");
  if (showButton && mapElement) showButton.addEventListener("click", showMap);

  var lat = parseFloat(latInput.value);
  var lng = parseFloat(lngInput.value);
  if (!isNaN(lat) && !isNaN(lng)) setPoint(lat, lng, 0);

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
