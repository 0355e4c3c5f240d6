/* Saima's small client: navigation toggle, auto-submitting selects, ECharts from JSON. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function initNav() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("mainnav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function initAutosubmit(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  }

  /* <div class="chart" data-option="ID"> renders the ECharts option in <script id=ID type=application/json>. */
  var charts = [];
  function initCharts(root) {
    if (typeof window.echarts === "undefined") return;
    root.querySelectorAll(".chart[data-option]").forEach(function (el) {
      if (el.dataset.ready) return;
      if (!el.offsetWidth) return; /* hidden (a phone's or a desktop's variant): drawn when shown */
      var source = document.getElementById(el.dataset.option);
      if (!source) return;
      var option = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.dataset.ready = "1";
      charts.push(chart);
    });
  }
  function resizeCharts() {
    initCharts(document);
    charts.forEach(function (c) { c.resize(); });
  }
  window.addEventListener("resize", resizeCharts);

  /* Paper is narrower than the screen the charts were drawn for: while printing, each chart's
     SVG gets a viewBox, so the print stylesheet can scale it to the page's width. */
  function printable(on) {
    document.querySelectorAll(".chart svg").forEach(function (svg) {
      if (on) svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
      else svg.removeAttribute("viewBox");
    });
  }
  window.addEventListener("beforeprint", function () { printable(true); });
  window.addEventListener("afterprint", function () { printable(false); });
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) { printable(event.matches); });
  }

  function initConfirm(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
    root.querySelectorAll("button[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) event.preventDefault();
      });
    });
  }

  onReady(function () {
    initNav();
    initAutosubmit(document);
    initCharts(document);
    initConfirm(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    initAutosubmit(event.target);
    initCharts(event.target);
    initConfirm(event.target);
  });
  window.Saima = { initCharts: initCharts };
})();
