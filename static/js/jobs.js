/* The progress bar of a background job (templates/jobs/_status.html): polls the job's JSON status every
   second and updates the bar, the text, the error and the download link; when the file is ready, offers it,
   and right after the export was asked for (data-autodownload) downloads it once, as a direct download did;
   a job that writes no file (data-reload-when-finished: a bank import) reloads the page when it ends.
   No inline script (CSP); without JavaScript the page has a reload link instead. */
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box) { return; }
  var autodownload = box.getAttribute("data-autodownload") === "yes";
  if (autodownload && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);  // a reload does not download again
  }
  function download(href) {
    if (autodownload) { autodownload = false; window.location.assign(href); }
  }
  if (box.getAttribute("data-finished") === "yes") {
    var offered = box.querySelector("[data-job-ready]");
    if (offered && !offered.hidden) { download(box.querySelector("[data-job-download]").href); }
    return;
  }
  if (!window.fetch) { return; }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-text]");
  var percent = box.querySelector("[data-job-percent]");
  var error = box.querySelector("[data-job-error]");
  var ready = box.querySelector("[data-job-ready]");
  var link = box.querySelector("[data-job-download]");
  var reload = box.querySelector("[data-job-reload]");
  var delay = 1000;

  function show(status) {
    bar.value = status.progress;
    bar.textContent = status.progress + "%";
    percent.textContent = status.progress;
    text.textContent = status.status_text;
    if (status.error) { error.textContent = status.error; error.hidden = false; }
    if (status.download_url) {
      link.href = status.download_url;
      ready.hidden = false;
      link.focus();
      download(link.href);
    }
    if (status.finished) {
      reload.hidden = true;
      box.setAttribute("data-finished", "yes");
      // A job that changed something (a bank import): the page itself shows what it did, or every error.
      if (box.getAttribute("data-reload-when-finished") === "yes") { window.location.reload(); }
    }
  }

  function poll() {
    window.fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        delay = 1000;
        if (!status.finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () {  // a server restarting or the network gone: keep trying, more slowly
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, 500);
})();
