// Hand-written SVG bar charts (no dependencies). One chart = a title, a subtitle and one or more
// panels of horizontal bars. A "ratio" panel is log-scaled and draws each bar from 1x (the
// baseline) to the value, so faster-than-baseline bars point left; a "linear" panel draws from 0.

const FONT = `font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"`;
export const COLORS = { baseline: "#495057", peer: "#adb5bd", ours: "#e8590c", reference: "#1c7ed6", fail: "#c92a2a" };

function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function niceLogTicks(lo, hi) {
  const ticks = [];
  for (const base of [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128]) if (base >= lo * 0.999 && base <= hi * 1.001) ticks.push(base);
  return ticks;
}

function niceLinearTicks(hi) {
  const raw = hi / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks = [];
  for (let v = 0; v <= hi * 1.0001; v += step) ticks.push(Number(v.toPrecision(6)));
  return ticks;
}

function fmtTick(v) {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/**
 * chart = { title, subtitle, panels: [{ heading, scale: "ratio"|"linear", unit, rows: [{ label,
 * value, min, max, color, text, failed }], target?: { value, label } }] }
 */
export function barChart(chart) {
  const W = 960;
  const labelW = 290;
  const plotW = 380;
  const plotX = labelW + 10;
  const rowH = 24;
  const out = [];
  let y = 18;
  out.push(`<text x="12" y="${y + 6}" ${FONT} font-size="16" font-weight="600" fill="#212529">${esc(chart.title)}</text>`);
  y += 24;
  for (const line of [].concat(chart.subtitle ?? [])) {
    out.push(`<text x="12" y="${y}" ${FONT} font-size="12" fill="#495057">${esc(line)}</text>`);
    y += 16;
  }
  y += 6;
  for (const panel of chart.panels) {
    out.push(`<text x="12" y="${y + 12}" ${FONT} font-size="13" font-weight="600" fill="#343a40">${esc(panel.heading)}</text>`);
    y += panel.target ? 38 : 24;
    const vals = [];
    for (const r of panel.rows) if (!r.failed && Number.isFinite(r.value)) vals.push(r.value, r.min ?? r.value, r.max ?? r.value);
    if (panel.target) vals.push(panel.target.value);
    let xOf;
    let ticks;
    let origin;
    if (panel.scale === "ratio") {
      let lo = Math.min(0.5, ...vals.map((v) => v / 1.15));
      let hi = Math.max(2, ...vals.map((v) => v * 1.15));
      lo = 2 ** Math.floor(Math.log2(lo));
      hi = 2 ** Math.ceil(Math.log2(hi));
      const l0 = Math.log2(lo);
      const span = Math.log2(hi) - l0;
      xOf = (v) => plotX + ((Math.log2(Math.max(v, lo)) - l0) / span) * plotW;
      ticks = niceLogTicks(lo, hi);
      origin = 1;
    } else {
      const hi = Math.max(...vals, 1) * 1.08;
      const ticks0 = niceLinearTicks(hi);
      const top = ticks0[ticks0.length - 1] < hi ? ticks0[ticks0.length - 1] + (ticks0[1] - ticks0[0]) : ticks0[ticks0.length - 1];
      xOf = (v) => plotX + (Math.max(0, v) / top) * plotW;
      ticks = niceLinearTicks(top);
      origin = 0;
    }
    const top = y;
    const bottom = y + panel.rows.length * rowH;
    // grid and ticks
    for (const t of ticks) {
      const x = xOf(t).toFixed(1);
      out.push(`<line x1="${x}" y1="${top - 2}" x2="${x}" y2="${bottom}" stroke="#e9ecef" stroke-width="1"/>`);
      out.push(`<text x="${x}" y="${bottom + 13}" ${FONT} font-size="10" fill="#868e96" text-anchor="middle">${esc(panel.scale === "ratio" ? `${t}x` : fmtTick(t))}</text>`);
    }
    const ox = xOf(origin);
    panel.rows.forEach((r, i) => {
      const cy = top + i * rowH + rowH / 2;
      out.push(`<text x="${labelW}" y="${cy + 4}" ${FONT} font-size="12" fill="#212529" text-anchor="end">${esc(r.label)}</text>`);
      if (r.failed || !Number.isFinite(r.value)) {
        out.push(`<text x="${plotX + 4}" y="${cy + 4}" ${FONT} font-size="12" fill="${COLORS.fail}">${esc(r.text ?? "failed")}</text>`);
        return;
      }
      const x = xOf(r.value);
      const x0 = Math.min(ox, x);
      const w = Math.max(Math.abs(x - ox), 2);
      out.push(`<rect x="${x0.toFixed(1)}" y="${(cy - 8).toFixed(1)}" width="${w.toFixed(1)}" height="16" rx="2" fill="${r.color}"/>`);
      if (Number.isFinite(r.min) && Number.isFinite(r.max) && r.max > r.min) {
        const a = xOf(r.min).toFixed(1);
        const b = xOf(r.max).toFixed(1);
        out.push(`<path d="M${a} ${cy} H${b} M${a} ${cy - 4} V${cy + 4} M${b} ${cy - 4} V${cy + 4}" stroke="#212529" stroke-width="1.2" fill="none"/>`);
      }
      out.push(`<text x="${plotX + plotW + 8}" y="${cy + 4}" ${FONT} font-size="12" fill="#212529">${esc(r.text ?? "")}</text>`);
    });
    if (panel.scale === "ratio") {
      out.push(`<line x1="${ox.toFixed(1)}" y1="${top - 4}" x2="${ox.toFixed(1)}" y2="${bottom}" stroke="#212529" stroke-width="1.5"/>`);
    }
    if (panel.target && Number.isFinite(panel.target.value)) {
      const tx = xOf(panel.target.value).toFixed(1);
      out.push(`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${bottom}" stroke="${COLORS.ours}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
      out.push(`<text x="${tx}" y="${top - 7}" ${FONT} font-size="10" fill="${COLORS.ours}" text-anchor="middle">${esc(panel.target.label)}</text>`);
    }
    y = bottom + 30;
  }
  for (const line of [].concat(chart.footer ?? [])) {
    out.push(`<text x="12" y="${y}" ${FONT} font-size="11" fill="#868e96">${esc(line)}</text>`);
    y += 15;
  }
  const H = y + 4;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<rect width="${W}" height="${H}" fill="#ffffff"/>
${out.join("\n")}
</svg>
`;
}
