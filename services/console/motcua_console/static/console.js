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

    // An import's page: ask the console how far intake has got every few seconds, move the bar, and stop
    // once it is done (without the script, the page reloads itself instead).
    var progress = document.querySelector("[data-import-progress]");
    if (progress && window.fetch) {
      var bar = progress.querySelector("progress");
      var status = progress.querySelector("[data-progress-status]");
      var summaryText = progress.querySelector("[data-progress-summary]");
      var reload = document.querySelector("[data-progress-reload]");
      var every = parseInt(progress.getAttribute("data-poll-seconds") || "2", 10) * 1000;
      var poll = function () {
        fetch(progress.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            // Signed out (the sign-in page answers instead) or gone: stop; the reload link still works.
            var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
            return response.ok && json ? response.json() : null;
          })
          .then(function (answer) {
            if (!answer) { return; }
            bar.max = answer.goal || 1;
            bar.value = answer.goal ? answer.applied : (answer.done ? 1 : 0);
            bar.textContent = answer.applied + " / " + answer.goal;
            status.textContent = answer.status_text;
            summaryText.textContent = answer.summary + (answer.finished_at ? " Xong lúc " + answer.finished_at + "." : "");
            if (answer.done) {
              status.className = answer.failed ? "tag tag--red" : "tag tag--green";
              progress.setAttribute("data-done", "true");
              if (reload) { reload.hidden = true; }
            } else {
              setTimeout(poll, every);
            }
          })
          .catch(function () { setTimeout(poll, every * 3); });
      };
      if (progress.getAttribute("data-done") !== "true") { setTimeout(poll, every); }
    }
  });
})();
