import { ServerClock, tick } from "./clock.js";
import { buyer, call, problemText } from "./api.js";
import { describe } from "./outcomes.js";
import {
  h, fill, sleep, formatTime, formatCountdown, formatPrice, newRequestId, retryAfterSeconds,
} from "./dom.js";

const demo = document.querySelector('meta[name="flashsale-demo"]')?.content === "true";
const view = document.getElementById("view");
const account = document.getElementById("account");
const clockStatus = document.getElementById("clock-status");
const clock = new ServerClock();
const MAX_RETRIES = 8;
let onAccountChange = () => {};

// The sale's phase now, by the synced clock: a sale turns open at startsAt without waiting for the server's word.
function phaseOf(sale, now = clock.now()) {
  if (sale.state === "ended") return "ended";
  if (now < Date.parse(sale.startsAt)) return "scheduled";
  if (sale.endsAt && now >= Date.parse(sale.endsAt)) return "ended";
  if (sale.items.every((item) => item.remaining <= 0)) return "sold_out";
  return "open";
}

const PHASE_LABELS = { scheduled: "Opens soon", open: "Open", sold_out: "Sold out", ended: "Ended" };

function badge(phase) {
  return h("span", { class: `badge badge-${phase}`, dataset: { phase } }, PHASE_LABELS[phase] ?? phase);
}

function countdownText(sale, now) {
  const phase = phaseOf(sale, now);
  if (phase === "scheduled") return `Opens in ${formatCountdown(Date.parse(sale.startsAt) - now)}`;
  if (phase === "open" && sale.endsAt) return `Ends in ${formatCountdown(Date.parse(sale.endsAt) - now)}`;
  if (phase === "open") return "Open now";
  if (phase === "sold_out") return "Every item is sold out";
  return "This sale has ended";
}

// --- Sign-in -------------------------------------------------------------------------------------------------------

function renderAccount() {
  const name = buyer.name();
  if (name) {
    fill(account,
      h("span", { class: "who" }, "Signed in as ", h("strong", { id: "signed-in-as" }, name)),
      h("button", { type: "button", class: "link", onclick: () => { buyer.clear(); accountChanged(); } }, "Sign out"));
    return;
  }
  if (demo) {
    const input = h("input", {
      id: "demo-user", name: "user", autocomplete: "username", required: true, maxlength: 128, placeholder: "alice",
    });
    const error = h("span", { class: "error", role: "alert" });
    fill(account, h("form", {
      class: "signin",
      onsubmit: async (event) => {
        event.preventDefault();
        const answer = await call("POST", "/demo/token", { body: { user: input.value } }).catch(() => null);
        if (answer?.ok) {
          buyer.set(answer.body.token);
          accountChanged();
        } else {
          fill(error, answer ? problemText(answer) : "Network problem; try again.");
        }
      },
    }, h("label", { for: "demo-user" }, "Your name (demo)"), input, h("button", { type: "submit" }, "Sign in"), error));
    return;
  }
  const token = h("input", { id: "token-input", name: "token", autocomplete: "off", spellcheck: "false" });
  fill(account, h("details", { class: "signin" },
    h("summary", {}, "Sign in"),
    h("p", {}, "Sign in at the store: it brings you back here signed in. Or paste a buyer token:"),
    h("form", {
      onsubmit: (event) => {
        event.preventDefault();
        if (token.value.trim()) buyer.set(token.value.trim());
        accountChanged();
      },
    }, h("label", { for: "token-input" }, "Token"), token, h("button", { type: "submit" }, "Use token"))));
}

function accountChanged() {
  renderAccount();
  onAccountChange();
}

// --- The list of sales ---------------------------------------------------------------------------------------------

async function showList() {
  document.title = "Flash sales · FlashSale";
  const list = h("ul", { class: "sales", id: "sales" });
  const status = h("p", { class: "muted", role: "status" });
  fill(view, h("h1", {}, "Flash sales"), status, list);
  let sales = [];
  const rows = new Map();

  const load = async () => {
    const answer = await call("GET", "/api/sales").catch(() => null);
    if (!answer?.ok) {
      fill(status, "Could not load the sales; retrying…");
      return;
    }
    sales = answer.body;
    fill(status, sales.length ? "" : "No sale is scheduled right now.");
    for (const sale of sales) {
      if (rows.has(sale.id)) continue;
      const countdown = h("span", { class: "countdown" });
      const state = h("span", {});
      const items = h("p", { class: "muted" });
      const row = h("li", { class: "card", dataset: { saleId: sale.id } },
        h("h2", {}, h("a", { href: `/sales/${encodeURIComponent(sale.id)}` }, sale.name)),
        h("p", { class: "when" }, state, " ", countdown),
        items);
      rows.set(sale.id, { row, countdown, state, items });
      list.append(row);
    }
    render();
  };

  const render = () => {
    const now = clock.now();
    for (const sale of sales) {
      const parts = rows.get(sale.id);
      if (!parts) continue;
      const phase = phaseOf(sale, now);
      if (parts.state.dataset.phase !== phase) fill(parts.state, badge(phase)).dataset.phase = phase;
      parts.countdown.textContent = countdownText(sale, now);
      parts.items.textContent = sale.items
        .map((item) => `${item.name}: ${formatPrice(item.price)}, `
          + (item.remaining > 0 ? `${item.remaining} left` : "sold out"))
        .join(" · ");
    }
  };

  await load();
  tick(clock, render, () => nextStart(sales));
  setInterval(load, 5000);
}

