/* The judge's phone page: the contestant on stage, sliders with number boxes, submit and
 * amend; the draft is kept in localStorage and resent when the connection returns.
 *
 * Drafts: localStorage["saima.arena.<seat>"] = {<contestant id>: {values, status, at}} with
 * status "draft" (edited, not submitted), "pending" (submitted, not yet acknowledged by the
 * server) or "saved". Pending drafts are resent on "online", on every successful poll and every
 * few seconds; the server treats the same sheet twice as one (idempotent), so a resend after a
 * lost answer does no harm. The server enforces maxima, conflicts and the scoring window; the
 * page only helps. */
(function () {
  "use strict";
  var root = document.getElementById("judge");
  if (!root) return;
  var state = JSON.parse(document.getElementById("judge-state").textContent);
  var T = JSON.parse(document.getElementById("judge-text").textContent);
  var stateUrl = root.dataset.stateUrl;
  var submitUrl = root.dataset.submitUrl;
  var storeKey = "saima.arena." + root.dataset.seat;
  var csrf = (document.querySelector("#csrf input[name=csrfmiddlewaretoken]") || {}).value || "";
  var selected = null; // contestant id the sheet shows
  var picked = null; // the judge's own choice in the list, until the host calls someone else
  var lastCurrent = state.contest.current;
  var online = true;
  var sending = false;

  var $ = function (id) { return document.getElementById(id); };
  var stage = $("stage"), sheet = $("sheet"), criteriaBox = $("criteria"), lineup = $("lineup");
  var conn = $("conn"), banner = $("offline-banner"), errorBox = $("sheet-error");
  var statusBox = $("sheet-status"), submitBtn = $("submit"), totalOut = $("total");

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function store(drafts) {
    try { localStorage.setItem(storeKey, JSON.stringify(drafts)); } catch (e) { /* private mode */ }
  }
  function draftOf(id) { return load()[id] || null; }
  function setDraft(id, draft) { var d = load(); if (draft) d[id] = draft; else delete d[id]; store(d); }

  function byId(id) {
    for (var i = 0; i < state.contestants.length; i++) if (state.contestants[i].id === id) return state.contestants[i];
    return null;
  }
  function text(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (content !== undefined) el.textContent = content;
    return el;
  }
  function fmt(n) { return (Math.round(n * 100) / 100).toString(); }
  function total(values) {
    var sum = 0, any = false;
    state.criteria.forEach(function (k) {
      var v = parseFloat(values[k.code]);
      if (!isNaN(v)) { sum += v; any = true; }
    });
    return any ? fmt(sum) : "—";
  }

  function pendingCount() {
    var d = load(), n = 0;
    Object.keys(d).forEach(function (k) { if (d[k].status === "pending") n++; });
    return n;
  }
  function showConnection() {
    var pending = pendingCount();
    conn.className = "conn " + (!online ? "conn-off" : pending ? "conn-pending" : "conn-ok");
    conn.textContent = !online ? T.offline : pending ? T.pending + " · " + pending : T.online;
    banner.hidden = online;
  }

  function choose() {
    var current = state.contest.current;
    if (current !== lastCurrent) { lastCurrent = current; picked = null; criteriaBox.dataset.for = ""; }
    if (picked && byId(picked)) return picked;
    var c = current && byId(current);
    if (c && c.scoring === "open") return c.id; // on stage: its form, or why the judge sits out
    var open = state.contestants.filter(function (x) { return x.scoring === "open" && !x.conflict; });
    if (open.length === 1) return open[0].id;
    return current || null;
  }

  function renderStage(c) {
    stage.textContent = "";
    if (state.contest.status === "closed" || state.contest.status === "revealed") {
      stage.appendChild(text("p", "stage-note", T.contest_over));
      return;
    }
    if (!c) {
      stage.appendChild(text("p", "stage-note", state.contest.status === "running" ? T.choose : T.contest_waiting));
      return;
    }
    if (c.position) stage.appendChild(text("p", "stage-pos", T.position.replace("%s", c.position)));
    stage.appendChild(text("h1", "stage-unit", c.unit));
    if (c.person) stage.appendChild(text("p", "stage-person", c.person));
    if (c.topic) stage.appendChild(text("p", "stage-topic", c.topic));
    var tag = text("span", "tag scoring-" + (c.conflict ? "conflict" : c.scoring),
      c.conflict ? T.conflict + "：" + c.conflict : c.scoring_label);
    stage.appendChild(tag);
  }

  function renderSheet(c) {
    errorBox.hidden = true;
    var hasScores = c && Object.keys(c.scores).length > 0;
    if (!c || c.conflict || c.scoring === "waiting" || (c.scoring === "closed" && !hasScores)) {
      sheet.hidden = true;
      return;
    }
    sheet.hidden = false;
    var draft = draftOf(c.id);
    var values = draft ? draft.values : c.scores;
    var editable = c.scoring === "open";
    if (criteriaBox.dataset.for !== String(c.id) || !criteriaBox.children.length) {
      criteriaBox.textContent = "";
      criteriaBox.dataset.for = String(c.id);
      state.criteria.forEach(function (k) {
        var row = text("div", "crit");
        var id = "k-" + k.code;
        var label = text("label", "crit-label");
        label.htmlFor = id;
        label.appendChild(text("span", "", k.name));
        label.appendChild(text("small", "muted", T.max + " " + fmt(k.maximum)));
        var range = document.createElement("input");
        range.type = "range"; range.min = "0"; range.max = String(k.maximum); range.step = "0.5";
        range.setAttribute("aria-label", k.name);
        range.dataset.code = k.code;
        var box = document.createElement("input");
        box.type = "number"; box.id = id; box.min = "0"; box.max = String(k.maximum); box.step = "0.01";
        box.inputMode = "decimal"; box.required = true; box.dataset.code = k.code;
        var v = values[k.code];
        if (v !== undefined && v !== null && v !== "") { box.value = v; range.value = v; } else { range.value = String(k.maximum * 0.8); }
        range.addEventListener("input", function () { box.value = range.value; edited(); });
        box.addEventListener("input", function () { if (box.value !== "") range.value = box.value; edited(); });
        var pair = text("div", "crit-inputs");
        pair.appendChild(range); pair.appendChild(box);
        row.appendChild(label); row.appendChild(pair);
        criteriaBox.appendChild(row);
      });
    }
    criteriaBox.querySelectorAll("input").forEach(function (el) { el.disabled = !editable; });
    submitBtn.hidden = !editable;
    submitBtn.textContent = Object.keys(c.scores).length ? T.amend : T.submit;
    totalOut.textContent = total(currentValues());
    showSheetStatus(c);
  }

  function currentValues() {
    var values = {};
    criteriaBox.querySelectorAll("input[type=number]").forEach(function (el) { values[el.dataset.code] = el.value; });
    return values;
  }

  function check(values) {
    var problems = [];
    state.criteria.forEach(function (k) {
      var raw = values[k.code];
      var v = parseFloat(raw);
      if (raw === "" || raw === undefined || isNaN(v)) problems.push(k.name + "：" + T.fill_all);
      else if (v < 0 || v > k.maximum) problems.push(k.name + "：" + T.over_max + " " + fmt(k.maximum));
    });
    return problems;
  }

  function edited() {
    if (selected === null) return;
    var values = currentValues();
    totalOut.textContent = total(values);
    var draft = draftOf(selected);
    if (!draft || draft.status !== "pending") setDraft(selected, { values: values, status: "draft", at: Date.now() });
    showSheetStatus(byId(selected));
  }

  function showSheetStatus(c) {
    if (!c) { statusBox.textContent = ""; return; }
    var draft = draftOf(c.id);
    if (draft && draft.status === "pending") statusBox.textContent = online ? T.sending : T.pending;
    else if (draft && draft.status === "draft") statusBox.textContent = T.draft;
    else if (Object.keys(c.scores).length) statusBox.textContent = T.saved_at.replace("%s", c.version);
    else statusBox.textContent = "";
    statusBox.className = "sheet-status" + (draft && draft.status !== "saved" ? " unsaved" : "");
  }

  function renderLineup() {
    lineup.textContent = "";
    state.contestants.forEach(function (c) {
      var li = text("li", "lineup-item" + (c.id === selected ? " selected" : ""));
      var b = text("button", "lineup-btn");
      b.type = "button";
      b.appendChild(text("span", "lineup-unit", (c.position ? c.position + ". " : "") + c.unit));
      var right = c.conflict ? T.conflict : Object.keys(c.scores).length ? total(c.scores) : T.not_scored;
      var draft = draftOf(c.id);
      if (draft && draft.status === "pending") right = T.pending;
      b.appendChild(text("span", "lineup-score" + (c.conflict ? " muted" : ""), right));
      if (c.id === state.contest.current) b.appendChild(text("span", "tag tag-red", T.on_stage));
      else if (c.scoring === "open") b.appendChild(text("span", "tag scoring-open", T.open));
      b.addEventListener("click", function () { picked = c.id; criteriaBox.dataset.for = ""; render(); window.scrollTo(0, 0); });
      li.appendChild(b);
      lineup.appendChild(li);
    });
  }

  function render() {
    selected = choose();
    var c = selected ? byId(selected) : null;
    renderStage(c);
    renderSheet(c);
    renderLineup();
    showConnection();
  }

  function post(id, values) {
    return fetch(submitUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ contestant: id, values: values }),
    });
  }

  function send(id) {
    var draft = draftOf(id);
    if (!draft) return Promise.resolve();
    return post(id, draft.values).then(function (response) {
      online = true;
      return response.json().then(function (data) {
        if (response.ok && data.ok) {
          var c = byId(id);
          if (c) { c.scores = data.scores; c.version = data.version; }
          setDraft(id, null);
          if (id === selected) { statusBox.textContent = data.idempotent ? T.idempotent : T.saved_at.replace("%s", data.version); }
        } else {
          // Refused (scoring closed, a conflict, a value out of range): keep the draft, say why.
          setDraft(id, { values: draft.values, status: "draft", at: draft.at });
          if (id === selected) { errorBox.textContent = data.error || response.statusText; errorBox.hidden = false; }
        }
      });
    }, function () {
      online = false; // network failure: stays pending, resent later
    });
  }

  function flush() {
    if (sending) return Promise.resolve();
    var d = load();
    var ids = Object.keys(d).filter(function (k) { return d[k].status === "pending"; }).map(Number);
    if (!ids.length) return Promise.resolve();
    sending = true;
    return ids.reduce(function (p, id) { return p.then(function () { return send(id); }); }, Promise.resolve())
      .then(function () { sending = false; render(); }, function () { sending = false; render(); });
  }

  function poll() {
    return fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        online = true;
        state = data;
        var focused = document.activeElement && criteriaBox.contains(document.activeElement);
        if (!focused) criteriaBox.dataset.for = "";
        render();
        return flush();
      }, function () { online = false; showConnection(); });
  }

  $("score-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (selected === null) return;
    var values = currentValues();
    var problems = check(values);
    if (problems.length) { errorBox.textContent = problems.join("；"); errorBox.hidden = false; return; }
    errorBox.hidden = true;
    setDraft(selected, { values: values, status: "pending", at: Date.now() });
    showSheetStatus(byId(selected));
    showConnection();
    flush();
  });

  window.addEventListener("online", function () { online = true; flush().then(poll); });
  window.addEventListener("offline", function () { online = false; showConnection(); });
  render();
  flush();
  setInterval(poll, 3000);
})();
