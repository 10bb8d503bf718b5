// A grouped bar chart in SVG, drawn here (no library). Each series has its own fill pattern as well as its own
// shade, so the chart reads without colour; the table beside it carries the same numbers for screen readers.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** The fill patterns: solid, diagonal hatch, open outline. */
function patterns() {
  return s('defs', {},
    s('pattern', { id: 'fill-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: 6, height: 6, fill: '#ffffff' }),
      s('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#b35900', 'stroke-width': 3 })));
}

const STYLES = [
  { fill: '#3d4a5c', stroke: '#3d4a5c' },
  { fill: 'url(#fill-hatch)', stroke: '#b35900' },
  { fill: '#ffffff', stroke: '#0a58ca' },
];

function swatch(index) {
  const style = STYLES[index];
  // The hatch pattern is the chart's own (defined once in the document, above the legend).
  return s('svg', { width: 18, height: 14, 'aria-hidden': 'true' },
    s('rect', { x: 1, y: 1, width: 16, height: 12, fill: style.fill, stroke: style.stroke, 'stroke-width': 2 }));
}

/**
 * @param title  the chart's accessible name
 * @param labels one per group (an hour)
 * @param series [{label, values}] with a value (or null: not known) per group
 */
export function barChart(title, labels, series) {
  const width = 960;
  const height = 320;
  const left = 48;
  const bottom = 48;
  const top = 12;
  const max = Math.max(1, ...series.flatMap((one) => one.values.map((v) => v || 0)));
  const plotHeight = height - top - bottom;
  const groupWidth = (width - left - 8) / Math.max(1, labels.length);
  const barWidth = Math.max(2, (groupWidth * 0.8) / series.length);
  const y = (value) => top + plotHeight - (value / max) * plotHeight;
  const chart = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title }, patterns());
  for (const tick of [0, 0.5, 1]) {
    const value = Math.round(max * tick);
    chart.append(s('line', { x1: left, x2: width - 8, y1: y(value), y2: y(value), stroke: '#d0d7de' }),
      s('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(value)));
  }
  const labelEvery = Math.ceil(labels.length / 12);
  labels.forEach((label, group) => {
    const x0 = left + group * groupWidth + groupWidth * 0.1;
    series.forEach((one, index) => {
      const value = one.values[group];
      const style = STYLES[index % STYLES.length];
      const bar = s('rect', {
        x: x0 + index * barWidth, y: y(value || 0), width: barWidth - 1, height: Math.max(0, top + plotHeight - y(value || 0)),
        fill: style.fill, stroke: style.stroke, 'stroke-width': 1.5,
      }, s('title', {}, `${label} ${one.label}: ${value === null ? 'not known' : value}`));
      chart.append(bar);
    });
    if (group % labelEvery === 0) {
      chart.append(s('text', { x: x0, y: height - bottom + 16 }, label));
    }
  });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Legend' },
    series.map((one, index) => h('li', {}, swatch(index), one.label)));
  return h('figure', {}, chart, h('figcaption', {}, legend));
}
