/**
 * One palette for every chart, so a configuration keeps its colour from chart
 * to chart: Okabe and Ito's eight colours, told apart with the common
 * colour-vision deficiencies (yellow is left out: it vanishes on white). Lines
 * also cycle four dash patterns, so no two of the first 28 series look alike.
 */
export const CHART_COLORS = Object.freeze(['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000']);
const DASHES = Object.freeze(['', '8 4', '2 3', '12 3 2 3']);

export function chartColor(index: number): string {
  return CHART_COLORS[index % CHART_COLORS.length] ?? '#000000';
}

/**
 * The dash pattern of line series `index`: it changes with every series (and
 * so does the colour), so two configurations whose lines coincide show as one
 * line of alternating dashes and colours rather than one hiding the other.
 */
export function chartDash(index: number): string | undefined {
  return DASHES[index % DASHES.length] || undefined;
}

/** The colour a reference series (the FP32 reference, an ideal line) is drawn in: grey, never a configuration's colour. */
export const REFERENCE_COLOR = '#6e7781';
