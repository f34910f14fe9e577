// Unsaved edits are never lost silently: leaving a page (link, reload, closing the tab, or posting
// *another* form) while a form holds edits asks first. A form counts as edited when one of its
// fields differs from the value the page was served with, or when the server marks it
// data-unsaved="1" (typed text kept after a refused save). Forms that only navigate (GET search
// and filter forms) and forms marked data-unsaved-ignore are not watched.
// A static file, no inline handlers: the Content-Security-Policy may forbid inline script.
(function () {
  "use strict";

  function watched(form) {
    return (form.method || "").toLowerCase() === "post" && !form.hasAttribute("data-unsaved-ignore");
  }

  function fieldChanged(el) {
    if (!el.name || el.disabled) return false;
    const type = (el.type || "").toLowerCase();
    if (type === "hidden" || type === "submit" || type === "button" || type === "reset") return false;
    if (type === "file") return el.files && el.files.length > 0;
    if (type === "checkbox" || type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") {
      for (const option of el.options) {
        if (option.selected !== option.defaultSelected) {
          // A select with no option marked selected shows its first one: that is not an edit.
          const noDefault = !Array.prototype.some.call(el.options, (o) => o.defaultSelected);
          if (!(noDefault && el.selectedIndex === 0)) return true;
        }
      }
      return false;
    }
    return el.value !== el.defaultValue;
  }

  function isDirty(form) {
    if (form.getAttribute("data-unsaved") === "1") return true;
    return Array.prototype.some.call(form.elements, fieldChanged);
  }

  function dirtyForms() {
    return Array.prototype.filter.call(document.forms, (f) => watched(f) && isDirty(f));
  }

  // The form being posted carries its own edits to the server: it is not "left".
  let submitting = null;
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) submitting = event.target;
  });

  // Mark edited forms so the page can show it (and tests can see it).
  document.addEventListener("input", function (event) {
    const form = event.target.form;
    if (form && watched(form)) form.classList.toggle("has-unsaved", isDirty(form));
  });

  window.addEventListener("beforeunload", function (event) {
    const others = dirtyForms().filter((f) => f !== submitting);
    submitting = null;
    if (others.length) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to show the prompt
      return "";
    }
    return undefined;
  });
})();
