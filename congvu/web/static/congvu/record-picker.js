// The finding form's record picker: a ticked search result moves into the chosen list, so the next
// search (which replaces the results) does not drop it; an unticked chosen record stays visible
// until the form is saved. A static file, no inline handlers.
document.addEventListener("change", function (event) {
  const box = event.target;
  if (!box.matches || !box.matches(".record-picker-results input[type=checkbox]") || !box.checked) return;
  const picker = box.closest("[data-record-picker]");
  const chosen = picker && picker.querySelector(".record-picker-chosen");
  if (chosen) chosen.appendChild(box.closest("label"));
});
