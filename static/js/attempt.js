/* HoiThi attempt page: autosave every answer, keep unsent answers in the browser until the server
 * acknowledges them, count down to the server's deadline (never the phone's clock) and finish at zero.
 * The server decides everything; this script only reports and retries.
 *
 * An answer leaves the queue only when the server acknowledges a seq at least as new as the queued one,
 * or refuses it for good (too late, attempt finished, an option that does not exist), and then the page
 * says so next to the question. A refusal that can pass (session lost, stale CSRF token, a limit, a
 * server restarting, no network) keeps it queued, in localStorage too, with a banner saying what to do.
 * Each acknowledgement says which answer the server holds: a tab overtaken by another window's newer
 * save shows that answer and says it was changed elsewhere. */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) { return; }
  var missing = document.getElementById("script-missing");
  if (missing) { missing.hidden = true; }

  var attemptId = root.dataset.attempt;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var deadline = Date.parse(root.dataset.deadline);
  var offset = Date.parse(root.dataset.serverTime) - Date.now();  // server time minus phone time
  var storeKey = "hoithi-attempt-" + attemptId;
  var pending = load();            // position -> {selected, seq}; "prediction" -> {value}
  var seqs = {};                   // position -> the highest seq known (ours or the server's)
  var stored = {};                 // position -> the answer the server holds, as last acknowledged
  var inflight = {};
  var finishing = false;
  var leaving = false;
  var signedOut = false;           // the server said the session is gone: wait for a sign-in
  var waitReason = "";             // why answers wait, when the server (not the network) keeps them out
  var checkingSession = null;
  var countdown = document.getElementById("countdown");
  var connection = document.getElementById("connection");
  var signIn = document.getElementById("sign-in-again");

  var CHANGED_ELSEWHERE = "Câu trả lời này đã được đổi ở một cửa sổ khác; trang đang hiển thị phương án đã lưu.";

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  // Another tab of the same attempt writes the same key: keep its unsent answers that this page has not
  // seen acknowledged (a newer seq than this page knows), so that closing either tab loses nothing.
  function persist() {
    try {
      var merged = {};
      var theirs = load();
      Object.keys(theirs).forEach(function (key) {
        var item = theirs[key];
        if (key !== "prediction" && item && item.seq > (seqs[key] || 0) &&
            (!pending[key] || pending[key].seq < item.seq)) { merged[key] = item; }
      });
      Object.keys(pending).forEach(function (key) { if (!merged[key]) { merged[key] = pending[key]; } });
      if (Object.keys(merged).length) { localStorage.setItem(storeKey, JSON.stringify(merged)); }
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
  function waitingCount() { return Object.keys(pending).length; }
  function showConnection() {
    var waiting = waitingCount();
    signIn.hidden = !(signedOut && waiting);
    document.getElementById("waiting-count").textContent = waiting;
    if (signedOut && waiting) {
      connection.textContent = "";
      connection.className = "connection";
    } else if (!navigator.onLine || waiting) {
      connection.textContent = !navigator.onLine
        ? "Mất kết nối mạng. Câu trả lời được giữ trên máy và sẽ tự gửi lại khi có mạng."
        : (waitReason ? waitReason + " " : "") + "Đang chờ lưu " + waiting + " câu trả lời…";
      connection.className = "connection warn";
    } else {
      connection.textContent = "";
      connection.className = "connection";
    }
  }
  function selectedOf(fs) {
    return Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return +i.value; });
  }
  function sameAnswer(a, b) {
    a = (a || []).slice().sort(); b = (b || []).slice().sort();
    return a.length === b.length && a.every(function (v, i) { return v === b[i]; });
  }
  function applySelection(pos, selected) {
    var fs = document.getElementById("cau-" + pos);
    if (!fs) { return; }
    fs.querySelectorAll("input").forEach(function (i) { i.checked = selected.indexOf(+i.value) >= 0; });
  }
  function setToken(token) {
    csrf = token;
    document.querySelectorAll('input[name="csrf_token"]').forEach(function (i) { i.value = token; });
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

  // What a refusal means. "over": the attempt takes no more answers; "final": this answer can never be
  // stored; "session": sign in again (or read the new session's token); anything else can pass: retry.
  function refusalOf(result) {
    var code = result.data.code;
    if (code === "too_late" || code === "finished") { return "over"; }
    if (code === "bad_option" || code === "bad_question" || code === "bad_request" || code === "bad_prediction") {
      return "final";
    }
    if (code === "login" || code === "csrf" || code === "not_found" || result.status === 401) { return "session"; }
    return "retry";
  }

  // Ask the server who is signed in: a page whose taker signed in again (here or in another tab) takes the
  // new session's CSRF token and sends what waits; otherwise the banner says to sign in.
  function checkSession() {
    if (checkingSession) { return checkingSession; }
    checkingSession = fetch(root.dataset.stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          checkingSession = null;
          if (response.status === 200 && data.ok) {
            if (data.server_time) { offset = Date.parse(data.server_time) - Date.now(); }
            if (data.deadline) { deadline = Date.parse(data.deadline); }
            // Renewed: signed in again, or a new token (a sign-in in another tab): what waits can go now.
            var renewed = signedOut || (data.csrf_token && data.csrf_token !== csrf);
            if (data.csrf_token) { setToken(data.csrf_token); }
            signedOut = false;
            showConnection();
            if (data.state && data.state !== "in_progress") { attemptOver(); return false; }
            return renewed;
          }
          if (response.status === 401 || data.code === "login" || data.code === "not_found") {
            signedOut = true;
            showConnection();
          }
          return false;
        });
      }, function () { checkingSession = null; return false; });
    return checkingSession;
  }

  function attemptOver(message) {
    Object.keys(pending).forEach(function (key) {
      setState(key, "Không được lưu: " + (message || "bài thi đã kết thúc."), "failed");
    });
    pending = {};
    try { localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
    endAndShowResult(message);
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
        waitReason = "";
        acknowledged(pos, item, result.data);
      } else {
        var refusal = refusalOf(result);
        if (refusal === "over") { attemptOver(result.data.error); return; }
        if (refusal === "final") {
          dropAnswer(pos, item, result.data.error || "phương án không hợp lệ.");
        } else if (refusal === "session") {
          setState(pos, "Chưa lưu – câu trả lời được giữ trên máy, sẽ gửi khi đăng nhập lại", "retry");
          checkSession().then(function (renewed) { if (renewed) { flush(); } });
        } else {
          waitReason = result.data.error || "";
          setState(pos, "Chưa lưu được – sẽ thử lại", "retry");
        }
      }
      persist(); showConnection(); updateProgress();
    }, function () {
      setState(pos, "Chưa lưu được (mất mạng) – sẽ tự gửi lại", "retry");
      showConnection();
    });
  }

  function acknowledged(pos, item, data) {
    var held = data.selected || [];
    stored[pos] = held;
    seqs[pos] = Math.max(seqs[pos] || 0, data.seq);
    // A newer tap queued meanwhile stays queued: only a seq at least as new as it clears it.
    if (pending[pos] && pending[pos].seq > data.seq) { return; }
    delete pending[pos];
    if (sameAnswer(held, item.selected)) {
      setState(pos, "Đã lưu lúc " + clockText(Date.parse(data.saved_at)), "saved");
    } else {
      applySelection(pos, held);
      setState(pos, CHANGED_ELSEWHERE, "changed");
    }
  }

  function dropAnswer(pos, item, message) {
    if (pending[pos] && pending[pos].seq <= item.seq) { delete pending[pos]; }
    if (!pending[pos]) { applySelection(pos, stored[pos] || []); }
    setState(pos, "Không lưu được: " + message, "failed");
  }

  function sendPrediction() { return whenFree("prediction", sendPredictionNow); }

  function sendPredictionNow() {
    var item = pending.prediction;
    return post(root.dataset.predictionUrl, { prediction: item.value }).then(function (result) {
      if (result.status === 200 && result.data.ok) {
        if (pending.prediction && pending.prediction.value === item.value) { delete pending.prediction; }
        setState("prediction", "Đã lưu", "saved");
      } else {
        var refusal = refusalOf(result);
        if (refusal === "over") { attemptOver(result.data.error); return; }
        if (refusal === "final") {
          if (pending.prediction && pending.prediction.value === item.value) { delete pending.prediction; }
          setState("prediction", "Không lưu được: " + (result.data.error || "số không hợp lệ."), "failed");
        } else if (refusal === "session") {
          setState("prediction", "Chưa lưu – sẽ gửi khi đăng nhập lại", "retry");
          checkSession().then(function (renewed) { if (renewed) { flush(); } });
        } else {
          setState("prediction", "Chưa lưu được – sẽ thử lại", "retry");
        }
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
    setTimeout(function () { window.location.href = root.dataset.resultUrl; }, 3000);
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
          window.location.href = response.url || root.dataset.resultUrl;
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

  // Restore: every question starts from the server's answer and counter; unsent answers kept in this
  // browser (this tab before a reload or a sign-in, or another tab) win when they are newer.
  document.querySelectorAll("fieldset.question").forEach(function (fs) {
    var pos = fs.dataset.position;
    seqs[pos] = +fs.dataset.seq || 0;
    stored[pos] = fs.dataset.selected ? fs.dataset.selected.split(",").map(Number) : [];
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
      if (signedOut) {
        setState(pos, "Chưa lưu – câu trả lời được giữ trên máy, sẽ gửi khi đăng nhập lại", "retry");
        return;
      }
      send(pos);
    });
  });
  persist();  // forget what the server already holds
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
      var waiting = waitingCount();
      if (waiting) {
        connection.textContent = signedOut
          ? "Còn " + waiting + " câu trả lời chưa gửi được. Đăng nhập lại rồi bấm Nộp bài lần nữa."
          : "Còn " + waiting + " câu trả lời chưa gửi được. Kiểm tra kết nối mạng rồi bấm Nộp bài lần nữa.";
        connection.className = "connection warn";
        return;
      }
      leaving = true;
      // Go to the confirmation page by its own address (a GET form would add a bare "?" to it).
      window.location.assign(form.getAttribute("action"));
    });
  });
  // Going to sign in keeps the queued answers in this browser: the page sends them when it opens again.
  document.getElementById("sign-in-link").addEventListener("click", function () { persist(); leaving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && waitingCount()) { event.preventDefault(); event.returnValue = ""; }
  });
  window.addEventListener("online", function () { showConnection(); flush(); });
  window.addEventListener("offline", showConnection);
  document.addEventListener("visibilitychange", function () {
    // Phones pause timers in the background: re-read the server's clock (and who is signed in, after a
    // sign-in in another tab) when the page comes back.
    if (document.visibilityState === "visible") {
      checkSession().then(function () { if (!signedOut) { flush(); } });
    }
  });

  function retryLoop() {
    if (!waitingCount() || leaving) { return; }
    if (signedOut) { checkSession().then(function (renewed) { if (renewed) { flush(); } }); }
    else { flush(); }
  }

  setInterval(tick, 250);
  setInterval(retryLoop, 3000);
  tick(); updateProgress(); showConnection(); flush();
}());
