/* The form: queue a report and go to its page; offer a report already under way instead. */
(() => {
  const form = document.getElementById("report-form");
  const button = document.getElementById("generate");
  const dateInput = document.getElementById("date");
  const formError = document.getElementById("form-error");
  const offer = document.getElementById("existing");
  const bounds = JSON.parse(document.getElementById("date-bounds").textContent);
  let active = JSON.parse(document.getElementById("active-reports").textContent);
  let pending = false;

  const period = () => (form.querySelector("input[name=period]:checked") || {}).value || "";

  function clearErrors() {
    for (const name of ["period", "date"]) document.getElementById(`${name}-error`).textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
    formError.hidden = true;
    formError.textContent = "";
  }

  // The server's message next to the field it is about; focus goes there, so it is read out.
  function showFieldError(field, message) {
    document.getElementById(`${field}-error`).textContent = message;
    const input = field === "date" ? dateInput
      : form.querySelector("input[name=period]:checked") || form.querySelector("input[name=period]");
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  function showFormError(message) {
    formError.textContent = message;
    formError.hidden = false;
  }

  // A report for the same period and reference day, queued or running: offer to follow it.
  function offerExisting() {
    const day = dateInput.value || bounds.max;
    const same = active.find((r) => r.period === period() && r.ref_date === day);
    offer.hidden = !same;
    if (!same) return;
    document.getElementById("existing-text").textContent =
      `A ${same.period} report for ${day} is already ${same.state} ` +
      `(${same.pages_fetched} of ${same.pages_total} pages).`;
    document.getElementById("existing-link").href = same.status_url;
  }

  async function refreshActive() {
    try {
      const response = await fetch(form.action, {headers: {Accept: "application/json"}});
      if (response.ok) active = (await response.json()).active;
    } catch (e) { /* keep what the page was rendered with */ }
    offerExisting();
  }

  // The date field's min follows the period; set only when the period changes (setting it while
  // someone types a year restarts the year).
  function onChoice(event) {
    if (event.target.name === "period") dateInput.min = bounds.min[period()] || bounds.min.today;
    refreshActive();
  }
  form.addEventListener("change", onChoice);
  dateInput.min = bounds.min[period()] || bounds.min.today;
  offerExisting();

  // Back from a report's page may restore this page as it was left: ready again, offer fresh.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    pending = false;
    button.removeAttribute("aria-disabled");
    refreshActive();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (pending) return;
    // aria-disabled, not disabled: a disabled button drops the keyboard focus to <body>.
    pending = true;
    button.setAttribute("aria-disabled", "true");
    clearErrors();
    try {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), headers: {Accept: "application/json"},
      });
      const body = await response.json();
      if (response.ok) {
        if (body.existing) sessionStorage.setItem(`followed:${body.task_id}`, "1");
        location.assign(body.status_url);  // a history entry: Back comes here, reload stays there
        return;
      }
      if (response.status === 400 && (body.errors || body.field)) {
        // Every field's message at once; the first field gets the focus (shown last).
        const errors = Object.entries(body.errors || {[body.field]: body.error});
        for (const [field, message] of errors.reverse()) {
          if (field === "period" || field === "date") showFieldError(field, message);
          else showFormError(message);
        }
      }
      else showFormError(body.error || `The server answered HTTP ${response.status}.`);
    } catch (e) {
      showFormError("The server did not answer; nothing was queued. Try again in a moment.");
    }
    pending = false;
    button.removeAttribute("aria-disabled");
  });
})();
