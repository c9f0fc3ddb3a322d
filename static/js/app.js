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

// A page that comes back after a failed submit (its title starts "Feil:") brings the reader to
// its error summary, as the forms htmx swaps in do. Without this script the title still says
// what happened, and the summary stands above the form, linking to each field in error.
// (A refusal without a form, such as a report that cannot be finalised yet, marks its alert
// with data-focus-on-load.)
document.querySelector("main .ds-error-summary, main [data-focus-on-load]")?.focus();

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

// Session time (WCAG 2.2.1; tiltak/session_time.py, which signs out on the server whatever the
// page does). The dialog carries the seconds left as the server counted them. Before warning,
// the page asks the server again (GET, which does not count as activity), so that a request in
// another tab is seen; a tab that extends the session or loads a page tells the others.
// Typing in this page counts as being here: if the user typed within the warning time, the page
// extends the session quietly instead of warning, so the warning only takes focus from someone
// who has not typed for minutes. The modal dialog (role alertdialog) then moves focus to "Stay
// signed in", and a screen reader reads its title and text; closing it returns focus (and the
// caret) to where it was. Near the maximum, which cannot be extended, it says when the session
// ends, once; after the end, it says that a form sent now is kept.
(() => {
  const dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const data = dialog.dataset;
  const warning = Number(data.warning) * 1000;
  const idleTimeout = Number(data.idleTimeout) * 1000;
  const extendForm = dialog.querySelector("form[data-session-extend]");
  const closeButton = dialog.querySelector("[data-session-close]");
  const clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const channel = "BroadcastChannel" in window ? new BroadcastChannel("bolig-session") : null;
  let absoluteEnd = Date.now() + Number(data.absolute) * 1000;
  let timer;
  let typedAt = 0;
  let shown = null; // "idle", "final" or "ended"
  let dismissed = null; // the kind the user closed: not shown again
  let returnTo = null;

  document.addEventListener(
    "input",
    (event) => {
      if (event.isTrusted && !dialog.contains(event.target)) typedAt = Date.now();
    },
    true,
  );

  // The next look at the server: `warning` before the nearer end.
  function schedule(idleLeft) {
    clearTimeout(timer);
    const ends = Math.min(idleLeft, absoluteEnd - Date.now());
    timer = setTimeout(check, Math.max(ends - warning, 0));
  }

  function learn(state) {
    absoluteEnd = Date.now() + state.absolute * 1000;
    return state.idle * 1000;
  }

  // A redirect (to sign in) is not followed: the session has ended.
  async function ask(url, options) {
    const response = await fetch(url, {
      ...options,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    });
    return response.ok ? response.json() : null;
  }

  async function check() {
    let state;
    try {
      state = await ask(data.statusUrl);
    } catch {
      timer = setTimeout(check, 30000); // offline: try again
      return;
    }
    if (!state) return show("ended", 0);
    const idleLeft = learn(state);
    const ends = Math.min(idleLeft, absoluteEnd - Date.now());
    if (ends > warning + 1000) {
      hide();
      return schedule(idleLeft);
    }
    const final = absoluteEnd - Date.now() <= idleLeft;
    if (!final && Date.now() - typedAt < warning) return extend();
    show(final ? "final" : "idle", ends);
    // Meanwhile another tab may extend it: look again, at the latest when it should end.
    clearTimeout(timer);
    timer = setTimeout(check, Math.min(Math.max(ends, 1000), 30000));
  }

  async function extend() {
    let state = null;
    try {
      state = await ask(extendForm.action, { method: "POST", body: new FormData(extendForm) });
    } catch {
      state = null;
    }
    if (!state) return show("ended", 0);
    const idleLeft = learn(state);
    hide();
    dismissed = null;
    channel?.postMessage(state);
    schedule(idleLeft);
  }

  function show(kind, ends) {
    if (kind === dismissed || kind === shown) return;
    const at = clock.format(new Date(Date.now() + ends));
    const name = kind[0].toUpperCase() + kind.slice(1);
    dialog.querySelector("#session-warning-title").textContent = data[`title${name}`];
    dialog.querySelector("#session-warning-text").textContent = data[`text${name}`].replace(
      "{time}",
      at,
    );
    extendForm.hidden = kind !== "idle";
    if (!dialog.open) {
      returnTo = document.activeElement;
      dialog.showModal();
    }
    (kind === "idle" ? extendForm.querySelector("button") : closeButton).focus();
    shown = kind;
    if (kind === "ended") clearTimeout(timer);
  }

  // Closed by the page (no longer needed): `shown` is cleared first, so it is not dismissed.
  function hide() {
    shown = null;
    if (dialog.open) dialog.close();
  }

  // Closed by the user (Close, or Escape): not shown again for the same reason.
  dialog.addEventListener("close", () => {
    if (shown !== null) dismissed = shown;
    shown = null;
    returnTo?.focus?.();
    returnTo = null;
  });
  extendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    extend();
  });
  closeButton.addEventListener("click", () => dialog.close());

  // Another tab extended the session or loaded a page.
  channel?.addEventListener("message", (event) => {
    if (shown === "ended") return;
    dismissed = null;
    hide();
    schedule(learn(event.data));
  });
  // An update made in place (htmx) is a request too: the idle time starts again.
  document.addEventListener("htmx:afterRequest", () => {
    if (shown !== "ended") schedule(idleTimeout);
  });

  channel?.postMessage({ idle: Number(data.idle), absolute: Number(data.absolute) });
  schedule(Number(data.idle) * 1000);
})();

