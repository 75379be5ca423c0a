/**
 * Charts as server-rendered SVG, readable without JavaScript. A chart is a picture (role="img") named by its
 * <title> and <desc>; the figures themselves are given in a table beside it, which is the accessible equivalent.
 */

export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar (e.g. the formatted number and a mark); default: the value. */
  text?: string;
  /** `strong` bars are drawn solid, the others lighter (never the only sign of a difference: say it in `text` too). */
  tone?: 'strong' | 'light';
}

const ROW = 26;
const LABEL = 230;
const BARS = 300;
const WIDTH = 640;
const clip = (s: string, max = 34) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A horizontal bar chart: one row per bar, longest bar = the largest value. `id` makes the title's id unique on the page. */
export function BarChart(p: { id: string; title: string; description?: string; bars: Bar[] }) {
  const max = Math.max(1, ...p.bars.map((b) => b.value));
  const height = Math.max(1, p.bars.length) * ROW + 8;
  const titleId = `${p.id}-title`;
  const descId = `${p.id}-desc`;
  return (
    <div class="chart">
      <svg role="img" aria-labelledby={p.description ? `${titleId} ${descId}` : titleId} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
        <title id={titleId}>{p.title}</title>
        {p.description && <desc id={descId}>{p.description}</desc>}
        {p.bars.map((b, i) => {
          const y = 4 + i * ROW;
          const w = b.value > 0 ? Math.max(2, Math.round((b.value / max) * BARS)) : 0;
          return (
            <g key={i}>
              <text x={LABEL - 8} y={y + ROW / 2 + 4} text-anchor="end" font-size="13" fill="currentColor">{clip(b.label)}</text>
              <rect x={LABEL} y={y + 3} width={w} height={ROW - 8} fill="currentColor" fill-opacity={b.tone === 'light' ? '0.55' : '1'} />
              <text x={LABEL + w + 6} y={y + ROW / 2 + 4} font-size="13" fill="currentColor">{b.text ?? String(b.value)}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
