// "Working…" for forms whose answer takes seconds (an import reads and checks thousands of
// rows in the request): once the form is submitted, the page says so in a status region that
// screen readers announce, so nobody wonders whether anything is happening or submits again.
// Without JavaScript the form still works; the browser's own loading indicator is all there is.
export function initBusyForms(root = document) {
  for (const form of root.querySelectorAll("form[data-busy-message]")) {
    const status = form.querySelector("[data-busy-status]");
    if (!status) continue;
    form.addEventListener("submit", () => {
      status.textContent = form.dataset.busyMessage;
      status.hidden = false;
      form.setAttribute("aria-busy", "true");
    });
  }
}
