// The wall screen (智慧屏): cycle through the recent answers, reload every 10 minutes for new ones.
(function () {
  var slides = document.querySelectorAll(".wall-slide");
  var box = document.getElementById("wall-slides");
  var interval = parseInt(box && box.dataset.interval, 10) || 12000;
  var current = 0;
  function show(next) {
    if (!slides.length) return;
    slides[current].classList.remove("active");
    current = next % slides.length;
    slides[current].classList.add("active");
  }
  if (slides.length > 1) setInterval(function () { show(current + 1); }, interval);
  var clock = document.getElementById("wall-clock");
  function tick() { if (clock) clock.textContent = new Date().toLocaleString(document.documentElement.lang || "zh-CN", { hour12: false }); }
  tick();
  setInterval(tick, 1000);
  setTimeout(function () { window.location.reload(); }, 10 * 60 * 1000);
})();
