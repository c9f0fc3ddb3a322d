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

// A text field's character counter (the char_counter tag): the count follows the typing, and
// only near the limit, once the typing pauses, the live region says how many are left, so
// that a screen reader is not interrupted at every keystroke.
const NEAR_LIMIT = 0.1; // the last tenth of the limit
document.querySelectorAll(".char-counter[data-counter-for]").forEach((counter) => {
  const field = document.getElementById(counter.dataset.counterFor);
  const live = document.getElementById(`${counter.id}_live`);
  if (!field || !live) return;
  const limit = Number(counter.dataset.limit);
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  let pause;
  field.addEventListener("input", () => {
    // Counted as the server counts: characters, not UTF-16 units.
    const count = Array.from(field.value.replace(/\r\n?/g, "\n")).length;
    const left = Math.max(limit - count, 0);
    const near = left <= limit * NEAR_LIMIT;
    counter.textContent = counter.dataset.used.replace("{count}", number.format(count));
    counter.classList.toggle("is-near-limit", near);
    clearTimeout(pause);
    if (!near) {
      live.textContent = "";
      return;
    }
    pause = setTimeout(() => {
      live.textContent = counter.dataset.left.replace("{count}", number.format(left));
    }, 1000);
  });
});
