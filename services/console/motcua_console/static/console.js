/* The console's only script: it improves pages that work without it. Loaded from this host alone. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // An error summary takes focus so the officer (and a screen reader) hears the failure first; a link
    // in it focuses its field. Otherwise a success banner takes focus.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) { return; }
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        event.preventDefault();
        var input = target.matches("input,select,textarea") ? target : target.querySelector("input,select,textarea");
        (input || target).focus();
        target.scrollIntoView({ block: "center" });
      });
    } else {
      var banner = document.querySelector("[data-banner][role='alert']");
      if (banner) { banner.focus(); }
    }

    // WCAG 2.2.1: warn two minutes before the idle limit, and let the officer carry on.
    var idle = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
    var warning = document.getElementById("canh-bao-het-phien");
    if (idle > 180 && warning) {
      var timer;
      var arm = function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          warning.hidden = false;
          warning.querySelector("button").focus();
        }, (idle - 120) * 1000);
      };
      warning.querySelector("[data-keep-alive-button]").addEventListener("click", function () {
        var body = new URLSearchParams();
        body.set("csrf_token", document.body.getAttribute("data-csrf"));
        fetch(document.body.getAttribute("data-keep-alive"), { method: "POST", body: body, credentials: "same-origin" })
          .then(function () { warning.hidden = true; arm(); });
      });
      arm();
    }
  });
})();
