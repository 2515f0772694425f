// The server's clock in the browser. Each sync takes several samples of GET /api/time and keeps the one with the
// smallest round trip, assuming the server read its clock half-way through it. Time is then the monotonic
// performance.now() plus that offset: nothing accumulates, so nothing drifts with timers; a periodic re-sync bounds
// the drift between the two machines' oscillators.
export class ServerClock {
  constructor({ samples = 5, resyncMs = 5 * 60 * 1000 } = {}) {
    this.samples = samples;
    this.resyncMs = resyncMs;
    this.offset = 0;
    this.rtt = Infinity;
    this.synced = false;
    this.listeners = new Set();
  }

  // Server time now, in Unix milliseconds.
  now() {
    return performance.timeOrigin + performance.now() + this.offset;
  }

  onSync(listener) {
    this.listeners.add(listener);
  }

  async sync(samples = this.samples) {
    let best = null;
    for (let i = 0; i < samples; i++) {
      try {
        const sent = performance.now();
        const response = await fetch("/api/time", { cache: "no-store" });
        const body = await response.json();
        const received = performance.now();
        if (!response.ok || typeof body.unixMs !== "number") continue;
        const rtt = received - sent;
        const offset = body.unixMs - (performance.timeOrigin + (sent + received) / 2);
        if (!best || rtt < best.rtt) best = { rtt, offset };
      } catch {
        // A lost sample: the others decide.
      }
    }
    if (!best) return false;
    this.offset = best.offset;
    this.rtt = best.rtt;
    this.synced = true;
    for (const listener of this.listeners) listener(this);
    return true;
  }

  // Syncs now, then every resyncMs and whenever the page becomes visible again (a sleeping machine may have stopped
  // the monotonic clock).
  async start() {
    const first = await this.sync();
    setInterval(() => this.sync(3), this.resyncMs);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.sync(3);
    });
    return first;
  }
}

// Calls render() at every tenth of a second of server time, and at the exact moments given by nextMoment() (a
// sale's start), so that a button turns active on time and not up to 100 ms late.
export function tick(clock, render, nextMoment = () => null) {
  let timer = 0;
  let exact = 0;
  const loop = () => {
    render();
    const now = clock.now();
    timer = setTimeout(loop, 100 - (now % 100) + 1);
    clearTimeout(exact);
    const moment = nextMoment();
    if (moment !== null && moment > now && moment - now < 100) exact = setTimeout(render, moment - now);
  };
  loop();
  return () => {
    clearTimeout(timer);
    clearTimeout(exact);
  };
}
