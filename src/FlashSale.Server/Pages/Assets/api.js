// Calls to FlashSale's API, the buyer's token and the operator's key. Both credentials live in sessionStorage: they
// last as long as the tab, and are sent only as Authorization headers, never in URLs.
const TOKEN_KEY = "flashsale.buyerToken";
const ADMIN_KEY = "flashsale.adminKey";

export const buyer = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),

  // The token's sub, read (not verified: the server does that) to greet the buyer.
  name() {
    const token = this.token();
    if (!token) return null;
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
      return JSON.parse(json).sub ?? "buyer";
    } catch {
      return "buyer";
    }
  },

  // The main store hands its token over in the URL's fragment (/#token=<jwt>), which browsers never send to a
  // server: it is moved to sessionStorage and removed from the address bar and history at once.
  takeFromFragment() {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!match) return false;
    this.set(decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
    return true;
  },
};

export const admin = {
  key: () => sessionStorage.getItem(ADMIN_KEY),
  set: (key) => sessionStorage.setItem(ADMIN_KEY, key),
  clear: () => sessionStorage.removeItem(ADMIN_KEY),
};

// A JSON call. Resolves to { ok, status, body, headers } for any HTTP answer; throws only when the network fails.
export async function call(method, path, { body, credential } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (credential) headers.Authorization = `Bearer ${credential}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { detail: text };
    }
  }
  return { ok: response.ok, status: response.status, body: parsed, headers: response.headers };
}

// The sentence of a problem+json answer.
export function problemText(answer) {
  const body = answer.body;
  if (body && typeof body === "object") return body.detail || body.title || `HTTP ${answer.status}`;
  return `HTTP ${answer.status}`;
}
