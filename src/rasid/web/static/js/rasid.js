/* rasid web UI: vanilla JS, no build step, no network beyond this server.
   Article content is only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var TOKEN_KEY = "rasid.token";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function getToken() { try { return localStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; } }
  function setToken(t) { try { localStorage.setItem(TOKEN_KEY, t); } catch (e) { /* private mode */ } }
  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    var token = getToken();
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, { method: method, headers: headers, credentials: "same-origin",
                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (txt) {
          var data = null;
          try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
          if (!r.ok) {
            var msg = (data && data.error) || ("HTTP " + r.status);
            var err = new Error(msg); err.status = r.status; throw err;
          }
          return data;
        });
      });
  }
  function status(id, text, isError) {
    var node = document.getElementById(id);
    if (!node) return;
    node.textContent = text || "";
    node.className = "status" + (isError ? " error" : "");
  }
  function pick(obj, keys) {
    for (var i = 0; i < keys.length; i++) {
      var v = obj && obj[keys[i]];
      if (v !== undefined && v !== null && v !== "") return v;
    }
    return "";
  }

  /* sign-in (archive closed for reading) */
  function initSignin() {
    var form = document.getElementById("signin");
    if (!form) return;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var t = document.getElementById("signin-token").value.trim();
      setToken(t);
      /* the server checks the token and sets an HttpOnly read cookie (never the token) */
      api("POST", "/api/v1/session")
        .then(function () { location.reload(); })
        .catch(function (err) { status("signin-status", "تعذّر الدخول: " + err.message, true); });
    });
  }

  /* watches */
  function renderWatches(list) {
    var ul = document.getElementById("watches");
    ul.textContent = "";
    if (!list.length) { ul.appendChild(el("li", { "class": "empty" }, "لا مراقبات بعد.")); return; }
    list.forEach(function (w) {
      var li = el("li", { "class": "watch", "data-id": String(w.id) });
      li.appendChild(el("strong", null, pick(w, ["name", "label", "query", "entity"])));
      var q = pick(w, ["query", "q"]);
      if (q) li.appendChild(el("span", { "class": "meta" }, " · بحث: " + q));
      var ent = pick(w, ["entity", "entity_name"]);
      if (ent && typeof ent === "object") ent = pick(ent, ["canonical", "name"]);
      if (ent) li.appendChild(el("span", { "class": "meta" }, " · كيان: " + ent));
      var place = pick(w, ["place"]);
      if (place && typeof place === "object") place = pick(place, ["label", "name"]);
      if (place) li.appendChild(el("span", { "class": "meta" }, " · مكان: " + place));
      if (w.surge) li.appendChild(el("span", { "class": "meta", "dir": "ltr" }, " · " + w.surge));
      var del = el("button", { "type": "button", "class": "delete" }, "حذف");
      del.addEventListener("click", function () {
        api("DELETE", "/api/v1/watches/" + encodeURIComponent(w.id))
          .then(function () { status("watch-status", "حُذفت المراقبة."); loadWatches(); })
          .catch(function (e) { status("watch-status", "تعذّر الحذف: " + e.message, true); });
      });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(del);
      ul.appendChild(li);
    });
  }
  function loadWatches() {
    return api("GET", "/api/v1/watches")
      .then(function (data) { renderWatches((data && data.watches) || []); })
      .catch(function (e) { status("watch-status", "تعذّر تحميل المراقبات: " + e.message, true); });
  }
  function initWatches() {
    var form = document.getElementById("watch-form");
    if (!form) return;
    var tokenInput = document.getElementById("token");
    tokenInput.value = getToken();
    document.getElementById("token-state").textContent = getToken() ? "الرمز محفوظ" : "";
    document.getElementById("token-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      setToken(tokenInput.value.trim());
      document.getElementById("token-state").textContent = "الرمز محفوظ";
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {};
      var name = document.getElementById("watch-name").value.trim();
      var query = document.getElementById("watch-query").value.trim();
      var entity = document.getElementById("watch-entity").value.trim();
      var place = document.getElementById("watch-place").value.trim();
      if (place) body.place = place;
      if (name) body.name = name;
      if (query) body.query = query;
      if (entity) body.entity = entity;
      if (!query && !entity && !place) { status("watch-status", "اكتب كلمات بحث أو اسم كيان أو مكانًا.", true); return; }
      api("POST", "/api/v1/watches", body)
        .then(function () { status("watch-status", "أضيفت المراقبة."); form.reset(); loadWatches(); })
        .catch(function (e) { status("watch-status", "تعذّرت الإضافة: " + e.message, true); });
    });
    loadWatches();
  }

  /* alerts, live */
  function alertItem(a, isNew) {
    var li = el("li", { "class": "alert" + (isNew ? " new" : ""), "data-id": String(a.id) });
    var articleId = pick(a, ["article_id", "doc_id"]);
    var title = pick(a, ["title", "article_title", "headline"]) || articleId || ("تنبيه " + a.id);
    if (articleId) {
      li.appendChild(el("a", { "class": "title", "href": "/article/" + encodeURIComponent(articleId) }, title));
    } else {
      li.appendChild(el("span", { "class": "title" }, title));
    }
    var meta = el("div", { "class": "meta" });
    var watch = pick(a, ["watch_name", "watch", "name"]);
    if (watch && typeof watch === "object") watch = pick(watch, ["name", "query", "id"]);
    if (watch) meta.appendChild(el("span", { "class": "watch-name" }, "المراقبة: " + watch + " "));
    if (a.kind === "surge") meta.appendChild(el("span", { "class": "chip" }, "موجة "));
    var when = pick(a, ["created_at", "event_time", "published"]);
    if (when) meta.appendChild(el("span", { "dir": "ltr" }, String(when).replace("T", " ").slice(0, 19)));
    li.appendChild(meta);
    var reason = a.reason && a.reason.matches && a.reason.matches[0];
    if (reason && reason.sentence_text) {
      var p = el("p", { "class": "snippet" });
      var sent = String(reason.sentence_text), hit = String(reason.text || "");
      var at = hit ? sent.indexOf(hit) : -1;
      if (at >= 0) {
        p.appendChild(document.createTextNode(sent.slice(0, at)));
        p.appendChild(el("mark", null, hit));
        p.appendChild(document.createTextNode(sent.slice(at + hit.length)));
      } else {
        p.textContent = sent;
      }
      li.appendChild(p);
    }
    var explained = a.reason && a.reason.matches && a.reason.matches.filter(function (m) { return m.kind === "event"; })[0];
    if (explained && explained.explanation) {
      li.appendChild(el("p", { "class": "meta event-why" }, String(explained.explanation)));
    }
    return li;
  }
  function initAlerts() {
    var list = document.getElementById("alerts");
    if (!list) return;
    var live = document.getElementById("live");
    var lastId = 0;
    function addAlert(a, isNew) {
      if (list.querySelector('[data-id="' + String(a.id).replace(/"/g, "") + '"]')) return;
      var empty = list.querySelector(".empty");
      if (empty) empty.remove();
      list.insertBefore(alertItem(a, isNew), list.firstChild);
      lastId = Math.max(lastId, Number(a.id) || 0);
    }
    api("GET", "/api/v1/alerts?limit=100").then(function (data) {
      var rows = (data && data.alerts) || [];
      rows.forEach(function (a) { addAlert(a, false); });
      if (!rows.length) list.appendChild(el("li", { "class": "empty" }, "لا تنبيهات بعد."));
      lastId = Math.max(lastId, (data && data.last_id) || 0);
      connect();
    }).catch(function (e) { status("alerts-status", "تعذّر تحميل التنبيهات: " + e.message, true); connect(); });
    function connect() {
      if (!window.EventSource) { status("alerts-status", "المتصفح لا يدعم التحديث المباشر.", true); return; }
      var source = new EventSource("/api/v1/alerts/stream?since_id=" + lastId);
      source.addEventListener("ready", function () { live.className = "live on"; document.body.setAttribute("data-live", "on"); });
      source.addEventListener("alert", function (ev) {
        try { addAlert(JSON.parse(ev.data), true); } catch (e) { /* ignore a bad event */ }
      });
      source.onerror = function () { live.className = "live off"; };
    }
  }

  /* entity page: merge another entity into this one, or split a name off it */
  function initEntityCorrections() {
    Array.prototype.forEach.call(document.querySelectorAll("form.entity-correct"), function (form) {
      var id = form.getAttribute("data-entity-id");
      var out = form.querySelector(".status");
      form.elements.token.value = getToken();
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (form.elements.token.value.trim()) setToken(form.elements.token.value.trim());
        var target = form.elements.target.value.trim();
        if (!target) return;
        var call = form.elements.action.value === "merge"
          ? api("POST", "/api/v1/entities/merge", { keep: id, drop: target })
          : api("POST", "/api/v1/entities/" + id + "/split", { alias: target });
        out.className = "status"; out.textContent = "جارٍ التنفيذ…";
        call.then(function (p) {
          out.textContent = "تم. ";
          out.appendChild(el("a", { href: "/entity?id=" + p.id }, p.canonical));
        }).catch(function (e) {
          out.className = "status error"; out.textContent = "تعذّر التنفيذ: " + e.message;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSignin();
    initWatches();
    initAlerts();
    initEntityCorrections();
  });
})();
