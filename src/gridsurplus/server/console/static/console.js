// The operator's console: live figures without reloading, by polling this server only.
// The page names its live endpoint in <body data-live>; the server answers 204 while nothing
// changed since the stamp it sent, else {stamp, html} with the new live part of the page.
(function () {
  "use strict";
  const body = document.body;
  const url = body.dataset.live;
  const status = document.getElementById("live-status");

  function say(text) {
    if (status) { status.textContent = text; }
  }

  async function poll() {
    const sep = url.indexOf("?") >= 0 ? "&" : "?";
    try {
      const response = await fetch(url + sep + "stamp=" + encodeURIComponent(body.dataset.stamp || ""),
        { credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (response.status === 401) { say("signed out"); return; }
      if (response.status === 200) {
        const data = await response.json();
        const live = document.getElementById("live");
        if (live) { live.innerHTML = data.html; }
        body.dataset.stamp = data.stamp;
        say("updated " + new Date().toLocaleTimeString());
      } else if (response.status === 204) {
        say("live");
      } else {
        say("server said " + response.status);
      }
    } catch (err) {
      say("server unreachable, retrying");
    }
    window.setTimeout(poll, Number(body.dataset.poll) || 5000);
  }

  // A long action (solving tomorrow's grid) shows that it is under way.
  document.querySelectorAll("form.busy-on-submit").forEach(function (form) {
    form.addEventListener("submit", function () {
      const button = form.querySelector("button");
      if (button) { button.disabled = true; button.textContent = "Working…"; }
    });
  });

  if (url) {
    say("live");
    window.setTimeout(poll, Number(body.dataset.poll) || 5000);
  }
})();
