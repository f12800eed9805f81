// Upload progress for the import pages, which work without it: the form is
// sent with XMLHttpRequest so a <progress> bar can show the upload, and the
// page the server answers with (the import's result) replaces this one.
"use strict";

(function () {
  function bind() {
    var form = document.querySelector("form[data-upload]");
    if (!form || !window.FormData || !window.DOMParser) {
      return;
    }
    var bar = form.querySelector("progress");
    var status = form.querySelector("#upload-status");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round((e.loaded * 100) / e.total);
          bar.value = pct;
          status.textContent = form.getAttribute("data-sending") + " " + pct + "%";
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value"); // indeterminate while the server checks the rows
        status.textContent = form.getAttribute("data-checking");
      });
      xhr.addEventListener("load", function () {
        show(xhr.responseText);
      });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        button.disabled = false;
        status.textContent = form.getAttribute("data-failed");
      });
      bar.value = 0;
      bar.hidden = false;
      button.disabled = true;
      xhr.send(new FormData(form));
    });
  }

  // show puts the server's page in place of this one. Its scripts are not
  // run again; this one binds the new form itself.
  function show(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    window.scrollTo(0, 0);
    bind();
  }

  document.addEventListener("DOMContentLoaded", bind);
})();
