import { admin, call, problemText } from "./api.js";
import { LineChart } from "./charts.js";
import { h, fill, sleep, formatTime } from "./dom.js";

const view = document.getElementById("view");
const health = document.getElementById("health");
const session = document.getElementById("session");
const ALL = "";
const SHOWN_ROWS = 200;
const OUTCOME_COLORS = {
  won: "#2f9e44", sold_out: "#e03131", limit_reached: "#f08c00", not_eligible: "#9c36b5",
  not_started: "#868e96", ended: "#495057", rate_limited: "#fab005", busy: "#a0522d",
};
let stop = () => {};

// --- The key -------------------------------------------------------------------------------------------------------

function gate(message = "") {
  stop();
  fill(session);
  fill(health);
  const input = h("input", {
    id: "admin-key", name: "key", type: "password", autocomplete: "current-password", required: true,
  });
  fill(view, h("section", { class: "panel narrow" },
    h("h1", {}, "Operator console"),
    h("p", {}, "Enter the admin key (FlashSale:AdminKey). It is kept in this tab only and sent as a Bearer header."),
    h("form", {
      id: "key-form",
      onsubmit: (event) => {
        event.preventDefault();
        admin.set(input.value);
        start();
      },
    }, h("label", { for: "admin-key" }, "Admin key"), input, h("button", { type: "submit" }, "Open console")),
    message ? h("p", { class: "error", role: "alert", id: "key-error" }, message) : null));
  input.focus();
}

async function start() {
  const key = admin.key();
  if (!key) return gate();
  const answer = await call("GET", "/admin/sales", { credential: key }).catch(() => null);
  if (!answer) return gate("Could not reach the server.");
  if (answer.status === 401) {
    admin.clear();
    return gate("That key was refused.");
  }
  if (!answer.ok) return gate(problemText(answer));
  openConsole(key, answer.body);
}

// --- The console ---------------------------------------------------------------------------------------------------

