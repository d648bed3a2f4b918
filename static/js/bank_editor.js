// Bank editor: as the organiser types, ask the server to check the question with the rules of the file imports
// and put each message beside its field, list the lint's advice, and show the question as a taker sees it.
// The server decides everything again on save; this only says it sooner. Without this script the form still
// works ("Kiểm tra và xem trước" does the same on the server).
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  if (!form) { return; }
  var url = form.dataset.checkUrl;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var advice = document.getElementById("advice");
  var preview = document.getElementById("preview");
  var kind = document.getElementById("kind");
  var fieldInputs = {
    code: ["code"], topic: ["topic"], kind: ["kind"], text: ["text"], points: ["points"],
    difficulty: ["difficulty"], options: [0, 1, 2, 3, 4, 5].map(function (i) { return "option-" + i; }),
    weights: [0, 1, 2, 3, 4, 5].map(function (i) { return "weight-" + i; }), answer: []
  };
  var timer = null, latest = 0;

  function showWeights() {
    var multiple = kind.value === "multiple";
    Array.prototype.forEach.call(form.querySelectorAll(".option-row .weight"), function (span) {
      span.hidden = !multiple && !span.querySelector("input").value.trim();  // a typed weight stays in sight
    });
  }

  function trueFalseOptions() {
    // A true/false question's options are "Đúng" and "Sai": written in for the organiser when the rows are empty.
    if (kind.value !== "true_false") { return; }
    var first = document.getElementById("option-0"), second = document.getElementById("option-1");
    var rest = [2, 3, 4, 5].every(function (i) { return !document.getElementById("option-" + i).value.trim(); });
    if (!first.value.trim() && !second.value.trim() && rest) { first.value = "Đúng"; second.value = "Sai"; }
  }

  function showErrors(errors) {
    Array.prototype.forEach.call(form.querySelectorAll("p.error[data-field]"), function (p) {
      var name = p.dataset.field;
      var messages = errors[name] || [];
      p.textContent = messages.join(" ");
      (fieldInputs[name] || []).forEach(function (id) {
        var input = document.getElementById(id);
        if (!input) { return; }
        if (messages.length) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      });
    });
  }

  function showAdvice(data) {
    advice.textContent = "";
    var items = data.warnings.slice();
    data.lint.forEach(function (f) { items.push((f.severity === "error" ? "Nên sửa ngay – " : "") + f.message); });
    if (!items.length && data.ok) { items.push("Không có góp ý nào."); }
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      advice.appendChild(li);
    });
  }

  function check() {
    var sent = ++latest;
    var body = new FormData(form);
    body.delete("action");
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || sent !== latest) { return; }  // an older answer arriving late never overwrites a newer one
        showErrors(data.errors);
        showAdvice(data);
        if (data.preview_html) {
          preview.innerHTML = data.preview_html;  // rendered and escaped by the server's template
        } else {
          preview.textContent = "";
          var note = document.createElement("p");
          note.className = "muted";
          note.textContent = "Sửa các lỗi ở trên để xem trước câu hỏi.";
          preview.appendChild(note);
        }
        form.dataset.checked = String(sent);
      })
      .catch(function () { /* offline: the server checks again on save */ });
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 500);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", function (event) {
    if (event.target === kind) { showWeights(); trueFalseOptions(); }
    later();
  });
  showWeights();
}());
