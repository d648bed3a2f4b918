// The poster's "In áp phích" button: the browser's print dialog (A4, see css/poster.css).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
