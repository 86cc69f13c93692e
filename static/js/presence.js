// Tells the server this unit's form is still open (every 30 s) and when it closes, so
// colleagues see who is editing. A plain script file: the admin's CSP allows no inline code.
(function () {
  "use strict";
  var marker = document.querySelector("[data-presence-url]");
  if (!marker) return;
  var url = marker.getAttribute("data-presence-url");
  var page = marker.getAttribute("data-presence-page");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");

  function tell(state) {
    var body = new FormData();
    body.append("state", state);
    body.append("page", page);
    if (token) body.append("csrfmiddlewaretoken", token.value);
    if (state === "left" && navigator.sendBeacon) {
      navigator.sendBeacon(url, body);
      return;
    }
    fetch(url, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }

  var beat = window.setInterval(function () {
    if (document.visibilityState === "visible") tell("open");
  }, 30000);
  window.addEventListener("pagehide", function () {
    window.clearInterval(beat);
    tell("left");
  });
})();
