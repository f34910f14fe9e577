// Confirmation before destructive actions: <button data-confirm="…">.
document.addEventListener("click", function (event) {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
// A select that applies itself (language, year): <select data-autosubmit> posts its form on change.
// The language selector is matched by name too, so it works under the Content-Security-Policy
// (which blocks inline handlers) whatever the page's markup.
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el.matches && el.matches("select[data-autosubmit], select[name=language]") && el.form) {
    el.form.requestSubmit();
  }
});
