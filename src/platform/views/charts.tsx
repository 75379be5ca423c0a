import type { ComponentChildren } from 'preact';
import { Table } from './components.tsx';

/**
 * Charts drawn on the server as SVG: no script, readable at 320 px. Positions are percentages of the width and
 * text keeps its size in pixels, so a chart fits any column without its text shrinking on a phone or growing on a
 * wide screen. Each chart is one image (role="img", titled) and is always followed by a table carrying the same
 * numbers, which is what screen readers, copying and printing use. The page's own heading introduces it.
 */

/** One bar or column: its label, its value (null: left out of the drawing, e.g. a count too small to publish) and the value as written. */
export interface ChartDatum {
  label: string;
  value: number | null;
  text: string;
  /** A shorter label for under a column (a day as "2.05"); the table has the full one. */
  short?: string;
  /** Cells of the table's further columns (`extraHead`). */
  extra?: ComponentChildren[];
  /** A `light` bar is drawn paler (never the only sign of a difference: say it in `text` too). */
  tone?: 'light';
}

interface ChartBase {
  /** Unique on the page: the title's id is made of it. */
  id: string;
  title: string;
  data: ChartDatum[];
  extraHead?: string[];
  /** What a full bar stands for (100 for percentages); the largest value by default. */
  max?: number;
  /** A sentence under the chart, e.g. what is left out and why. */
  note?: string;
}

/**
 * A chart with its table (`head`: headings of its label and value columns), or, `tableElsewhere`, one whose numbers
 * the page already shows in a table of its own (with more columns), so no second table is drawn.
 */
export type ChartProps = ChartBase & ({ head: [string, string]; tableElsewhere?: false } | { head?: undefined; tableElsewhere: true });

const INK = '#1b1f24';
const MUTED = '#4b5563';
const BAR = '#0b4f8a';
const TRACK = '#dde3ea';
/** The longest label drawn whole (about a 320 px line); the table has every label in full. */
const LABEL_CHARS = 40;

const clip = (s: string, n = LABEL_CHARS) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s);
const scaleOf = (p: ChartProps) => p.max ?? Math.max(0, ...p.data.map((d) => d.value ?? 0));
const pct = (v: number, max: number) => (max > 0 ? Math.max(0, Math.min(100, (v / max) * 100)) : 0);
const round = (n: number) => Math.round(n * 100) / 100;

function Figure({ p, height, children }: { p: ChartProps; height: number; children: ComponentChildren }) {
  return (
    <div class="chart">
      <svg width="100%" height={height} style={`height:${height}px;width:100%;display:block`} role="img" aria-labelledby={`${p.id}-title`} focusable="false">
        <title id={`${p.id}-title`}>{p.title}</title>
        {children}
      </svg>
      {p.note && <p class="field__hint">{p.note}</p>}
      {p.head && <Table caption={p.title} captionHidden head={[...p.head, ...(p.extraHead ?? [])]}
        rows={p.data.map((d) => [d.label, d.text, ...(d.extra ?? [])])} numeric={[1, ...(p.extraHead ?? []).map((_, i) => i + 2)]} />}
    </div>
  );
}

/**
 * Horizontal bars, one a row: the label on its own line (so long names fit a phone), under it the bar on a track
 * and its value. For categories, districts, age bands, channels; bars share one scale (`max`).
 */
export function HorizontalBars(p: ChartProps) {
  const ROW = 46;
  const max = scaleOf(p);
  // The bar takes at most 60% of the width, leaving the rest for its value written after it.
  const SPAN = 60;
  return (
    <Figure p={p} height={Math.max(1, p.data.length) * ROW + 4}>
      {p.data.map((d, i) => {
        const y = i * ROW;
        const w = d.value === null ? 0 : round((pct(d.value, max) * SPAN) / 100);
        return (
          <g key={i}>
            <text x="0" y={y + 16} font-size="14" fill={INK}>{clip(d.label)}</text>
            <rect x="0" y={y + 24} width={`${SPAN}%`} height="14" fill={TRACK} />
            {w > 0 && <rect x="0" y={y + 24} width={`${w}%`} height="14" fill={BAR} fill-opacity={d.tone === 'light' ? '0.55' : undefined} />}
            <text x={`${SPAN}%`} dx="8" y={y + 36} font-size="13" fill={d.value === null ? MUTED : INK}>{d.text}</text>
          </g>
        );
      })}
    </Figure>
  );
}

/**
 * Columns along a line, for a series in order (ballots per day). With many columns only some are labelled below
 * (about six) and values are written on top only while they fit; the table has every one.
 */
export function Columns(p: ChartProps) {
  const TOP = 22;
  const BASE = 150;
  const n = Math.max(1, p.data.length);
  const max = scaleOf(p);
  const slot = 100 / n;
  const every = Math.ceil(n / 6);
  const values = n <= 10;
  return (
    <Figure p={p} height={BASE + 28}>
      <line x1="0" x2="100%" y1={BASE + 0.5} y2={BASE + 0.5} stroke={MUTED} stroke-width="1" />
      {p.data.map((d, i) => {
        const h = d.value === null ? 0 : round(((BASE - TOP) * pct(d.value, max)) / 100);
        // The first and last texts are anchored at the chart's edges, so they are not cut off.
        const anchor = i === 0 && n > 1 ? 'start' : i === n - 1 && n > 1 ? 'end' : 'middle';
        const at = `${round((anchor === 'start' ? i : anchor === 'end' ? i + 1 : i + 0.5) * slot)}%`;
        return (
          <g key={i}>
            {h > 0 && <rect x={`${round(i * slot + slot * 0.15)}%`} y={round(BASE - h)} width={`${round(slot * 0.7)}%`} height={h} fill={BAR} />}
            {/* A value left out is not a zero: an outlined stub marks it, the table says why. */}
            {d.value === null && <rect x={`${round(i * slot + slot * 0.15)}%`} y={BASE - 24} width={`${round(slot * 0.7)}%`} height="24" fill="none" stroke={MUTED} stroke-dasharray="3 2" />}
            {values && <text x={at} y={round(BASE - h - 6)} font-size="12" text-anchor={anchor} fill={d.value === null ? MUTED : INK}>{d.text}</text>}
            {i % every === 0 && <text x={at} y={BASE + 20} font-size="12" text-anchor={anchor} fill={INK}>{clip(d.short ?? d.label, 12)}</text>}
          </g>
        );
      })}
    </Figure>
  );
}
