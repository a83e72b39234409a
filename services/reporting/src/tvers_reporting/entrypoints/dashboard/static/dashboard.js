// The dashboard's one script. The page works without it; with it:
// - a sign-in link's code (/sign-in#token=...) goes into the form and is sent, so it never
//   travels in an address to a server or into a log;
// - the panels follow new events: the server says "changed" (server-sent events, /live) and the
//   panels are fetched again (/panels, with the page's filters), at most every two seconds, and
//   the updates can be paused (WCAG 2.2.2).
"use strict";

function signInFromTheLink() {
  const form = document.getElementById("sign-in");
  const match = /^#token=([^&]+)$/.exec(window.location.hash);
  if (!form || !match) return;
  history.replaceState(null, "", window.location.pathname);
  form.elements.namedItem("token").value = decodeURIComponent(match[1]);
  form.submit();
}
signInFromTheLink();
// The link opened while the sign-in page is already open changes only the fragment.
window.addEventListener("hashchange", signInFromTheLink);

(function followNewEvents() {
  const panels = document.getElementById("panels");
  const live = document.getElementById("live");
  if (!panels || !live || !window.EventSource) return;
  const status = document.getElementById("live-status");
  const toggle = document.getElementById("live-toggle");
  const MIN_INTERVAL_MS = 2000;
  let paused = false;
  let pending = false;
  let fetching = false;
  let last = 0;

  async function refresh() {
    if (paused || fetching) { pending = true; return; }
    const wait = last + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) { pending = true; setTimeout(refresh, wait); return; }
    pending = false;
    fetching = true;
    last = Date.now();
    try {
      const response = await fetch("/panels" + window.location.search, {
        credentials: "same-origin", headers: { Accept: "text/html" },
      });
      if (response.status === 401) { window.location.reload(); return; }
      if (response.ok) {
        const focused = document.activeElement && document.activeElement.id;
        panels.innerHTML = await response.text();
        if (focused && panels.querySelector("#" + CSS.escape(focused))) {
          document.getElementById(focused).focus({ preventScroll: true });
        }
        panels.dataset.updated = String(Date.now());
        status.textContent = toggle.dataset.updated;
      }
    } finally {
      fetching = false;
      if (pending && !paused) setTimeout(refresh, MIN_INTERVAL_MS);
    }
  }

  toggle.addEventListener("click", () => {
    paused = !paused;
    toggle.textContent = paused ? toggle.dataset.resume : toggle.dataset.pause;
    toggle.setAttribute("aria-pressed", String(paused));
    status.textContent = paused ? toggle.dataset.paused : "";
    if (!paused && pending) refresh();
  });
  toggle.setAttribute("aria-pressed", "false");
  live.hidden = false;
  const source = new EventSource("/live");
  source.addEventListener("changed", refresh);
})();
