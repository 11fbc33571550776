/** One palette for every chart, so a configuration keeps its colour from chart to chart. */
export const CHART_COLORS = Object.freeze(['#2458c6', '#c62458', '#1a7f37', '#b26b00', '#6f42c1', '#0a7f8f', '#57606a', '#8a2be2', '#d4a000', '#444444']);

export function chartColor(index: number): string {
  return CHART_COLORS[index % CHART_COLORS.length] ?? '#444444';
}
