// The light stylesheet of the citizen's phone pages (report, tracking): Bootstrap with only the rules those pages
// use. Built by `make install` (PurgeCSS) into node_modules/.lianxin-build/phone.css, served as
// static/vendor/build/phone.css, never committed; the pages' templates and scripts are the content it keeps rules
// for, and the Makefile rebuilds it when one of them changes. tests/public/test_phone_weight.py fails when a phone
// page uses a Bootstrap class the sheet lacks.
module.exports = {
  css: ["node_modules/bootstrap/dist/css/bootstrap.min.css"],
  content: [
    "src/lianxin/web/templates/base.html",
    "src/lianxin/web/templates/public_base.html",
    "src/lianxin/web/templates/web/_personal_data_hint.html",
    "src/lianxin/throttle/templates/throttle/*.html",
    "src/lianxin/cases/templates/cases/public/*.html",
    "src/lianxin/topics/templates/topics/_*.html",
    "src/lianxin/triage/templates/triage/_*.html",
    "src/lianxin/cases/static/cases/*.js",
    "src/lianxin/triage/static/triage/*.js",
    "src/lianxin/web/static/lianxin/behaviour.js",
  ],
  // Classes the scripts and the server add at run time (form errors, hidden states).
  safelist: ["is-invalid", "is-valid", "invalid-feedback", "d-block", "d-none", "show", "disabled", "active"],
  fontFace: true,
  keyframes: true,
  variables: true,
};
