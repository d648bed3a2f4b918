/* The submit confirmation page: count down to the server's deadline (corrected by the server's time when the
   page was made) and, at zero, send the confirmation as an automatic submit, as the attempt page does. */
(function () {
  'use strict';
  var clock = document.getElementById('submit-countdown');
  var form = document.getElementById('confirm-submit');
  if (!clock || !form) return;
  var deadline = Date.parse(clock.dataset.deadline);
  var skew = Date.parse(clock.dataset.now) - Date.now();
  var sent = false;

  function tick() {
    var left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
    clock.textContent = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    clock.classList.toggle('urgent', left <= 60);
    if (left > 0) {
      setTimeout(tick, 1000);
    } else if (!sent) {
      sent = true;
      var auto = form.querySelector('input[name="auto"]');
      if (auto) auto.value = '1';
      form.submit();
    }
  }
  tick();
})();
