// Vanguard's only script: small enhancements to pages that work without it.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Ask before a form marked data-confirm is submitted.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        ev.preventDefault();
      }
    });
  });
  // Copy buttons: <button data-copy="#id">.
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var el = document.querySelector(btn.getAttribute("data-copy"));
      if (el && navigator.clipboard) {
        navigator.clipboard.writeText(el.textContent.trim());
      }
    });
  });
});
