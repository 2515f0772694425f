import { formatTime } from "./dom.js";

// How the storefront shows each purchase outcome. The page only looks at the answer's `outcome` word, so a new
// word (the waiting room and challenge of the admission issue) needs one more entry here, or is shown generically.
const outcomes = new Map();

export function defineOutcome(word, description) {
  outcomes.set(word, description);
}

defineOutcome("won", {
  tone: "good",
  title: "You got it!",
  text: (body) => {
    const reservation = body?.reservation;
    if (!reservation) return "Your reservation is made.";
    return `Reservation ${reservation.id}, held for you until ${formatTime(reservation.holdUntil)}. `
      + "Complete your order in the store before then.";
  },
});
defineOutcome("sold_out", { tone: "bad", title: "Sold out", text: () => "Every unit of this item is gone." });
defineOutcome("limit_reached", {
  tone: "bad",
  title: "Limit reached",
  text: () => "You already hold as many units of this sale as one buyer may.",
});
defineOutcome("not_eligible", {
  tone: "bad",
  title: "Not on the list",
  text: () => "This sale is open to a list of buyers that does not include you.",
});
defineOutcome("not_started", {
  tone: "info",
  title: "Not started yet",
  text: (body) => (body?.startsAt
    ? `The sale opens at ${formatTime(body.startsAt)}.`
    : "The sale has not started yet."),
});
defineOutcome("ended", { tone: "bad", title: "Sale ended", text: () => "This sale has ended." });
defineOutcome("rate_limited", {
  tone: "wait",
  title: "Too many attempts",
  retry: true,
  text: (_, seconds) => `Slowing down: trying again in ${seconds} s with the same request.`,
});
defineOutcome("busy", {
  tone: "wait",
  title: "Very busy",
  retry: true,
  text: (_, seconds) => `Nothing was decided yet: trying again in ${seconds} s with the same request.`,
});

// What to show for an answer: { word, tone, title, text, retry }.
export function describe(answer, retrySeconds = 0) {
  const word = answer.body?.outcome ?? null;
  const known = word ? outcomes.get(word) : null;
  if (known) {
    const text = known.text(answer.body, retrySeconds);
    return { word, tone: known.tone, title: known.title, text, retry: !!known.retry };
  }
  if (answer.status === 401) {
    return {
      word: "unauthorized", tone: "bad", title: "Please sign in again", text: "Your sign-in is missing or expired.",
    };
  }
  return {
    word: word ?? `http_${answer.status}`,
    tone: "info",
    title: word ? `The server answered “${word}”` : `The server answered ${answer.status}`,
    text: answer.body?.detail ?? answer.body?.title ?? "",
    retry: false,
  };
}
