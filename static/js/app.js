// Progressive enhancement only: every page works without this file.
// After htmx swaps in a form, move focus to its error summary or alert if it has one, else
// to its first field, as a full page load would bring the reader to it.
document.addEventListener("htmx:afterSettle", (event) => {
  // An outerHTML swap replaces the target: find the new element by its id.
  const old = event.detail.target;
  const target = (old.id && document.getElementById(old.id)) || old;
  const summary = target.querySelector(".ds-error-summary, [role='alert']");
  const first = target.querySelector("select, input:not([type='hidden']), textarea");
  (summary || first)?.focus();
});

// A status form opened in place below a list marks the row it edits.
document.addEventListener("htmx:afterSettle", (event) => {
  const form = event.detail.target.querySelector?.(".status-form[data-occurrence]");
  if (!form) return;
  document.querySelectorAll("tr.is-editing").forEach((row) => row.classList.remove("is-editing"));
  document.getElementById(`occurrence-${form.dataset.occurrence}`)?.classList.add("is-editing");
});
