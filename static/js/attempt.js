/* HoiThi attempt page: autosave every answer, keep unsent answers in the browser until the server
 * acknowledges them, count down to the server's deadline (never the phone's clock) and finish at zero.
 * The server decides everything; this script only reports and retries. */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) { return; }
  window.hoithiAttemptReady = true;
  var missing = document.getElementById("script-missing");
  if (missing) { missing.hidden = true; }

  var attemptId = root.dataset.attempt;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.serverTime) - Date.now();  // server time minus phone time
  var storeKey = "hoithi-attempt-" + attemptId;
  var pending = load();            // position -> {selected, seq}; "prediction" -> {value}
  var seqs = {};                   // position -> last seq used
  var inflight = {};
  var finishing = false;
  var leaving = false;
  var countdown = document.getElementById("countdown");
  var connection = document.getElementById("connection");

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function persist() {
    try {
      if (Object.keys(pending).length) { localStorage.setItem(storeKey, JSON.stringify(pending)); }
      else { localStorage.removeItem(storeKey); }
    } catch (e) { /* storage full or private mode: the retry loop still holds the answers in memory */ }
  }
  function serverNow() { return Date.now() + offset; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clockText(ms) {
    var d = new Date(ms + 7 * 3600 * 1000);  // Vietnam time, whatever the phone's zone
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }
  function setState(key, text, cls) {
    var el = document.getElementById("state-" + key);
    if (el) { el.textContent = text; el.className = "save-state " + (cls || ""); }
  }
  function updateProgress() {
    var answered = 0;
    document.querySelectorAll("fieldset.question").forEach(function (fs) {
      var pos = fs.dataset.position;
      var any = fs.querySelector("input:checked") !== null;
      if (any) { answered++; }
      var nav = document.getElementById("nav-" + pos);
      if (nav) { nav.classList.toggle("answered", any); }
    });
    document.getElementById("answered-count").textContent = answered;
  }
  function showConnection() {
    var waiting = Object.keys(pending).length;
    if (!navigator.onLine || waiting) {
      connection.textContent = navigator.onLine
        ? "Đang chờ lưu " + waiting + " câu trả lời…"
        : "Mất kết nối mạng. Câu trả lời được giữ trên máy và sẽ tự gửi lại khi có mạng.";
      connection.className = "connection warn";
    } else {
      connection.textContent = "";
      connection.className = "connection";
    }
  }
  function selectedOf(fs) {
    return Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return +i.value; });
  }
  function applySelection(pos, selected) {
    var fs = document.getElementById("cau-" + pos);
    if (!fs) { return; }
    fs.querySelectorAll("input").forEach(function (i) { i.checked = selected.indexOf(+i.value) >= 0; });
  }

  function post(url, body) {
    var sent = Date.now();
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (data && data.server_time) {
          // Half the round trip is the best guess of when the server read its clock.
          offset = Date.parse(data.server_time) - (sent + Date.now()) / 2;
        }
        if (data && data.deadline) { deadline = Date.parse(data.deadline); }
        return { status: response.status, data: data || {} };
      });
    });
  }

  function refused(result) {
    var code = result.data.code;
    if (code === "too_late" || code === "finished") {
      pending = {}; persist();
      endAndShowResult(result.data.error);
      return true;
    }
    if (code === "login") {
      connection.textContent = result.data.error;
      connection.className = "connection warn";
      return true;
    }
    return false;
  }

  // One request per question at a time; a send asked for meanwhile waits for it, then sends what is
  // still pending (if anything), so that "flush" resolves only when the server has answered.
  function whenFree(key, job) {
    if (inflight[key]) { return inflight[key].then(function () { return whenFree(key, job); }); }
    if (!pending[key]) { return Promise.resolve(); }
    inflight[key] = job().then(function () { delete inflight[key]; }, function () { delete inflight[key]; });
    return inflight[key];
  }

  function send(pos) { return whenFree(pos, function () { return sendNow(pos); }); }

  function sendNow(pos) {
    var item = pending[pos];
    var body = { position: +pos, selected: item.selected, seq: item.seq };
    return post(root.dataset.saveUrl, body).then(function (result) {
      if (result.status === 200 && result.data.ok) {
        if (pending[pos] && pending[pos].seq <= result.data.seq) {
          if (result.data.seq > item.seq) { applySelection(pos, result.data.selected); }  // newer from elsewhere
          delete pending[pos];
          seqs[pos] = Math.max(seqs[pos] || 0, result.data.seq);
        }
        setState(pos, "Đã lưu lúc " + clockText(Date.parse(result.data.saved_at)), "saved");
      } else if (refused(result)) {
        return;
      } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
        delete pending[pos];
        setState(pos, result.data.error || "Không lưu được câu trả lời này.", "failed");
      } else {
        setState(pos, "Chưa lưu được – sẽ thử lại", "retry");
      }
      persist(); showConnection(); updateProgress();
    }, function () {
      setState(pos, "Chưa lưu được (mất mạng) – sẽ tự gửi lại", "retry");
      showConnection();
    });
  }

  function sendPrediction() { return whenFree("prediction", sendPredictionNow); }

  function sendPredictionNow() {
    var item = pending.prediction;
    return post(root.dataset.predictionUrl, { prediction: item.value }).then(function (result) {
      if (result.status === 200 && result.data.ok) {
        if (pending.prediction && pending.prediction.value === item.value) { delete pending.prediction; }
        setState("prediction", "Đã lưu", "saved");
      } else if (refused(result)) {
        return;
      } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
        delete pending.prediction;
        setState("prediction", result.data.error || "Không lưu được.", "failed");
      } else {
        setState("prediction", "Chưa lưu được – sẽ thử lại", "retry");
      }
      persist(); showConnection();
    }, function () {
      setState("prediction", "Chưa lưu được (mất mạng) – sẽ tự gửi lại", "retry");
      showConnection();
    });
  }

  function flush() {
    var jobs = Object.keys(pending).map(function (key) {
      return key === "prediction" ? sendPrediction() : send(key);
    });
    return Promise.all(jobs);
  }

  function endAndShowResult(message) {
    if (leaving) { return; }
    leaving = true;
    if (message) { connection.textContent = message; connection.className = "connection warn"; }
    setTimeout(function () { window.location.href = root.dataset.submitUrl.replace(/\/submit$/, "/result"); }, 1500);
  }

  function finishAtZero() {
    if (finishing) { return; }
    finishing = true;
    countdown.textContent = "Hết giờ";
    connection.textContent = "Đã hết giờ làm bài. Bài thi đang được nộp với các câu trả lời đã lưu…";
    connection.className = "connection warn";
    document.querySelectorAll("fieldset.question input, #prediction-input").forEach(function (i) { i.disabled = true; });
    var form = document.getElementById("auto-submit");
    var attemptSubmit = function () {
      fetch(form.action, { method: "POST", credentials: "same-origin", body: new FormData(form) })
        .then(function (response) {
          leaving = true;
          pending = {}; persist();
          window.location.href = response.url || root.dataset.submitUrl.replace(/\/submit$/, "/result");
        }, function () { setTimeout(attemptSubmit, 3000); });
    };
    // Answers still in flight get the server's few seconds of grace before the page finishes.
    flush().then(attemptSubmit, attemptSubmit);
  }

  function tick() {
    var left = deadline - serverNow();
    if (left <= 0) { finishAtZero(); return; }
    var total = Math.ceil(left / 1000);
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    countdown.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
    countdown.parentNode.classList.toggle("urgent", left < 60000);
  }

  // Restore: every question starts from the server's counter; unsent answers kept in this browser win.
  document.querySelectorAll("fieldset.question").forEach(function (fs) {
    var pos = fs.dataset.position;
    seqs[pos] = +fs.dataset.seq || 0;
    var kept = pending[pos];
    if (kept) {
      if (kept.seq > seqs[pos]) { applySelection(pos, kept.selected); setState(pos, "Đang lưu…", "saving"); }
      else { delete pending[pos]; }
    }
    fs.addEventListener("change", function () {
      if (finishing) { return; }
      seqs[pos] = Math.max(seqs[pos], pending[pos] ? pending[pos].seq : 0) + 1;
      pending[pos] = { selected: selectedOf(fs), seq: seqs[pos] };
      persist();
      setState(pos, "Đang lưu…", "saving");
      updateProgress(); showConnection();
      send(pos);
    });
  });
  var prediction = document.getElementById("prediction-input");
  if (prediction) {
    if (pending.prediction) { prediction.value = pending.prediction.value === null ? "" : pending.prediction.value; }
    var timer = null;
    prediction.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var raw = prediction.value.trim();
        var value = raw === "" ? null : parseInt(raw, 10);
        if (raw !== "" && (isNaN(value) || value < 0)) { setState("prediction", "Hãy nhập một số nguyên không âm.", "failed"); return; }
        pending.prediction = { value: value };
        persist();
        setState("prediction", "Đang lưu…", "saving");
        sendPrediction();
      }, 500);
    });
  }

  document.getElementById("to-submit").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    flush().then(function () {
      var waiting = Object.keys(pending).length;
      if (waiting) {
        connection.textContent = "Còn " + waiting + " câu trả lời chưa gửi được. Kiểm tra kết nối mạng rồi bấm Nộp bài lần nữa.";
        connection.className = "connection warn";
        return;
      }
      leaving = true;
      form.submit();
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && Object.keys(pending).length) { event.preventDefault(); event.returnValue = ""; }
  });
  window.addEventListener("online", function () { showConnection(); flush(); });
  window.addEventListener("offline", showConnection);
  document.addEventListener("visibilitychange", function () {
    // Phones pause timers in the background: re-read the server's clock when the page comes back.
    if (document.visibilityState === "visible") {
      fetch(root.dataset.stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.server_time) { offset = Date.parse(data.server_time) - Date.now(); }
          if (data.deadline) { deadline = Date.parse(data.deadline); }
          if (data.state && data.state !== "in_progress") { endAndShowResult(); }
        }, function () {});
      flush();
    }
  });

  setInterval(tick, 250);
  setInterval(function () { if (Object.keys(pending).length) { flush(); } }, 3000);
  tick(); updateProgress(); showConnection(); flush();
}());
