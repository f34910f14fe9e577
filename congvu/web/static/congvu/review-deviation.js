// The sampling review form: the "deviation" flag follows the answers (the form's clean() applies the
// same rule on save). A failing answer sets "Có sai lệch" and, unless the team named a type the
// answers show or one they cannot show (procedure, other), the first type the answers show.
(function () {
  "use strict";
  const form = document.querySelector("form[data-deviation-rules]");
  if (!form) return;
  const rules = JSON.parse(form.getAttribute("data-deviation-rules"));
  const answerKinds = rules.answers.map((rule) => rule[2]);

  function value(name) {
    const checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function follow() {
    const shown = rules.answers.filter((rule) => value(rule[0]) === rule[1]).map((rule) => rule[2]);
    const yes = form.querySelector('input[name="deviation"][value="yes"]');
    const no = form.querySelector('input[name="deviation"][value="no"]');
    const type = form.querySelector('select[name="deviation_type"]');
    if (!yes || !no || !type) return;
    no.disabled = shown.length > 0;
    if (shown.length) {
      yes.checked = true;
      const chosen = type.value;
      if (!chosen || (answerKinds.includes(chosen) && !shown.includes(chosen))) type.value = shown[0];
    } else if (answerKinds.includes(type.value)) {
      // the answer that showed this deviation was corrected: no deviation unless the team names one
      type.value = "";
      no.checked = true;
    } else if (type.value) {
      yes.checked = true; // a deviation no answer asks about, named by the team
    }
  }

  form.addEventListener("change", function (event) {
    const type = form.querySelector('select[name="deviation_type"]');
    if (event.target.name === "deviation" && event.target.value === "no" && type) type.value = "";
    follow();
  });
  follow();
})();
