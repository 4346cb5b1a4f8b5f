/* A line chart of tension (0-1) per actor over turns, drawn as SVG with no library.
   Each line has its actor's colour AND its own dash pattern, so it reads in black and
   white too; the legend repeats both. Text is at least 18 px. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(name, attrs) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  return el;
}

function drawTensionChart(holder, chart, focus) {
  holder.textContent = "";
  const shown = chart.series.filter((s) => !focus || focus.has(s.actor));
  const width = Math.max(300, Math.min(holder.clientWidth || 640, 1200));
  const height = Math.round(Math.max(220, Math.min(width * 0.5, 420)));
  const pad = { left: 58, right: 16, top: 14, bottom: 52 };
  const lastTurn = Math.max(chart.played + 1, Math.min(chart.turns, 10));
  const x = (t) => pad.left + (t / lastTurn) * (width - pad.left - pad.right);
  const y = (v) => pad.top + (1 - v) * (height - pad.top - pad.bottom);
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img",
    "aria-label": "Tension of each state, turn by turn (0 = calm, 1 = crisis)",
    class: "chart",
  });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.appendChild(svgElement("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: "grid" }));
    const label = svgElement("text", { x: pad.left - 8, y: y(v) + 6, "text-anchor": "end", class: "tick" });
    label.textContent = v.toFixed(2).replace(/0$/, "");
    svg.appendChild(label);
  }
  const step = Math.max(1, Math.ceil(lastTurn / 8));
  for (let t = 0; t <= lastTurn; t += step) {
    const label = svgElement("text", { x: x(t), y: height - pad.bottom + 26, "text-anchor": "middle", class: "tick" });
    label.textContent = String(t);
    svg.appendChild(label);
  }
  const axis = svgElement("text", { x: (pad.left + width - pad.right) / 2, y: height - 6, "text-anchor": "middle", class: "tick" });
  axis.textContent = "turn";
  svg.appendChild(axis);
  for (const s of shown) {
    const points = s.values.map((v, t) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    const line = svgElement(s.values.length > 1 ? "polyline" : "circle",
      s.values.length > 1
        ? { points, fill: "none", stroke: s.colour, "stroke-width": 3.5, "stroke-dasharray": s.dash, class: `line actor-${s.actor}` }
        : { cx: x(0), cy: y(s.values[0]), r: 6, fill: s.colour, class: `line actor-${s.actor}` });
    const title = svgElement("title", {});
    title.textContent = s.name;
    line.appendChild(title);
    svg.appendChild(line);
  }
  holder.appendChild(svg);
  const legend = document.createElement("ul");
  legend.className = "legend";
  for (const s of shown) {
    const item = document.createElement("li");
    const swatch = svgElement("svg", { width: 46, height: 14, "aria-hidden": "true" });
    swatch.appendChild(svgElement("line", { x1: 2, x2: 44, y1: 7, y2: 7, stroke: s.colour, "stroke-width": 4, "stroke-dasharray": s.dash }));
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(` ${s.name} ${s.values[s.values.length - 1].toFixed(2)}`));
    legend.appendChild(item);
  }
  holder.appendChild(legend);
}
