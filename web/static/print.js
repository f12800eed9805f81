// Print buttons: <button data-print hidden> shows itself and opens the
// browser's print dialog. Without JavaScript the page says how to print.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      window.print();
    });
  });
});
