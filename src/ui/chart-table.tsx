/** The numbers behind a chart, for screen readers and for copying: every chart has one. */
export function ChartTable({ rows, first, caption }: { rows: readonly Record<string, number | string | null>[]; first: string; caption?: string }) {
  const columns = [first, ...Object.keys(rows[0] ?? {}).filter((k) => k !== first)];
  const show = (v: number | string | null | undefined) => (typeof v === 'number' ? Number(v.toPrecision(4)) : (v ?? '—'));
  return (
    <details className="chart-table-toggle">
      <summary className="explain">Show as a table</summary>
      <table>
        {caption && <caption className="explain">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{show(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