// Status messages (WCAG 4.1.3): said once, politely, in the live region #announcer of
// base.html, without moving focus. The region is in the page from the start, so screen readers
// follow it; a form swapped in place is not itself a live region (it would be read whole).
// - A fragment htmx swaps in says its result through data-announce (or an HX-Trigger header
//   {"announce": "…"}); errors are not announced here, as focus moves to their summary.
// - A page loaded with a result count of a filter or a page of a list (data-announce="load")
//   says the count.
// - A page that returns to an anchor further down after a save (data-announce="anchor" on the
//   messages at the top of main) says the message, since a screen reader starts reading at the
//   anchor, where the row or group shows its own confirmation.
// A saved status form sends the page back where it was (HX-Redirect to …?lagret=12#occurrence-12).
// From that very address (the same row saved twice), setting location.href would only move to
// the anchor, leaving the form open and nothing said: the page is loaded again instead, at the
// anchor rather than where it was scrolled to.
document.addEventListener("htmx:beforeOnLoad", (event) => {
  const target = event.detail.xhr.getResponseHeader("HX-Redirect");
  if (target && new URL(target, location.href).href === location.href) {
    event.preventDefault();
    history.scrollRestoration = "manual";
    sessionStorage.setItem("reloaded-to-anchor", "1");
    location.reload();
  }
});
if (sessionStorage.getItem("reloaded-to-anchor")) {
  sessionStorage.removeItem("reloaded-to-anchor");
  // Once laid out, fonts and all, as the browser does for an anchor; the scroll position stays
  // the page's own (not restored) for this entry of the history.
  window.addEventListener("load", () => anchoredElement()?.scrollIntoView());
}
const announcer = document.getElementById("announcer");
function announce(text) {
  if (!announcer || !text) return;
  announcer.textContent = "";
  // Emptied first and filled a moment later, so that the same text twice is said twice.
  setTimeout(() => {
    announcer.textContent = text;
  }, 150);
}
const spoken = (element) =>
  (element.dataset.announceText || element.textContent).replace(/\s+/g, " ").trim();
document.addEventListener("announce", (event) => announce(event.detail?.value));
document.addEventListener("htmx:afterSettle", (event) => {
  const old = event.detail.target;
  const target = (old.id && document.getElementById(old.id)) || old;
  const says = target.matches?.("[data-announce='swap']")
    ? [target]
    : [...(target.querySelectorAll?.("[data-announce='swap']") || [])];
  announce(says.map(spoken).join(" "));
});
function anchoredElement() {
  const id = location.hash.slice(1);
  try {
    return id ? document.getElementById(decodeURIComponent(id)) : null;
  } catch {
    return null; // a malformed fragment
  }
}
(() => {
  const says = [...document.querySelectorAll("[data-announce='load']")];
  if (anchoredElement()) says.unshift(...document.querySelectorAll("[data-announce='anchor']"));
  // After the page has settled, or a screen reader busy loading it may miss the change.
  if (says.length) setTimeout(() => announce(says.map(spoken).join(" ")), 500);
})();
