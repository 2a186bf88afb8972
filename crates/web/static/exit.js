// "Exit this page": leave at once for a neutral site, replacing this page in the history so
// the back button does not return to it. The link works without this script; the script adds
// the replace and a quick exit on pressing Shift three times.
(function () {
  "use strict";
  var link = document.querySelector("[data-exit]");
  if (!link) {
    return;
  }
  var leave = function (event) {
    if (event) {
      event.preventDefault();
    }
    document.body.style.display = "none";
    // On the victim's own pages, leaving also ends the session, so nobody else at this
    // screen can come back to the case.
    var signOut = document.body.getAttribute("data-sign-out");
    if (signOut && navigator.sendBeacon) {
      navigator.sendBeacon(signOut);
    }
    window.location.replace(link.href);
  };
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1000; });
    presses.push(now);
    if (presses.length >= 3) {
      leave();
    }
  });
})();
