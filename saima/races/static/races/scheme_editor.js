/* The structured scheme editor: add and remove rows, keep the indicators' section choices in step
   with the sections, explain the selected method, and show each indicator's effective weight
   (section weight share × share within the section) and the weights chart as the organiser types.
   The same sum as saima.engine.weights.compose_sections; the server checks everything again. */
(function () {
  "use strict";

  var DATA_DRIVEN = { entropy: true, critic: true, ahp: true };

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function number(input) {
    if (!input || input.value.trim() === "") return null;
    var value = Number(input.value);
    return isFinite(value) ? value : NaN;
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function liveRows(form, prefix) {
    return Array.prototype.filter.call(
      form.querySelectorAll("tbody[data-rows='" + prefix + "'] > tr"),
      function (row) { var del = field(row, "DELETE"); return !(del && del.checked); }
    );
  }

  function percent(share) { return (Math.round(share * 1000) / 10).toFixed(1) + "%"; }

  function sections(form) {
    return liveRows(form, "sec").map(function (row) {
      var name = field(row, "name").value.trim();
      return { row: row, code: field(row, "code").value, name: name || field(row, "code").value, weight: number(field(row, "weight")) };
    });
  }

  function indicators(form) {
    return liveRows(form, "ind").map(function (row) {
      return { row: row, name: field(row, "name").value.trim() || "（未命名）", section: field(row, "section").value, weight: number(field(row, "weight")) };
    });
  }

  /* Effective weights in indicator order, or null when the data decide them. */
  function effective(form, secs, inds) {
    var select = form.querySelector("[name='m-weighting']");
    var weighting = select.value;
    /* AHP weights come from the stored matrix: the page shows them as computed by the server. */
    if (weighting === "ahp" && select.dataset.initial === "ahp") return undefined;
    if (DATA_DRIVEN[weighting]) return null;
    var base = inds.map(function (i) {
      if (weighting === "equal") return 1;
      return i.weight > 0 ? i.weight : 0;
    });
    var weighted = secs.length > 0 && secs.every(function (s) { return s.weight > 0; });
    if (!weighted) {
      var total = base.reduce(function (a, b) { return a + b; }, 0);
      return base.map(function (b) { return total > 0 ? b / total : 1 / base.length; });
    }
    var swTotal = secs.reduce(function (a, s) { return a + s.weight; }, 0);
    var within = {}, size = {}, share = {};
    secs.forEach(function (s) { within[s.code] = 0; size[s.code] = 0; share[s.code] = s.weight / swTotal; });
    inds.forEach(function (i, k) {
      if (i.section in within) { within[i.section] += base[k]; size[i.section] += 1; }
    });
    return inds.map(function (i, k) {
      if (!(i.section in within)) return 0;
      var part = within[i.section] > 0 ? base[k] / within[i.section] : 1 / size[i.section];
      return part * share[i.section];
    });
  }

  function chartOption(secs, inds, weights, colours) {
    return {
      yAxis: { type: "category", data: inds.map(function (i) { return i.name; }), inverse: true },
      legend: { data: secs.map(function (s) { return s.name; }) },
      series: secs.map(function (s, n) {
        return {
          name: s.name, type: "bar", stack: "weight", barMaxWidth: 18,
          itemStyle: { color: colours[n % colours.length] },
          label: { show: true, position: "right", formatter: "{c}%" },
          data: inds.map(function (i, k) {
            return weights && i.section === s.code ? Math.round(weights[k] * 1000) / 10 : null;
          })
        };
      })
    };
  }

  function updateChart(option, count) {
    var el = document.getElementById("weights-chart");
    if (!el || !window.echarts) return;
    var chart = window.echarts.getInstanceByDom(el);
    if (!chart) return;
    var height = Math.max(240, 28 * count + 80) + "px";
    if (el.style.height !== height) { el.style.height = height; chart.resize(); }
    chart.setOption(option, { replaceMerge: ["series"] });
  }

  function recompute(form, colours) {
    var secs = sections(form), inds = indicators(form);
    var weights = effective(form, secs, inds);
    if (weights === undefined) return;
    form.querySelectorAll("tbody[data-rows='ind'] > tr").forEach(function (row) {
      row.querySelector("[data-effective]").textContent = "—";
    });
    var totals = {};
    inds.forEach(function (i, k) {
      var w = weights ? weights[k] : null;
      i.row.querySelector("[data-effective]").textContent = w === null ? "—" : percent(w);
      if (w !== null) totals[i.section] = (totals[i.section] || 0) + w;
    });
    form.querySelectorAll("tbody[data-rows='sec'] > tr").forEach(function (row) {
      var out = row.querySelector("[data-section-total]");
      var code = field(row, "code").value;
      var live = secs.some(function (s) { return s.row === row; });
      out.textContent = weights && live ? percent(totals[code] || 0) : "—";
    });
    var sum = weights ? weights.reduce(function (a, b) { return a + b; }, 0) : null;
    var total = form.querySelector("[data-effective-total]");
    if (total) total.textContent = sum === null ? "—" : percent(sum);
    var note = form.querySelector("[data-weights-note]");
    if (note) note.hidden = weights !== null;
    updateChart(chartOption(secs, inds, weights, colours), inds.length);
  }

  /* The indicators' 板块 choices follow the section rows; a choice whose section was removed stays,
     marked, so the server can say which row still points at it. */
  function syncSectionChoices(form) {
    var secs = sections(form);
    form.querySelectorAll("tbody[data-rows='ind'] select[name$='-section']").forEach(function (select) {
      var value = select.value;
      var keep = secs.some(function (s) { return s.code === value; });
      select.innerHTML = "";
      secs.forEach(function (s) { select.add(new Option(s.name, s.code)); });
      if (value && !keep) select.add(new Option(value + "（已删除）", value));
      if (value) select.value = value;
    });
  }

  function renumber(form, prefix) {
    form.querySelectorAll("tbody[data-rows='" + prefix + "'] > tr").forEach(function (row, n) {
      var cell = row.querySelector("[data-rownum]");
      if (cell) cell.textContent = n + 1;
    });
  }

  function freeSectionCode(form) {
    var used = {};
    form.querySelectorAll("tbody[data-rows='sec'] input[name$='-code']").forEach(function (i) { used[i.value] = true; });
    var n = 1;
    while (used["section" + n]) n += 1;
    return "section" + n;
  }

  function addRow(form, prefix) {
    var template = document.getElementById(prefix + "-empty-row");
    var total = form.querySelector("[name='" + prefix + "-TOTAL_FORMS']");
    var body = form.querySelector("tbody[data-rows='" + prefix + "']");
    var index = Number(total.value);
    body.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    var row = body.lastElementChild;
    if (prefix === "sec") field(row, "code").value = freeSectionCode(form);
    renumber(form, prefix);
    syncSectionChoices(form);
    var first = row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  }

  function explain(select) {
    var help = document.querySelector("[data-help-for='" + select.id + "']");
    var option = select.options[select.selectedIndex];
    if (help && option) help.textContent = option.dataset.help || "";
  }

  onReady(function () {
    var form = document.getElementById("scheme-form");
    if (!form) return;
    var coloursSource = document.getElementById("weights-colours");
    var colours = coloursSource ? JSON.parse(coloursSource.textContent) : ["#b3261e"];
    var weighting = form.querySelector("[name='m-weighting']");
    weighting.dataset.initial = weighting.value;
    form.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(form, button.dataset.addRow); recompute(form, colours); });
    });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.name && /-DELETE$/.test(target.name)) {
        target.closest("tr").classList.toggle("is-deleted", target.checked);
      }
      if (target.dataset && target.dataset.explained) explain(target);
      if (target.name === "m-normalise") form.classList.toggle("normalise-target", target.value === "target");
      if (/^sec-/.test(target.name || "")) syncSectionChoices(form);
      recompute(form, colours);
    });
    form.addEventListener("input", function (event) {
      if (/^sec-\d+-name$/.test(event.target.name || "")) syncSectionChoices(form);
      recompute(form, colours);
    });
    recompute(form, colours);
  });
})();
