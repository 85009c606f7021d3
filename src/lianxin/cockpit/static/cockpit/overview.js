/* The cockpit page: draw the charts from the data embedded in the page (no inline script: the CSP forbids it). */
LianxinCockpit.render(JSON.parse(document.getElementById("cockpit-data").textContent), {theme: null});
