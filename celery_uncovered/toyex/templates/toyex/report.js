/* A report's page, live: poll its status (backing off while nothing changes) until it ends. */
(() => {
  const $ = (id) => document.getElementById(id);
  const first = JSON.parse($("report-status").textContent);
  const url = first.status_url;
  const POLL_FIRST = 200, POLL_MAX = 5000;

  if (sessionStorage.getItem(`followed:${first.task_id}`)) {
    sessionStorage.removeItem(`followed:${first.task_id}`);
    $("followed").hidden = false;
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;  // no repeated announcements
  }

  function pageText(page) {
    if (page.state === "done") return `done, ${page.repos} repositories`;
    if (page.state === "retrying") {
      const left = Math.max(0, Math.ceil((page.until - Date.now()) / 1000));
      return left > 0 ? `retrying in ${left} s` : "retrying now";
    }
    return page.state;
  }

  let pages = [];
  let noticePage = null;  // the page the notice is about: gone once that page's wait ends
  function drawPages() {
    const list = $("pages");
    pages.forEach((page, index) => {
      let item = list.children[index];
      if (!item) item = list.appendChild(document.createElement("li"));
      item.className = `state-${page.state}`;
      setText(item, `Page ${page.number}: ${pageText(page)}`);
    });
    while (list.children.length > pages.length) list.lastElementChild.remove();
    const waited = pages.find((page) => page.number === noticePage);
    if (waited && waited.state === "retrying" && waited.until <= Date.now()) {
      // The wait is over and the page goes again: a role=status region must not keep
      // announcing a wait that is not happening (the next poll confirms it).
      setText($("notice"), "");
      $("notice").hidden = true;
    }
  }
  setInterval(() => { if (pages.some((p) => p.state === "retrying")) drawPages(); }, 1000);

  function render(r) {
    const failed = r.state === "failed", done = r.state === "done";
    // A failed report shows its error and nothing else: no bar, no pages, no stale notice.
    $("progress-section").hidden = failed;
    setText($("status"), `${r.state}: ${r.pages_fetched} of ${r.pages_total} pages`);
    const bar = $("progress");
    bar.max = r.pages_total;
    bar.value = r.pages_fetched;
    setText(bar, `${r.pages_fetched} of ${r.pages_total}`);
    $("found").hidden = done;
    setText($("found"), `${r.repos_found} repositories found so far`);
    pages = r.pages.map((page) => ({...page, until: Date.now() + 1000 * (page.retry_in || 0)}));
    noticePage = r.notice_page;
    setText($("notice"), failed || done ? "" : r.notice);
    $("notice").hidden = failed || done || !r.notice;
    drawPages();
    $("incomplete").hidden = failed || !r.incomplete_results;
    $("summary").hidden = !done;
    if (done) {
      const repeated = r.repeated ? ` The pages listed ${r.repos_found}, ${r.repeated} of them ` +
        "twice (GitHub's ranking moved between requests); the CSV counts each once." : "";
      setText($("summary"), `Finished: ${r.languages} languages, ${r.repositories} repositories.${repeated}`);
    }
    $("error").hidden = !failed;
    setText($("error"), failed ? `The report failed: ${r.error}` : "");
    $("download").hidden = !done;
    if (done) $("download").href = r.download_url;
  }

  function lostContact(lost) {
    $("connection").hidden = !lost;
  }

  async function follow(delay = POLL_FIRST, seen = "") {
    let r;
    try {
      const response = await fetch(url, {headers: {Accept: "application/json"}});
      if (response.status === 404) {
        lostContact(false);
        render({...first, state: "failed", error: "this report no longer exists on the server."});
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);  // a proxy's 502 mid-restart
      r = await response.json();
    } catch (e) {
      lostContact(true);
      return setTimeout(() => follow(POLL_MAX, seen), POLL_MAX);  // the server restarts
    }
    lostContact(false);
    render(r);
    if (r.state === "done" || r.state === "failed") return;  // polling stops with the report
    const now = JSON.stringify([r.state, r.pages_fetched, r.notice, r.pages.map((p) => p.state)]);
    delay = now === seen ? Math.min(delay * 1.5, POLL_MAX) : POLL_FIRST;
    setTimeout(() => follow(delay, now), delay);
  }

  render(first);
  if (first.state !== "done" && first.state !== "failed") follow();
})();
