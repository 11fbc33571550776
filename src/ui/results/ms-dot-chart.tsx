import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
type Shape = (typeof SHAPES)[number];

/** One dot: its own shape as well as its own colour, so neither alone carries the meaning. */
function Marker({ cx, cy, shape, color }: { cx?: number; cy?: number; shape: Shape; color: string }) {
  if (cx === undefined || cy === undefined || !Number.isFinite(cy)) return null;
  if (shape === 'circle') return <circle cx={cx} cy={cy} r={6} fill={color} />;
  if (shape === 'square') return <rect x={cx - 5.5} y={cy - 5.5} width={11} height={11} fill={color} />;
  if (shape === 'diamond') return <polygon points={`${cx},${cy - 7} ${cx + 7},${cy} ${cx},${cy + 7} ${cx - 7},${cy}`} fill={color} />;
  return <polygon points={`${cx},${cy - 7} ${cx + 7},${cy + 6} ${cx - 7},${cy + 6}`} fill={color} />;
}

/** A log axis from a third below the smallest value to a half above the largest: no dot sits half outside the plot. */
export const k_log_padded: [(min: number) => number, (max: number) => number] = [(min) => min / 1.5, (max) => max * 1.5];

export function seriesShape(index: number): Shape {
  return SHAPES[index % SHAPES.length] ?? 'circle';
}

/**
 * Milliseconds per named group as dots on a log axis (engines and devices
 * differ by 100×): one dot per series, each series its own shape and colour.
 * Dots, not bars: a bar on a log axis has no zero, and its length reads as a
 * ratio it is not. Every group gets its own labelled tick.
 */
export function MsDotChart({ data, series, height = 360 }: { data: readonly Record<string, string | number | null | undefined>[]; series: readonly { key: string; color: string }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={[...data]} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" interval={0} angle={-20} textAnchor="end" height={110} tick={{ fontSize: 13 }} padding={{ left: 40, right: 40 }} />
        <YAxis scale="log" domain={k_log_padded} tickFormatter={(v: number) => v.toPrecision(2)} label={{ value: 'ms (log)', angle: -90, position: 'insideLeft' }} />
        <Tooltip formatter={(v) => `${Number(v).toPrecision(3)} ms`} />
        <Legend />
        {series.map((s, i) => (
          <Line
            key={s.key}
            dataKey={s.key}
            // No line between groups (width 0), but a stroke colour: the legend draws its marker in it.
            stroke={s.color}
            strokeWidth={0}
            fill={s.color}
            legendType={seriesShape(i)}
            dot={(props: { cx?: number; cy?: number; index?: number }) => <Marker key={`${s.key}-${props.index ?? 0}`} cx={props.cx} cy={props.cy} shape={seriesShape(i)} color={s.color} />}
            activeDot={false}
            isAnimationActive={false}
          />
        ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
