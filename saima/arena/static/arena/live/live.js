/* The arena's live socket client (docs/arena-live.md), shared by the board, the console and
 * the judge page.
 *
 *   SaimaLive.connect(path, {initial, onState, onDenied})
 *
 * - takes the page's initial state (rendered as JSON by the server) and shows it at once;
 * - opens the socket; every (re)connect brings a snapshot, which replaces the state whole;
 * - a delta replaces the sections it carries; a delta whose seq was seen is ignored, and one
 *   after a gap asks the server for a snapshot ({"type": "resync"});
 * - a lost connection shows the page's [data-live-banner] ("连接已断开，正在重连…") and
 *   reconnects with exponential backoff and jitter (0.5 s doubling to 15 s);
 * - a heartbeat every 15 s: no word from the server for 40 s closes the socket, so a silently
 *   dead network (a laptop waking up, a Wi-Fi hand-over) reconnects too;
 * - a "denied" frame (code 4403) stops reconnecting and calls onDenied(reason).
 *
 * The timer is run by the page from the last server state (SaimaLive.timer), so it keeps
 * running while the connection is down.
 */
(function () {
  "use strict";

  var HEARTBEAT_MS = 15000;
  var SILENCE_MS = 40000;
  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 15000;

  function socketUrl(path) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path;
  }

  var connections = [];

  function connect(path, options) {
    var state = options.initial || {};
    var lastSeq = 0;
    var attempt = 0;
    var socket = null;
    var stopped = false;
    var heard = Date.now();
    var banner = document.querySelector("[data-live-banner]");
    var beat = null;

    function showBanner(lost) {
      if (banner) banner.hidden = !lost;
      document.documentElement.classList.toggle("live-lost", lost);
    }

    function deliver(changed) {
      try {
        options.onState(state, changed);
      } catch (err) {
        if (window.console) window.console.error(err);
      }
    }

    function send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    }

    function handle(message) {
      heard = Date.now();
      if (message.type === "snapshot") {
        lastSeq = message.seq;
        state = message.state;
        showBanner(false);
        deliver(null);
      } else if (message.type === "delta") {
        if (message.seq <= lastSeq) return; // seen already
        if (message.seq !== lastSeq + 1) {
          send({ type: "resync" }); // a gap: the next snapshot brings everything
          return;
        }
        lastSeq = message.seq;
        Object.keys(message.state).forEach(function (key) {
          state[key] = message.state[key];
        });
        deliver(Object.keys(message.state));
      } else if (message.type === "denied") {
        stopped = true;
        showBanner(false);
        if (options.onDenied) options.onDenied(message.reason);
      }
    }

    function schedule() {
      var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, attempt));
      attempt += 1;
      window.setTimeout(open, delay * (0.5 + Math.random() / 2));
    }

    function open() {
      if (stopped) return;
      socket = new WebSocket(socketUrl(path));
      socket.onopen = function () {
        attempt = 0;
        heard = Date.now();
      };
      socket.onmessage = function (event) {
        var message;
        try {
          message = JSON.parse(event.data);
        } catch (err) {
          return;
        }
        handle(message);
      };
      socket.onclose = function (event) {
        socket = null;
        if (stopped || event.code === 4403) return;
        showBanner(true);
        schedule();
      };
    }

    beat = window.setInterval(function () {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      if (Date.now() - heard > SILENCE_MS) {
        socket.close();
        return;
      }
      send({ type: "ping" });
    }, HEARTBEAT_MS);

    deliver(null);
    open();
    var connection = {
      state: function () {
        return state;
      },
      resync: function () {
        send({ type: "resync" });
      },
      close: function () {
        stopped = true;
        window.clearInterval(beat);
        if (socket) socket.close();
      },
      /* Close the socket as a network failure would (the banner shows, it reconnects). */
      drop: function () {
        if (socket) socket.close();
      },
    };
    connections.push(connection);
    return connection;
  }

  /* The speaker timer from the server's state: seconds spoken so far, with the screen's clock
   * corrected by the server's ("server_now" when the state was sent). */
  var offsets = new WeakMap();
  function spoken(timer) {
    if (!timer) return 0;
    if (!offsets.has(timer)) offsets.set(timer, (timer.server_now || Date.now()) - Date.now());
    var elapsed = timer.elapsed || 0;
    if (timer.state === "running" && timer.started_at) {
      elapsed += (Date.now() + offsets.get(timer) - timer.started_at) / 1000;
    }
    return Math.max(0, elapsed);
  }

  function clock(seconds) {
    var whole = Math.floor(Math.abs(seconds));
    var m = Math.floor(whole / 60);
    var s = whole % 60;
    return (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* An element with text (never HTML: every name on these screens comes from the database). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function replace(target, children) {
    while (target.firstChild) target.removeChild(target.firstChild);
    children.forEach(function (child) {
      if (child) target.appendChild(child);
    });
  }

  /* "第 {n} 位" with n filled in. */
  function words(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key];
    });
  }

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  window.SaimaLive = {
    connect: connect,
    connections: connections,
    spoken: spoken,
    clock: clock,
    el: el,
    replace: replace,
    json: json,
    words: words,
  };
})();
