// Hand-drawn SVG line charts: a few polylines over the last N points, a zero-based y axis with its top value, and
// a text summary of the latest values for screen readers and tests (data-latest).
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 38, right: 6, top: 8, bottom: 16 };

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

// A "nice" axis top for a maximum: 1, 2 or 5 times a power of ten.
function niceTop(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function formatValue(value) {
  if (value === null || value === undefined) return "–";
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

export class LineChart {
  // figure: the <figure> to draw in; title; unit shown after values; capacity: points kept.
  constructor(figure, { title, unit = "", capacity = 120 }) {
    this.figure = figure;
    this.unit = unit;
    this.capacity = capacity;
    this.series = new Map();
    this.svg = svg("svg", {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": title, preserveAspectRatio: "none",
    });
    this.caption = document.createElement("figcaption");
    this.heading = document.createElement("span");
    this.heading.className = "chart-title";
    this.heading.textContent = title;
    this.legend = document.createElement("span");
    this.legend.className = "legend";
    this.caption.append(this.heading, this.legend);
    figure.classList.add("chart");
    figure.replaceChildren(this.caption, this.svg);
  }

  // Adds one point per series: values is { name: number|null }; colors is { name: css color }.
  push(values, colors = {}) {
    for (const [name, value] of Object.entries(values)) {
      if (!this.series.has(name)) {
        const values = new Array(this.points ?? 0).fill(null);
        this.series.set(name, { values, color: colors[name] ?? "currentColor" });
      }
    }
    for (const [name, entry] of this.series) {
      entry.values.push(values[name] ?? null);
      if (entry.values.length > this.capacity) entry.values.shift();
    }
    this.points = Math.min(this.capacity, (this.points ?? 0) + 1);
    this.draw();
  }

  draw() {
    let max = 0;
    for (const entry of this.series.values()) for (const v of entry.values) if (v !== null && v > max) max = v;
    const top = niceTop(max);
    const plotWidth = WIDTH - PAD.left - PAD.right;
    const plotHeight = HEIGHT - PAD.top - PAD.bottom;
    const x = (i) => PAD.left + (plotWidth * i) / Math.max(1, this.capacity - 1);
    const y = (v) => PAD.top + plotHeight * (1 - v / top);
    const children = [];
    for (const fraction of [0, 0.5, 1]) {
      const gy = PAD.top + plotHeight * (1 - fraction);
      children.push(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: gy, y2: gy, class: "grid" }));
      const label = svg("text", { x: PAD.left - 4, y: gy + 3, class: "axis", "text-anchor": "end" });
      label.textContent = formatValue(top * fraction);
      children.push(label);
    }
    const ago = svg("text", { x: PAD.left, y: HEIGHT - 3, class: "axis" });
    ago.textContent = `${this.capacity} s ago`;
    const nowLabel = svg("text", { x: WIDTH - PAD.right, y: HEIGHT - 3, class: "axis", "text-anchor": "end" });
    nowLabel.textContent = "now";
    children.push(ago, nowLabel);
    const latest = {};
    for (const [name, entry] of this.series) {
      const offset = this.capacity - entry.values.length;
      let path = "";
      entry.values.forEach((v, i) => {
        if (v === null) return;
        path += `${path ? " " : ""}${x(offset + i).toFixed(1)},${y(v).toFixed(1)}`;
      });
      children.push(svg("polyline", {
        points: path, fill: "none", stroke: entry.color, "stroke-width": 2, class: "series", "data-series": name,
      }));
      latest[name] = entry.values.at(-1);
      if (latest[name] !== null && latest[name] !== undefined) {
        // The newest point as a dot: a lone point is visible, and the eye finds "now".
        children.push(svg("circle", { cx: x(this.capacity - 1), cy: y(latest[name]), r: 2.5, fill: entry.color }));
      }
    }
    this.svg.replaceChildren(...children);
    this.legend.replaceChildren(...[...this.series].map(([name, entry]) => {
      const item = document.createElement("span");
      item.className = "key";
      const swatch = document.createElement("i");
      swatch.style.background = entry.color;
      item.append(swatch, `${name} ${formatValue(latest[name])}${this.unit}`);
      return item;
    }));
    this.figure.dataset.latest = JSON.stringify(latest);
    this.figure.dataset.max = String(max);
  }
}
