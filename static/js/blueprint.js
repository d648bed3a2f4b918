// Blueprint editor: warn as the organiser types when a topic asks for more questions than the bank holds.
// The server makes the same check and refuses to save; this only says it sooner.
(function () {
  "use strict";
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input.count[data-row]"));
  var message = document.getElementById("blueprint-check");
  if (!inputs.length || !message) { return; }

  function check() {
    var rows = {}, problems = [];
    inputs.forEach(function (input) {
      var wanted = parseInt(input.value, 10) || 0;
      var row = rows[input.dataset.row] || (rows[input.dataset.row] = { inputs: [], sum: 0, topic: input.dataset.topic,
        total: parseInt(input.dataset.total, 10) || 0 });
      row.inputs.push(input);
      row.sum += wanted;
      input.classList.toggle("over", wanted > (parseInt(input.dataset.available, 10) || 0));
    });
    Object.keys(rows).forEach(function (key) {
      var row = rows[key];
      var over = row.sum > row.total || row.inputs.some(function (i) { return i.classList.contains("over"); });
      if (row.sum > row.total) { row.inputs.forEach(function (i) { i.classList.add("over"); }); }
      if (over) { problems.push("“" + row.topic + "” (có " + row.total + " câu)"); }
    });
    message.textContent = problems.length ? "Ngân hàng không đủ câu hỏi cho: " + problems.join(", ") + "." : "";
  }

  inputs.forEach(function (input) { input.addEventListener("input", check); });
  check();
}());
