// The check-in page of an activity that needs the volunteer's position
// (web/views/checkin.templ): ask the browser for it when the button is
// pressed and send it with the form. The server decides; without a
// position (no script, location denied or unavailable) it refuses and
// says why.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("checkin-form");
  if (!form || form.getAttribute("data-geo") !== "1" || !navigator.geolocation) {
    return;
  }
  var status = document.getElementById("checkin-geo-status");
  var asked = false;
  form.addEventListener("submit", function (ev) {
    if (asked) {
      return;
    }
    ev.preventDefault();
    asked = true;
    var button = document.getElementById("checkin-confirm");
    if (button) {
      button.disabled = true;
    }
    if (status) {
      status.textContent = form.getAttribute("data-locating") || "";
    }
    function send() {
      form.submit();
    }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = String(pos.coords.latitude);
      form.elements.lng.value = String(pos.coords.longitude);
      form.elements.acc.value = String(Math.round(pos.coords.accuracy || 0));
      send();
    }, send, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
});
