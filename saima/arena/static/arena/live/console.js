/* The host console (主持人控制台): every button is one of the arena's action objects; a
 * disabled one says why (the action's why_not). A click POSTs to the console's action URL;
 * the change comes back over the socket, to this console and to the board alike. */
(function () {
  "use strict";
  var L = window.SaimaLive;
  var el = L.el;
  var labels = L.json("live-labels") || {};
  var root = document.querySelector(".console");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var flash = root.querySelector("[data-flash]");
  var part = function (name) {
    return root.querySelector("[data-section=" + name + "]");
  };
  var live = { state: {} };

  function say(text, ok) {
    flash.textContent = text;
    flash.className = "console-flash msg " + (ok ? "msg-success" : "msg-error");
    flash.hidden = !text;
  }

  function take(name, contestant) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    if (contestant) body.append("contestant", contestant);
    return fetch(root.dataset.actionUrl.replace("NAME", name), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return { ok: false, message: labels.failed + " (" + response.status + ")" };
          });
      })
      .then(function (answer) {
        say(answer.ok ? "" : answer.message, answer.ok);
      })
      .catch(function () {
        say(labels.failed + " · " + labels.lost, false);
      });
  }

  /* A button for one action: disabled with its reason when the action is not allowed now. */
  function button(name, info, contestant, options) {
    options = options || {};
    if (!info) return null;
    var attrs = {
      type: "button",
      className: "btn " + (options.primary ? "btn-primary " : "") + (options.small ? "btn-small" : ""),
      "data-action": name,
      "data-contestant": contestant || null,
      disabled: info.why_not ? true : null,
      title: info.why_not || null,
      text: info.label,
    };
    var node = el("button", attrs);
    node.addEventListener("click", function () {
      node.disabled = true;
      take(name, contestant);
    });
    if (!options.reason) return node;
    return el("span", { className: "step" }, [
      node,
      info.why_not ? el("small", { className: "why-not", text: info.why_not }) : null,
    ]);
  }

  function progressOf(state, id) {
    return (state.progress || {})[String(id)] || { n: 0, m: 0 };
  }

  function renderStage(state) {
    var c = state.current;
    var acts = (state.actions || {}).contest || {};
    var mine = c ? ((state.actions || {}).contestants || {})[String(c.id)] || {} : {};
    var target = part("stage");
    if (!c) {
      L.replace(target, [el("p", { className: "empty", text: labels.nobody })]);
    } else {
      var p = progressOf(state, c.id);
      L.replace(target, [
        el("p", { className: "stage-unit" }, [
          c.position ? el("span", { className: "tag", text: L.words(labels.order, { n: c.position }) }) : null,
          " ",
          el("strong", { text: c.unit }),
        ]),
        el("p", { className: "muted", text: [c.person, c.topic].filter(Boolean).join(" · ") }),
        el("p", {}, [
          el("span", { className: "tag " + (c.scoring === "open" ? "tag-green" : ""), text: c.scoring_label }),
          " ",
          el("span", { className: "stage-count", text: L.words(labels.count, { n: p.n, m: p.m }) }),
        ]),
        el("div", { className: "button-row" }, [
          button("scoring-open", mine["scoring-open"], c.id, { primary: true, reason: true }),
          button("scoring-close", mine["scoring-close"], c.id, { reason: true }),
        ]),
      ]);
    }
    L.replace(part("timer-buttons"), [
      button("timer-start", acts["timer-start"], null, { primary: true, reason: true }),
      button("timer-pause", acts["timer-pause"], null, { reason: true }),
      button("timer-stop", acts["timer-stop"], null, { reason: true }),
    ]);
  }

  function renderSheet(state) {
    var rows = state.sheet || [];
    var scored = rows.filter(function (r) { return r.state === "scored"; }).length;
    var counted = rows.filter(function (r) { return r.state !== "conflict"; }).length;
    root.querySelector("[data-field=count]").textContent = rows.length ? L.words(labels.count, { n: scored, m: counted }) : "";
    L.replace(
      part("sheet"),
      rows.length
        ? rows.map(function (r) {
            return el("li", { className: "seat seat-" + r.state, title: r.panel }, [
              el("span", { className: "seat-name", text: r.name }),
              el("span", { className: "seat-state", text: labels[r.state] }),
            ]);
          })
        : [el("li", { className: "muted", text: state.current ? labels.empty_seats : labels.nobody })]
    );
  }

  function renderLineup(state) {
    var per = (state.actions || {}).contestants || {};
    var rows = (state.contestants || []).map(function (c) {
      var p = progressOf(state, c.id);
      var acts = per[String(c.id)] || {};
      var on = state.current && state.current.id === c.id;
      return el("tr", { className: on ? "selected" : null }, [
        el("td", { className: "num", text: c.position ? String(c.position) : "–" }),
        el("td", {}, [el("strong", { text: c.unit })]),
        el("td", { text: [c.person, c.topic].filter(Boolean).join(" · ") }),
        el("td", {}, [el("span", { className: "tag " + (c.scoring === "open" ? "tag-green" : ""), text: c.scoring_label })]),
        el("td", { className: "num", text: p.n + " / " + p.m }),
        el("td", { className: "row-buttons" }, [
          button("call", acts.call, c.id, { small: true }),
          button("scoring-open", acts["scoring-open"], c.id, { small: true }),
          button("scoring-close", acts["scoring-close"], c.id, { small: true }),
        ]),
      ]);
    });
    if (!rows.length) rows = [el("tr", {}, [el("td", { colspan: "6", className: "muted", text: labels.empty_contestants })])];
    L.replace(part("lineup"), rows);
  }

  function renderSteps(state) {
    var acts = (state.actions || {}).contest || {};
    L.replace(part("steps"), [
      button("close", acts.close, null, { reason: true }),
      button("reveal", acts.reveal, null, { primary: true, reason: true }),
      button("release", acts.release, null, { reason: true }),
      button("withdraw", acts.withdraw, null, { reason: true }),
    ]);
  }

  function renderResults(state) {
    var results = state.results;
    var card = part("results-card");
    card.hidden = !(results && results.rows && results.rows.length);
    if (card.hidden) return;
    L.replace(part("results-head"), [
      el("tr", {}, [
        el("th", { className: "num", text: labels.rank }),
        el("th", { text: labels.unit }),
        el("th", { className: "num", text: labels.score }),
      ].concat(results.panels.map(function (p) {
        return el("th", { className: "num", text: p.name });
      }))),
    ]);
    L.replace(part("results"), results.rows.map(function (r) {
      return el("tr", {}, [
        el("td", { className: "num", text: r.rank ? String(r.rank) : "–" }),
        el("td", { text: r.unit }),
        el("td", { className: "num", text: r.score === null ? "–" : r.score.toFixed(2) }),
      ].concat(results.panels.map(function (p) {
        var v = r.panels[p.code];
        return el("td", { className: "num", text: v === undefined ? "–" : v.toFixed(2) });
      })));
    }));
  }

  function renderLinks(state) {
    var rows = (state.links || []).map(function (l) {
      var tone = { live: "tag-blue", used: "tag-green", revoked: "tag-red", expired: "tag-gold" }[l.link] || "";
      return el("tr", {}, [
        el("td", {}, [el("strong", { text: l.name }), l.title ? " " + l.title : ""]),
        el("td", { text: l.panel }),
        el("td", { text: l.unit }),
        el("td", {}, [el("span", { className: "tag " + tone, text: l.link_label })]),
        el("td", { text: l.last_used ? new Date(l.last_used).toLocaleTimeString() : "–" }),
      ]);
    });
    var used = (state.links || []).filter(function (l) { return l.link === "used"; }).length;
    root.querySelector("[data-field=links-count]").textContent = rows.length ? L.words(labels.count, { n: used, m: rows.length }) + " " + labels.used_links : "";
    if (!rows.length) rows = [el("tr", {}, [el("td", { colspan: "5", className: "muted", text: labels.empty_seats })])];
    L.replace(part("links"), rows);
  }

  function render(state) {
    live.state = state;
    if (state.contest) root.querySelector("[data-field=status]").textContent = state.contest.status_label;
    renderStage(state);
    renderSheet(state);
    renderLineup(state);
    renderSteps(state);
    renderResults(state);
    renderLinks(state);
    tick();
  }

  function tick() {
    var timer = live.state.timer;
    if (!timer) return;
    var left = (timer.slot_seconds || 0) - L.spoken(timer);
    var clock = root.querySelector("[data-clock]");
    clock.textContent = (left < 0 ? "+" : "") + L.clock(left);
    clock.classList.toggle("overtime", left < 0);
    root.querySelector("[data-timer-state]").textContent = left < 0 ? labels.overtime : timer.state_label;
  }

  /* Keyboard: space starts or pauses the timer, S stops it, O opens and C closes scoring for
   * the contestant on stage; nothing while typing in a field. */
  function allowed(name, contestant) {
    var acts = live.state.actions || {};
    var info = contestant ? ((acts.contestants || {})[String(contestant)] || {})[name] : (acts.contest || {})[name];
    return info && !info.why_not;
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) return;
    var current = live.state.current && live.state.current.id;
    var key = event.key.toLowerCase();
    var name = null;
    var contestant = null;
    if (key === " ") name = allowed("timer-start") ? "timer-start" : allowed("timer-pause") ? "timer-pause" : null;
    else if (key === "s") name = "timer-stop";
    else if (key === "o" || key === "c") {
      name = key === "o" ? "scoring-open" : "scoring-close";
      contestant = current;
    }
    if (!name || (tag === "button" && key === " ")) return;
    event.preventDefault();
    if (allowed(name, contestant)) take(name, contestant);
  });

  L.connect(root.dataset.socket, {
    initial: L.json("live-state"),
    onState: render,
    onDenied: function (reason) {
      say(reason || labels.denied, false);
    },
  });
  window.setInterval(tick, 250);
})();
