/* The projector board (大屏): the contestant on stage, the speaker timer (run here from the
 * server's state), scoring progress, the line-up, and after reveal the ranking with each
 * panel's figure; a QR code to the public board once released. */
(function () {
  "use strict";
  var L = window.SaimaLive;
  var el = L.el;
  var labels = L.json("live-labels") || {};
  var body = document.body;
  var stage = document.querySelector("[data-section=stage]");
  var lineup = document.querySelector("[data-section=lineup]");
  var ranking = document.querySelector("[data-section=ranking]");
  var qr = document.querySelector("[data-section=qr]");
  var statusChip = document.querySelector("[data-field=status]");
  var current = { timer: null };

  function progressOf(state, id) {
    return (state.progress || {})[String(id)] || { n: 0, m: 0 };
  }

  function bar(fraction, className) {
    var pct = Math.max(0, Math.min(1, fraction || 0)) * 100;
    return el("div", { className: "bar " + (className || "") }, [
      el("span", { style: "width:" + pct.toFixed(1) + "%" }),
    ]);
  }

  function renderStage(state) {
    var c = state.current;
    if (!c) {
      L.replace(stage, [el("p", { className: "stage-empty", text: labels.nobody })]);
      return;
    }
    var p = progressOf(state, c.id);
    L.replace(stage, [
      el("p", { className: "stage-order", text: c.position ? L.words(labels.order, { n: c.position }) : "" }),
      el("h2", { className: "stage-unit", text: c.unit }),
      el("p", { className: "stage-person", text: [c.person, c.topic].filter(Boolean).join(" · ") }),
      el("div", { className: "timer", "data-timer": true }, [
        el("span", { className: "timer-clock", "data-clock": true, text: "00:00" }),
        el("span", { className: "timer-state", "data-timer-state": true }),
      ]),
      bar(0, "slot"),
      el("div", { className: "scoring scoring-" + c.scoring }, [
        el("span", { className: "scoring-label", text: c.scoring_label }),
        el("span", { className: "scoring-count", "data-count": true }, [
          el("strong", { text: String(p.n) }),
          " " + L.words(labels.out_of, { m: p.m }) + " ",
          el("small", { text: labels.judges }),
        ]),
      ]),
      bar(p.m ? p.n / p.m : 0, "progress-bar"),
    ]);
    tick();
  }

  function renderLineup(state) {
    var rows = (state.contestants || []).map(function (c) {
      var p = progressOf(state, c.id);
      var on = state.current && state.current.id === c.id;
      return el("li", { className: "lineup-row" + (on ? " on-stage" : "") + " scoring-" + c.scoring }, [
        el("span", { className: "lineup-pos", text: c.position ? String(c.position) : "·" }),
        el("span", { className: "lineup-unit", text: c.unit }),
        el("span", { className: "lineup-state", text: c.scoring === "waiting" ? "" : L.words(labels.count, { n: p.n, m: p.m }) }),
      ]);
    });
    if (!rows.length) rows = [el("li", { className: "lineup-empty", text: labels.empty_contestants })];
    L.replace(lineup, [el("h2", { text: labels.lineup }), el("ol", {}, rows)]);
  }

  function renderRanking(results) {
    var top = Math.max.apply(null, results.rows.map(function (r) { return r.score || 0; }).concat([1]));
    var head = el("div", { className: "rank-row rank-head" }, [
      el("span", { text: labels.rank }),
      el("span", { text: labels.unit }),
      el("span", { text: labels.score }),
    ]);
    var rows = results.rows.map(function (r) {
      var figures = results.panels.map(function (p) {
        var v = r.panels[p.code];
        return v === undefined ? null : el("span", { className: "figure" }, [p.name + " ", el("strong", { text: v.toFixed(2) })]);
      });
      return el("div", { className: "rank-row" + (r.rank && r.rank <= 3 ? " podium rank-" + r.rank : "") }, [
        el("span", { className: "rank-no", text: r.rank ? String(r.rank) : "–" }),
        el("span", { className: "rank-unit" }, [
          el("span", { className: "rank-name", text: r.unit }),
          results.panels.length > 1 ? el("span", { className: "figures" }, figures) : null,
          bar((r.score || 0) / top, "score-bar"),
        ]),
        el("span", { className: "rank-score", text: r.score === null ? "–" : r.score.toFixed(2) }),
      ]);
    });
    L.replace(ranking, [
      el("h2", { text: labels.ranking + " · " + results.method_label }),
      el("div", { className: "rank-table", role: "table" }, [head].concat(rows)),
    ]);
  }

  function render(state) {
    if (state.contest) {
      statusChip.textContent = state.contest.status_label;
      body.dataset.status = state.contest.status;
    }
    current.timer = state.timer;
    var results = state.results;
    var revealed = !!(results && results.rows && results.rows.length);
    ranking.hidden = !revealed;
    stage.hidden = revealed;
    lineup.hidden = revealed;
    if (revealed) renderRanking(results);
    else {
      renderStage(state);
      renderLineup(state);
    }
    var publicUrl = results && results.public_url;
    qr.hidden = !publicUrl;
    body.classList.toggle("has-qr", !!publicUrl);
    if (publicUrl) {
      var img = qr.querySelector("img");
      if (!img.getAttribute("src")) img.setAttribute("src", body.dataset.qr);
    }
  }

  function tick() {
    var timer = current.timer;
    var clock = stage.querySelector("[data-clock]");
    if (!clock || !timer) return;
    var slot = timer.slot_seconds || 1;
    var spoken = L.spoken(timer);
    var left = slot - spoken;
    clock.textContent = (left < 0 ? "+" : "") + L.clock(left);
    var box = stage.querySelector("[data-timer]");
    box.classList.toggle("overtime", left < 0);
    box.classList.toggle("last-minute", left >= 0 && left <= 60);
    box.classList.toggle("running", timer.state === "running");
    stage.querySelector("[data-timer-state]").textContent = left < 0 ? labels.overtime : timer.state_label;
    var slotBar = stage.querySelector(".bar.slot span");
    if (slotBar) slotBar.style.width = Math.min(100, (spoken / slot) * 100).toFixed(1) + "%";
  }

  L.connect(body.dataset.socket, {
    initial: L.json("live-state"),
    onState: render,
    onDenied: function (reason) {
      L.replace(stage, [el("p", { className: "stage-empty", text: reason || labels.denied })]);
      stage.hidden = false;
      lineup.hidden = true;
      ranking.hidden = true;
    },
  });
  window.setInterval(tick, 250);
})();
