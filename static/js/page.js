/* Small behaviours of ordinary pages, declared in the markup with data- attributes, so that no page needs an
   inline script, an on*= handler or a style= attribute (the Content-Security-Policy forbids all three).
     data-print             a button that prints the page
     data-autosubmit        a <select> that submits its form when changed
     data-confirm="text"    a button or link that asks before it acts
     data-background="css"  an element coloured from the server (heat maps)
     data-height="px"       an element sized from the server (charts) */
(function () {
  "use strict";
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  each("[data-print]", function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  each("select[data-autosubmit]", function (el) {
    el.addEventListener("change", function () { if (el.form) { el.form.submit(); } });
  });
  each("[data-confirm]", function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  each("[data-background]", function (el) { el.style.background = el.getAttribute("data-background"); });
  each("[data-height]", function (el) { el.style.height = parseInt(el.getAttribute("data-height"), 10) + "px"; });
})();
