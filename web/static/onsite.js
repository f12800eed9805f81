// On-site pages (web/views/checkin.templ): keep the leader's QR code and
// list current without reloading the page, and print the paper sign-in
// sheet. Both pages work without it: the code page reloads itself through a
// <noscript> refresh, and the browser's own menu prints.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var print = document.getElementById("print-sheet");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }

  var qr = document.getElementById("onsite-qr");
  if (!qr) {
    return;
  }

  // wireCopy shows a fresh copy button and makes it copy the link.
  function wireCopy(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var el = document.querySelector(btn.getAttribute("data-copy"));
        if (el && navigator.clipboard) {
          navigator.clipboard.writeText(el.textContent.trim());
        }
      });
    });
  }

  // schedule waits until the code the server showed changes.
  function schedule(el) {
    var secs = parseInt(el.getAttribute("data-refresh-in"), 10);
    if (!(secs > 0)) {
      secs = 60;
    }
    window.setTimeout(refresh, secs * 1000 + 300);
  }

  // refresh fetches the page again and swaps in the new code and list.
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (res) {
        if (res.redirected) { // signed out meanwhile: show the login page
          window.location.reload();
          return null;
        }
        if (!res.ok) {
          throw new Error("status " + res.status);
        }
        return res.text();
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        if (!doc.getElementById("onsite-qr")) { // the activity closed meanwhile
          window.location.reload();
          return;
        }
        ["onsite-qr", "onsite-people"].forEach(function (id) {
          var cur = document.getElementById(id);
          var next = doc.getElementById(id);
          if (cur && next) {
            cur.replaceWith(document.importNode(next, true));
          }
        });
        var fresh = document.getElementById("onsite-qr");
        wireCopy(fresh);
        schedule(fresh);
      })
      .catch(function () {
        window.setTimeout(refresh, 15000); // no signal for a moment: try again
      });
  }

  schedule(qr);
});