function openConsole(key, initialSales) {
  const controller = new AbortController();
  stop = () => controller.abort();
  fill(session, h("button", { type: "button", class: "link", onclick: () => { admin.clear(); gate(); } }, "Lock"));
  let sales = initialSales;
  const authorized = async (method, path, body) => {
    const answer = await call(method, path, { credential: key, body });
    if (answer.status === 401) {
      admin.clear();
      gate("The key was refused.");
    }
    return answer;
  };

  const chartSale = h("select", { id: "chart-sale" });
  const figures = Object.fromEntries(["attempts", "wins", "units", "latency", "queue"]
    .map((name) => [name, h("figure", { id: `chart-${name}` })]));
  const salesBody = h("tbody", {});
  const resSale = h("select", { id: "reservations-sale" });
  const resSearch = h("input", { id: "reservations-search", type: "search", placeholder: "id, buyer, item" });
  const resStatus = h("select", { id: "reservations-status" },
    ["", "held", "confirmed", "cancelled", "expired"].map((s) => h("option", { value: s }, s || "any status")));
  const resInfo = h("p", { class: "muted", role: "status", id: "reservations-info" });
  const resBody = h("tbody", {});
  const form = saleForm(authorized, async (created) => {
    await refreshSales();
    resSale.value = created.id;
  });

  fill(view,
    h("h1", { class: "visually-hidden" }, "Operator console"),
    h("section", { class: "panel", "aria-labelledby": "live-title" },
      h("div", { class: "row" }, h("h2", { id: "live-title" }, "Live"),
        h("label", { for: "chart-sale" }, "Sale"), chartSale),
      h("div", { class: "charts" }, Object.values(figures))),
    h("section", { class: "panel", "aria-labelledby": "sales-title" },
      h("h2", { id: "sales-title" }, "Sales"),
      h("div", { class: "scroll" }, h("table", { id: "sales-table" },
        h("thead", {}, h("tr", {}, ["Sale", "State", "Starts", "Ends", "Left / stock", "Attempts", "Won", ""]
          .map((t) => h("th", { scope: "col" }, t)))),
        salesBody))),
    form,
    h("section", { class: "panel", "aria-labelledby": "reservations-title" },
      h("h2", { id: "reservations-title" }, "Reservations"),
      h("div", { class: "row wrap" },
        h("label", { for: "reservations-sale" }, "Sale"), resSale,
        h("label", { for: "reservations-search" }, "Search"), resSearch,
        h("label", { for: "reservations-status", class: "visually-hidden" }, "Status"), resStatus,
        h("button", { type: "button", onclick: () => loadReservations() }, "Reload"),
        h("button", { type: "button", onclick: () => download("jsonl") }, "Download JSONL"),
        h("button", { type: "button", onclick: () => download("csv") }, "Download CSV")),
      resInfo,
      h("div", { class: "scroll" }, h("table", { id: "reservations-table" },
        h("thead", {}, h("tr", {}, ["Reservation", "Buyer", "Item", "Qty", "Created", "Held until", "Status", ""]
          .map((t) => h("th", { scope: "col" }, t)))),
        resBody))));

  const charts = {
    attempts: new LineChart(figures.attempts, { title: "Attempts/s by outcome" }),
    wins: new LineChart(figures.wins, { title: "Wins/s" }),
    units: new LineChart(figures.units, { title: "Units left" }),
    latency: new LineChart(figures.latency, { title: "Purchase latency (ms)", unit: " ms" }),
    queue: new LineChart(figures.queue, { title: "Queue depth" }),
  };

  // --- Sales table ---
  const rows = new Map();
  const renderSales = () => {
    const selectedChart = chartSale.value;
    const selectedRes = resSale.value;
    fill(chartSale, h("option", { value: ALL }, "All sales"), sales.map((s) => h("option", { value: s.id }, s.name)));
    chartSale.value = sales.some((s) => s.id === selectedChart) ? selectedChart : ALL;
    fill(resSale, sales.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})`)));
    if (sales.some((s) => s.id === selectedRes)) resSale.value = selectedRes;
    rows.clear();
    fill(salesBody, sales.length === 0 ? h("tr", {}, h("td", { colspan: 8, class: "muted" }, "No sales yet.")) : null);
    for (const sale of sales) {
      const stock = sale.items.reduce((sum, item) => sum + item.stock, 0);
      const left = sale.items.reduce((sum, item) => sum + item.remaining, 0);
      const cells = {
        state: h("td", {}, h("span", { class: `badge badge-${sale.state}` }, sale.state)),
        left: h("td", { class: "num" }, `${left} / ${stock}`),
        attempts: h("td", { class: "num" }, sale.stats?.attempts ?? 0),
        won: h("td", { class: "num" }, sale.stats?.won ?? 0),
      };
      const close = h("button", { type: "button", class: "danger", disabled: sale.state === "ended" }, "Close");
      close.addEventListener("click", async () => {
        if (close.dataset.armed !== "true") {
          close.dataset.armed = "true";
          close.textContent = "Confirm close";
          setTimeout(() => { close.dataset.armed = "false"; close.textContent = "Close"; }, 5000);
          return;
        }
        const answer = await authorized("POST", `/admin/sales/${encodeURIComponent(sale.id)}/close`);
        if (!answer.ok) alertMessage(problemText(answer));
        await refreshSales();
      });
      const row = h("tr", { dataset: { saleId: sale.id } },
        h("th", { scope: "row" }, sale.name, h("br"), h("code", {}, sale.id)),
        cells.state,
        h("td", {}, formatTime(sale.startsAt)),
        h("td", {}, sale.endsAt ? formatTime(sale.endsAt) : "—"),
        cells.left, cells.attempts, cells.won,
        h("td", { class: "actions" },
          h("button", {
            type: "button",
            onclick: () => { resSale.value = sale.id; loadReservations(); resSearch.focus(); },
          }, "Reservations"),
          close));
      rows.set(sale.id, cells);
      salesBody.append(row);
    }
  };

  const refreshSales = async () => {
    const answer = await authorized("GET", "/admin/sales").catch(() => null);
    if (answer?.ok) {
      sales = answer.body;
      renderSales();
    }
  };

  const alertMessage = (text) => fill(resInfo, h("span", { class: "error", role: "alert" }, text));

  // --- Live feed ---
  const onSnapshot = (snapshot) => {
    fill(health,
      h("span", { class: `badge ${snapshot.healthy ? "badge-open" : "badge-ended"}`, id: "journal-health" },
        snapshot.healthy ? "Journal ok" : "Journal failing"),
      ` ${snapshot.shards} shards · queue ${snapshot.queueDepth} · fsync p99 `,
      snapshot.journalFlushes.p99Ms === null ? "–" : `${snapshot.journalFlushes.p99Ms.toFixed(1)} ms`);
    const selected = chartSale.value;
    const chosen = snapshot.sales.filter((s) => selected === ALL || s.id === selected);
    const attempts = {};
    for (const sale of chosen) {
      for (const [word, rate] of Object.entries(sale.perSecond)) attempts[word] = (attempts[word] ?? 0) + rate;
    }
    const shown = {};
    for (const [word, rate] of Object.entries(attempts)) {
      if (rate > 0 || charts.attempts.series.has(word)) shown[word] = rate;
    }
    charts.attempts.push(shown, OUTCOME_COLORS);
    charts.wins.push({ wins: chosen.reduce((sum, s) => sum + s.wonPerSecond, 0) }, { wins: OUTCOME_COLORS.won });
    charts.units.push({ left: chosen.reduce((sum, s) => sum + s.unitsLeft, 0) }, { left: "#1c7ed6" });
    charts.latency.push(
      { p50: snapshot.purchases.p50Ms, p99: snapshot.purchases.p99Ms }, { p50: "#1c7ed6", p99: "#e8590c" });
    charts.queue.push({ queued: snapshot.queueDepth }, { queued: "#7048e8" });
    let unknown = false;
    for (const sale of snapshot.sales) {
      const cells = rows.get(sale.id);
      if (!cells) {
        unknown = true;
        continue;
      }
      fill(cells.state, h("span", { class: `badge badge-${sale.state}` }, sale.state));
      cells.left.textContent = `${sale.unitsLeft} / ${sale.stock}`;
      cells.attempts.textContent = sale.attempts;
      cells.won.textContent = sale.won;
    }
    if (unknown) refreshSales();
  };

  (async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch("/admin/live", {
          headers: { Authorization: `Bearer ${key}`, Accept: "text/event-stream" },
          cache: "no-store",
          signal: controller.signal,
        });
        if (response.status === 401) {
          admin.clear();
          gate("The key was refused.");
          return;
        }
        if (response.ok && response.body) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value.replace(/\r\n?/g, "\n");
            let end;
            while ((end = buffer.indexOf("\n\n")) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block.split("\n").filter((line) => line.startsWith("data:"))
                .map((line) => line.slice(5).replace(/^ /, "")).join("\n");
              if (data) onSnapshot(JSON.parse(data));
            }
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      fill(health, h("span", { class: "badge badge-ended" }, "Live feed lost; reconnecting…"));
      await sleep(2000);
    }
  })();

  // --- Reservations ---
  let reservations = [];
  const renderReservations = () => {
    const needle = resSearch.value.trim().toLowerCase();
    const status = resStatus.value;
    const matching = reservations.filter((r) => (!status || r.status === status)
      && (!needle || [r.id, r.userId, r.itemId].some((field) => field.toLowerCase().includes(needle))));
    fill(resInfo, `${matching.length} matching of ${reservations.length}`
      + (matching.length > SHOWN_ROWS ? `; showing the first ${SHOWN_ROWS} (download for all)` : "") + ".");
    fill(resBody, matching.slice(0, SHOWN_ROWS).map((r) => {
      const statusCell = h("td", {}, h("span", { class: `badge badge-${r.status}` }, r.status));
      const actions = h("td", { class: "actions" });
      const change = async (verb) => {
        const answer = await authorized("POST", `/admin/reservations/${encodeURIComponent(r.id)}/${verb}`);
        const changed = answer.body?.reservation ?? (answer.ok ? answer.body : null);
        if (changed) Object.assign(r, changed);
        if (!answer.ok) alertMessage(problemText(answer));
        renderReservations();
      };
      if (r.status === "held") {
        actions.append(
          h("button", { type: "button", onclick: () => change("confirm") }, "Confirm"),
          h("button", { type: "button", class: "danger", onclick: () => change("cancel") }, "Cancel"));
      }
      return h("tr", { dataset: { reservationId: r.id, status: r.status } },
        h("td", {}, h("code", {}, r.id)), h("td", {}, r.userId), h("td", {}, r.itemId),
        h("td", { class: "num" }, r.quantity),
        h("td", {}, formatTime(r.createdAt)), h("td", {}, formatTime(r.holdUntil)), statusCell, actions);
    }));
  };

  async function loadReservations() {
    const saleId = resSale.value;
    if (!saleId) return;
    fill(resInfo, "Loading…");
    const response = await fetch(`/admin/sales/${encodeURIComponent(saleId)}/reservations?format=jsonl`, {
      headers: { Authorization: `Bearer ${key}` }, cache: "no-store",
    }).catch(() => null);
    if (!response?.ok) {
      alertMessage(response ? `Could not load the reservations (HTTP ${response.status}).` : "Network problem.");
      return;
    }
    const text = await response.text();
    reservations = text.split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
    renderReservations();
  }

  async function download(format) {
    const saleId = resSale.value;
    if (!saleId) return;
    const response = await fetch(`/admin/sales/${encodeURIComponent(saleId)}/reservations?format=${format}`, {
      headers: { Authorization: `Bearer ${key}` }, cache: "no-store",
    }).catch(() => null);
    if (!response?.ok) {
      alertMessage(response ? `Download failed (HTTP ${response.status}).` : "Network problem.");
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: `${saleId}-reservations.${format}`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  resSearch.addEventListener("input", renderReservations);
  resStatus.addEventListener("change", renderReservations);
  resSale.addEventListener("change", () => loadReservations());
  chartSale.addEventListener("change", () => {
    for (const chart of Object.values(charts)) {
      chart.series.clear();
      chart.points = 0;
      chart.draw();
    }
  });
  renderSales();
  if (sales.length) loadReservations();
}

// --- New sale form -------------------------------------------------------------------------------------------------

// A Date as the value of a datetime-local input (local time, to the second).
function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:`
    + `${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function saleForm(authorized, created) {
  const field = (label, input, hint) => h("div", { class: "field" },
    h("label", { for: input.id }, label), input, hint ? h("small", { class: "muted" }, hint) : null);
  const id = h("input", { id: "sale-id", name: "id", maxlength: 128, autocomplete: "off" });
  const name = h("input", { id: "sale-name", name: "name", required: true, maxlength: 200 });
  const startsAt = h("input", { id: "sale-starts", name: "startsAt", type: "datetime-local", step: 1, required: true });
  startsAt.value = localInput(new Date(Date.now() + 60000));
  // The API refuses a start in the past unless it is asked for explicitly: "now".
  const openNow = h("input", {
    id: "sale-open-now", name: "openNow", type: "checkbox",
    onchange: () => { startsAt.disabled = openNow.checked; startsAt.required = !openNow.checked; },
  });
  const endsAt = h("input", { id: "sale-ends", name: "endsAt", type: "datetime-local", step: 1 });
  const number = (id, name, value) => h("input", { id, name, type: "number", min: 1, value, required: true });
  const limit = number("sale-limit", "perUserLimit", 1);
  const hold = number("sale-hold", "holdSeconds", 1800);
  const eligible = h("textarea", { id: "sale-eligible", name: "eligibleUsers", rows: 2 });
  const items = h("div", { class: "item-rows", id: "item-rows" });
  const result = h("p", { role: "status", id: "sale-result" });
  let counter = 0;
  const addItem = () => {
    counter += 1;
    const n = counter;
    const row = h("fieldset", { class: "item-row" }, h("legend", {}, `Item ${n}`),
      field("Id", h("input", { id: `item-${n}-id`, name: "itemId", required: true, maxlength: 128 })),
      field("Name", h("input", { id: `item-${n}-name`, name: "itemName", required: true })),
      field("Price", h("input", {
        id: `item-${n}-price`, name: "itemPrice", type: "number", min: 0, step: "0.01", required: true,
      })),
      field("Stock", h("input", {
        id: `item-${n}-stock`, name: "itemStock", type: "number", min: 0, step: 1, required: true,
      })));
    row.append(h("button", {
      type: "button", class: "link", onclick: () => { if (items.children.length > 1) row.remove(); },
    }, `Remove item ${n}`));
    items.append(row);
    return row;
  };
  addItem();
  const form = h("form", {
    id: "sale-form", class: "panel",
    onsubmit: async (event) => {
      event.preventDefault();
      const body = {
        name: name.value,
        startsAt: openNow.checked ? "now" : new Date(startsAt.value).toISOString(),
        perUserLimit: Number(limit.value),
        holdSeconds: Number(hold.value),
        items: [...items.querySelectorAll(".item-row")].map((row) => ({
          id: row.querySelector('[name="itemId"]').value,
          name: row.querySelector('[name="itemName"]').value,
          price: Number(row.querySelector('[name="itemPrice"]').value),
          stock: Number(row.querySelector('[name="itemStock"]').value),
        })),
      };
      if (id.value.trim()) body.id = id.value.trim();
      if (endsAt.value) body.endsAt = new Date(endsAt.value).toISOString();
      const users = eligible.value.split(/[\s,]+/).filter(Boolean);
      if (users.length) body.eligibleUsers = users;
      const answer = await authorized("POST", "/admin/sales", body).catch(() => null);
      if (answer?.status === 201) {
        result.className = "ok";
        fill(result, `Created sale “${answer.body.name}” (${answer.body.id}).`);
        result.dataset.createdId = answer.body.id;
        await created(answer.body);
      } else {
        result.className = "error";
        fill(result, answer ? problemText(answer) : "Network problem.");
      }
    },
  },
  h("h2", { id: "new-sale-title" }, "New sale"),
  h("div", { class: "grid" },
    field("Id (optional)", id, "Generated when empty."),
    field("Name", name),
    field("Starts at", startsAt, "Your local time."),
    field("Open at once", openNow, "Starts now, whatever the field above says."),
    field("Ends at (optional)", endsAt),
    field("Per-buyer limit", limit),
    field("Hold (seconds)", hold),
    field("Eligible buyers (optional)", eligible, "Ids separated by spaces, commas or lines.")),
  items,
  h("div", { class: "row" },
    h("button", { type: "button", onclick: () => addItem().querySelector("input").focus() }, "Add item"),
    h("button", { type: "button", onclick: () => { startsAt.value = localInput(new Date(Date.now() + 10000)); } },
      "Start in 10 s"),
    h("button", { type: "submit", class: "primary" }, "Create sale")),
  result);
  form.setAttribute("aria-labelledby", "new-sale-title");
  return form;
}

start();
