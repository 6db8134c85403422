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
  /* the write token lives in sessionStorage: typed once, forgotten when the browser session ends */
  function getToken() { try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; } }
  function setToken(t) {
    try {
      if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(TOKEN_KEY); /* older versions kept it there */
    } catch (e) { /* storage disabled */ }
  }
  /* dates as the pages show them (rasid.arabic.datefmt): 13 نوفمبر 2015، 21:20 */
  var MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                "أكتوبر", "نوفمبر", "ديسمبر"];
  function formatDate(value, withTime) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(String(value || ""));
    if (!m || +m[2] < 1 || +m[2] > 12) return String(value || "");
    var out = (+m[3]) + " " + MONTHS[+m[2] - 1] + " " + m[1];
    return withTime && m[4] ? out + "، " + m[4] + ":" + m[5] : out;
  }
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
            var msg = (data && (data.message_ar || data.error)) || ("خطأ " + r.status);
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

  /* watches: every kind the CLI offers (entity, query, place, event, surge, webhook) */
  function cell(tr, label, value, attrs) {
    var td = el("td", attrs || null, value || "—");
    td.setAttribute("data-label", label);
    tr.appendChild(td);
    return td;
  }
  function renderWatches(list) {
    var body = document.querySelector("#watches tbody");
    body.textContent = "";
    if (!list.length) {
      var tr = el("tr", { "class": "empty" });
      tr.appendChild(el("td", { "colspan": "9" }, "لا مراقبات بعد."));
      body.appendChild(tr);
      return;
    }
    list.forEach(function (w) {
      var tr = el("tr", { "class": "watch", "data-id": String(w.id) });
      cell(tr, "الاسم", w.name).className = "name";
      var ent = w.entity ? (w.entity.canonical && w.entity.canonical !== w.entity.name
                            ? w.entity.name + " (" + w.entity.canonical + ")" : w.entity.name) : "";
      cell(tr, "الكيان", ent);
      cell(tr, "كلمات البحث", w.query);
      var place = w.place ? (w.place.label || w.place.name) + (w.place.country ? " · " + w.place.country : "") : "";
      cell(tr, "المكان", place);
      var ev = w.event ? (w.event.type + (w.event.place ? " · " + (w.event.place.label || w.event.place.name) : "")) : "";
      cell(tr, "الحدث", ev, { "dir": "auto" });
      cell(tr, "الموجة", w.surge ? w.surge.replace("/", " مقالات / ") : "", { "dir": "auto" });
      cell(tr, "إشعار الويب", w.webhook, { "dir": "ltr", "class": "url" });
      cell(tr, "أُنشئت", formatDate(w.created_at));
      var td = el("td", { "class": "actions" });
      var del = el("button", { "type": "button", "class": "delete" }, "حذف");
      del.addEventListener("click", function () {
        if (!getToken()) { status("watch-status", "أدخل رمز الوصول أولًا.", true); return; }
        api("DELETE", "/api/v1/watches/" + encodeURIComponent(w.id))
          .then(function () { status("watch-status", "حُذفت المراقبة."); loadWatches(); })
          .catch(function (e) { status("watch-status", "تعذّر الحذف: " + e.message, true); });
      });
      td.appendChild(del);
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }
  function loadWatches() {
    return api("GET", "/api/v1/watches")
      .then(function (data) { renderWatches((data && data.watches) || []); })
      .catch(function (e) { status("watch-status", "تعذّر تحميل المراقبات: " + e.message, true); });
  }
  function showTokenState() {
    document.getElementById("token-state").textContent =
      getToken() ? "الرمز محفوظ في هذه الجلسة." : "لم يُدخل رمز بعد.";
  }
  function initWatches() {
    var form = document.getElementById("watch-form");
    if (!form) return;
    var tokenInput = document.getElementById("token");
    tokenInput.value = getToken();
    showTokenState();
    document.getElementById("token-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      setToken(tokenInput.value.trim());
      showTokenState();
    });
    document.getElementById("token-forget").addEventListener("click", function () {
      setToken("");
      tokenInput.value = "";
      showTokenState();
    });
    function value(id) { return document.getElementById(id).value.trim(); }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {};
      ["name", "entity", "query", "place", "surge", "webhook"].forEach(function (k) {
        var v = value("watch-" + k);
        if (v) body[k] = v;
      });
      var evType = value("watch-event-type"), evPlace = value("watch-event-place");
      if (evPlace && !evType) { status("watch-status", "اختر نوع الحدث قبل مكانه.", true); return; }
      if (evType) body.event = evType + (evPlace ? " in " + evPlace : "");
      if (!body.entity && !body.query && !body.place && !body.event) {
        status("watch-status", "اكتب كيانًا أو كلمات بحث أو مكانًا، أو اختر حدثًا.", true);
        return;
      }
      if (body.surge && !/^\s*\d+\s*\/\s*\d*\s*[smhd]\s*$/i.test(body.surge)) {
        status("watch-status", "اكتب الموجة عددًا ثم مدة، مثل 5/24h (خمس مقالات في 24 ساعة) أو 3/30m.", true);
        return;
      }
      if (body.webhook && !/^https?:\/\//i.test(body.webhook)) {
        status("watch-status", "عنوان إشعار الويب يجب أن يبدأ بـ http:// أو https://.", true);
        return;
      }
      if (!getToken()) { status("watch-status", "أدخل رمز الوصول أولًا واحفظه.", true); tokenInput.focus(); return; }
      api("POST", "/api/v1/watches", body)
        .then(function (w) { status("watch-status", "أضيفت المراقبة «" + w.name + "»."); form.reset(); loadWatches(); })
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
    if (when) meta.appendChild(el("span", null, formatDate(when, true)));
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

  /* a date picker shows the browser's own format; the date chosen is repeated in Arabic */
  function initDatePickers() {
    Array.prototype.forEach.call(document.querySelectorAll("input[type=date]"), function (input) {
      var echo = el("span", { "class": "date-ar", "aria-hidden": "true" });
      input.insertAdjacentElement("afterend", echo);
      function show() { echo.textContent = input.value ? formatDate(input.value) : ""; }
      input.addEventListener("change", show);
      input.addEventListener("input", show);
      show();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initDatePickers();
    initSignin();
    initWatches();
    initAlerts();
    initEntityCorrections();
  });
})();
