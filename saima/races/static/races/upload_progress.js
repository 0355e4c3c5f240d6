/* Upload progress for forms marked data-upload-progress="<id of the progress block>".
   htmx posts the file; its xhr:progress events fill the bar, then the server validates. */
(function () {
  "use strict";
  function block(form) { return document.getElementById(form.dataset.uploadProgress); }
  function show(form, percent, checking) {
    var el = block(form);
    if (!el) return;
    el.hidden = false;
    var bar = el.querySelector(".progress");
    var fill = bar.querySelector("span");
    var note = el.querySelector("p");
    fill.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(Math.round(percent)));
    note.textContent = checking ? note.dataset.checking : note.dataset.uploading + " " + Math.round(percent) + "%";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload-progress]");
    if (!form || !event.detail.lengthComputable) return;
    var percent = 100 * event.detail.loaded / event.detail.total;
    show(form, percent, percent >= 100);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload-progress]");
    if (form) show(form, 0, false);
  });
})();
