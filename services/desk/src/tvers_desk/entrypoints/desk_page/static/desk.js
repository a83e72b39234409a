// The desk page's one script. The page works online without it; with it, a record made while
// the connection is down is kept on this device (localStorage) and sent when it is back:
// - each record gets its idempotency key here (crypto.randomUUID()) when it is made, and keeps
//   it until the service has confirmed it, so a record sent twice (an answer lost on the way)
//   is stored once: the key is the form's key, and the service answers a repeat with the first
//   answer;
// - every record goes through the queue, in order, to the page's own form route (the session
//   cookie and the page's form token, as the form itself), never to the JSON API;
// - the page says how many records are waiting, and tries again when the browser says it is
//   online, every 15 seconds while some wait, and when the page is opened.
"use strict";

(function keepRecordsWhileOffline() {
  const form = document.getElementById("record");
  const box = document.getElementById("offline");
  if (!form || !box || !window.localStorage || !window.fetch || !window.crypto
      || !crypto.randomUUID) return;
  const status = document.getElementById("offline-status");
  const QUEUE = "tvers-desk-queue:" + box.dataset.queue;
  const REFUSED = "tvers-desk-refused:" + box.dataset.queue;
  const RELOADED = "tvers-desk-reloaded";
  const FIELDS = ["site", "department", "category", "channel", "duration", "referred_to"];
  let sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(QUEUE, JSON.stringify(queue)); }
  function refused() { return Number(localStorage.getItem(REFUSED) || "0"); }

  function show(extra) {
    const waiting = load().length;
    const lines = [];
    if (extra) lines.push(extra);
    if (waiting === 1) lines.push(box.dataset.waitingOne);
    if (waiting > 1) lines.push(box.dataset.waitingMany.replace("{count}", String(waiting)));
    if (refused() > 0) lines.push(box.dataset.refused.replace("{count}", String(refused())));
    status.textContent = lines.join(" ");
    box.hidden = lines.length === 0;
    box.dataset.waiting = String(waiting);
  }

  // One record to the form route: "sent", "refused" (with the page's words), or why it waits.
  async function post(item) {
    const body = new URLSearchParams(item.record);
    body.set("form_token", form.elements.namedItem("form_token").value);
    body.set("form_key", item.key);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin",
      });
    } catch (e) {
      return { outcome: "offline" };
    }
    // Recorded: the route answers with a redirect to the page (which also keeps the record in
    // this browser's list), followed here.
    if (response.redirected && response.ok) return { outcome: "sent" };
    if (response.status === 401) return { outcome: "signed-out" };
    if (response.status === 403) return { outcome: "stale" };
    if (response.status >= 400 && response.status < 500) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const said = page.querySelector(".message.problem p:not(:first-child), .message.problem p");
      return { outcome: "refused", words: said ? said.textContent.trim() : "" };
    }
    return { outcome: "offline" };  // our side failed or is busy: try again later
  }

  async function send(justMade) {
    if (sending) return;
    sending = true;
    let sent = 0;
    let words = "";
    let stopped = null;
    try {
      for (let queue = load(); queue.length > 0; queue = load()) {
        const item = queue[0];
        const answer = await post(item);
        if (answer.outcome === "sent" || answer.outcome === "refused") {
          save(load().filter((other) => other.key !== item.key));
          if (answer.outcome === "sent") sent += 1;
          else if (justMade === item.key) words = answer.words;
          else localStorage.setItem(REFUSED, String(refused() + 1));
          continue;
        }
        stopped = answer.outcome;
        break;
      }
    } finally {
      sending = false;
    }
    if (stopped === "stale" && Date.now() - Number(sessionStorage.getItem(RELOADED) || 0) > 60000) {
      sessionStorage.setItem(RELOADED, String(Date.now()));
      window.location.reload();  // a newer form token, then the page sends what waits
      return;
    }
    if (sent > 0 && stopped === null && !words) {
      // Without a fragment: to the same address with one, a browser only scrolls.
      window.location.assign(form.action.replace(/\/help$/, "") + "?done=recorded");
      return;
    }
    show(words || (stopped === "signed-out" ? box.dataset.signedOut : ""));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form, event.submitter);
    const record = {};
    for (const name of FIELDS) record[name] = String(data.get(name) || "");
    const item = { key: crypto.randomUUID(), record };
    save([...load(), item]);
    // The next record starts from a new category; the department and channel stay.
    for (const input of form.querySelectorAll('input[name="category"]')) input.checked = false;
    send(item.key);  // it says what waits only if the record cannot be sent now
  });
  window.addEventListener("online", () => send(null));
  setInterval(() => { if (load().length > 0) send(null); }, 15000);
  show();
  if (load().length > 0) send(null);
})();