function nextStart(sales) {
  const now = clock.now();
  let next = null;
  for (const sale of sales) {
    const start = Date.parse(sale.startsAt);
    if (start > now && (next === null || start < next)) next = start;
  }
  return next;
}

// --- One sale ------------------------------------------------------------------------------------------------------

async function showSale(saleId) {
  const first = await call("GET", `/api/sales/${encodeURIComponent(saleId)}`).catch(() => null);
  if (!first?.ok) {
    fill(view, h("p", { class: "muted" }, h("a", { href: "/" }, "← All sales")),
      h("h1", {}, first?.status === 404 ? "No such sale" : "Could not load the sale"),
      h("p", {}, first ? problemText(first) : "Network problem; reload to try again."));
    return;
  }
  let sale = first.body;
  document.title = `${sale.name} · FlashSale`;
  const status = h("p", { class: "when", id: "sale-status" });
  const announce = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite", id: "announce" });
  const outcome = h("section", {
    id: "outcome", class: "outcome", role: "status", "aria-live": "polite", "aria-atomic": "true", hidden: true,
  });
  const itemList = h("ul", { class: "items", id: "items" });
  const reservations = h("div", { id: "reservations", class: "scroll" });
  fill(view,
    h("p", { class: "muted" }, h("a", { href: "/" }, "← All sales")),
    h("h1", {}, sale.name),
    status, announce,
    h("p", { class: "muted" }, `Up to ${sale.perUserLimit} per buyer. Times are the server's.`),
    itemList, outcome,
    h("section", { class: "panel", "aria-labelledby": "reservations-title" },
      h("h2", { id: "reservations-title" }, "Your reservations"), reservations));

  const items = new Map();
  const requestIds = new Map();
  let pending = null;
  let lastPhase = null;

  for (const item of sale.items) {
    const remaining = h("span", { class: "remaining" });
    const meter = h("meter", { min: 0, max: Math.max(1, item.stock), value: item.remaining, "aria-hidden": "true" });
    const button = h("button", {
      type: "button", class: "buy", dataset: { itemId: item.id }, "aria-disabled": "true",
      onclick: () => buy(item.id),
    }, "Buy");
    const row = h("li", { class: "item card", dataset: { itemId: item.id } },
      h("h2", {}, item.name),
      h("p", { class: "price" }, formatPrice(item.price)),
      h("p", {}, remaining, " ", meter),
      button);
    items.set(item.id, { row, remaining, meter, button });
    itemList.append(row);
  }

  const render = () => {
    const now = clock.now();
    const phase = phaseOf(sale, now);
    status.replaceChildren(badge(phase), " ", h("span", { class: "countdown" }, countdownText(sale, now)));
    if (lastPhase !== null && phase !== lastPhase) {
      announce.textContent = `The sale is now ${PHASE_LABELS[phase].toLowerCase()}.`;
    }
    lastPhase = phase;
    const signedIn = !!buyer.token();
    for (const item of sale.items) {
      const parts = items.get(item.id);
      const soldOut = item.remaining <= 0;
      const state = phase === "scheduled" || phase === "ended" ? phase : soldOut ? "sold_out" : "open";
      parts.row.dataset.state = state;
      parts.remaining.textContent = soldOut ? "Sold out" : `${item.remaining} of ${item.stock} left`;
      parts.meter.value = Math.max(0, item.remaining);
      let label;
      let active = false;
      if (pending === item.id) label = "Buying…";
      else if (state === "scheduled") label = `Opens in ${formatCountdown(Date.parse(sale.startsAt) - now)}`;
      else if (state === "ended") label = "Sale ended";
      else if (state === "sold_out") label = "Sold out";
      else if (!signedIn) { label = "Sign in to buy"; active = true; }
      else { label = "Buy now"; active = pending === null; }
      if (parts.button.textContent !== label) parts.button.textContent = label;
      const disabled = active ? "false" : "true";
      if (parts.button.getAttribute("aria-disabled") !== disabled) parts.button.setAttribute("aria-disabled", disabled);
      const spoken = state === "scheduled" ? `${item.name}: opens soon` : `${label}: ${item.name}`;
      if (parts.button.getAttribute("aria-label") !== spoken) parts.button.setAttribute("aria-label", spoken);
    }
    for (const until of reservations.querySelectorAll("[data-until]")) {
      const left = Date.parse(until.dataset.until) - now;
      until.textContent = left > 0 ? `${formatCountdown(left).replace(/\.\d$/, "")} left` : "";
    }
  };

  const refreshSale = async () => {
    const answer = await call("GET", `/api/sales/${encodeURIComponent(saleId)}`).catch(() => null);
    if (answer?.ok) {
      sale = answer.body;
      render();
    }
  };

  const refreshReservations = async () => {
    const token = buyer.token();
    if (!token) {
      fill(reservations, h("p", { class: "muted" }, "Sign in to see your reservations."));
      return;
    }
    const answer = await call("GET", `/api/sales/${encodeURIComponent(saleId)}/reservation`, { credential: token })
      .catch(() => null);
    if (!answer?.ok) {
      const text = answer ? problemText(answer) : "Could not load your reservations.";
      fill(reservations, h("p", { class: "muted" }, text));
      return;
    }
    if (answer.body.length === 0) {
      fill(reservations, h("p", { class: "muted" }, "None yet."));
      return;
    }
    const names = new Map(sale.items.map((item) => [item.id, item.name]));
    fill(reservations, h("table", {},
      h("thead", {}, h("tr", {},
        ["Item", "Qty", "Status", "Held until", "Reservation"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, answer.body.map((r) => h("tr", { dataset: { status: r.status, reservationId: r.id } },
        h("td", {}, names.get(r.itemId) ?? r.itemId),
        h("td", {}, r.quantity),
        h("td", {}, h("span", { class: `badge badge-${r.status}` }, r.status)),
        h("td", {}, r.status === "held"
          ? [formatTime(r.holdUntil), " ", h("span", { class: "muted", dataset: { until: r.holdUntil } })]
          : "—"),
        h("td", {}, h("code", {}, r.id)))))));
    render();
  };

  const show = (answer, retrySeconds) => {
    const shown = describe(answer, retrySeconds);
    outcome.hidden = false;
    outcome.className = `outcome tone-${shown.tone}`;
    outcome.dataset.outcome = shown.word;
    fill(outcome,
      h("h2", {}, shown.title, " ", h("code", { class: "word" }, shown.word)),
      shown.text ? h("p", {}, shown.text) : null);
    // On a phone the answer is below the items: bring it into view (focus stays on the button).
    outcome.scrollIntoView({ block: "nearest" });
    return shown;
  };

  // One click: one requestId, reused for every retry until something is decided, so the server decides once.
  async function buy(itemId) {
    const parts = items.get(itemId);
    if (parts.button.getAttribute("aria-disabled") === "true" || pending !== null) return;
    const token = buyer.token();
    if (!token) {
      (document.getElementById("demo-user") ?? document.querySelector(".signin summary"))?.focus();
      return;
    }
    pending = itemId;
    render();
    if (!requestIds.has(itemId)) requestIds.set(itemId, newRequestId());
    const requestId = requestIds.get(itemId);
    try {
      for (let attempt = 0; ; attempt++) {
        let answer;
        try {
          answer = await call("POST", `/api/sales/${encodeURIComponent(saleId)}/purchase`, {
            body: { itemId, requestId }, credential: token,
          });
        } catch {
          if (attempt >= MAX_RETRIES) {
            const detail = "Network problem. Press the button again: the same request is retried.";
            show({ status: 0, body: { detail } });
            return;
          }
          show({ status: 0, body: { detail: "Network problem; retrying with the same request…" } });
          await sleep(Math.min(4000, 250 * 2 ** attempt));
          continue;
        }
        const seconds = retryAfterSeconds(answer.headers.get("Retry-After"));
        const shown = show(answer, seconds);
        if (shown.retry && attempt < MAX_RETRIES) {
          await sleep(seconds * 1000);
          continue;
        }
        if (!shown.retry) requestIds.delete(itemId);
        if (shown.word === "unauthorized") {
          buyer.clear();
          renderAccount();
        }
        if (shown.word === "won") await refreshReservations();
        if (shown.word === "not_started") await clock.sync(3);
        return;
      }
    } finally {
      pending = null;
      render();
      refreshSale();
    }
  }

  onAccountChange = () => {
    render();
    refreshReservations();
  };
  tick(clock, render, () => Date.parse(sale.startsAt));
  refreshReservations();
  const poll = async () => {
    await refreshSale();
    setTimeout(poll, phaseOf(sale) === "open" && document.visibilityState === "visible" ? 2000 : 5000);
  };
  setTimeout(poll, 2000);
}

// --- Start ---------------------------------------------------------------------------------------------------------

buyer.takeFromFragment();
renderAccount();
clock.onSync((synced) => {
  clockStatus.textContent = `Synced with the server's clock (round trip ${Math.round(synced.rtt)} ms).`;
});
if (!(await clock.start())) clockStatus.textContent = "Could not reach the server's clock; times may be off.";
const match = /^\/sales\/([^/]+)\/?$/.exec(location.pathname);
if (match) await showSale(decodeURIComponent(match[1]));
else await showList();
