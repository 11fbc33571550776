/**
 * A chart as a file. A chart in the page is a <figure>: its drawing is SVG
 * (recharts draws SVG; the occlusion maps are SVG squares) and its caption,
 * legend and labels are HTML. `figureSvg` redraws the whole figure as one
 * standalone SVG: every top-level SVG in it copied where it sits (computed
 * text and stroke styles inlined, so it looks the same outside the page),
 * and every visible piece of HTML text written as SVG text at its place. A
 * PNG is then drawn from that SVG in a canvas. DOM only, no framework.
 */

/** Style properties that decide how a chart's text and strokes look outside the page's CSS. */
const k_inlined_styles = ['font-family', 'font-size', 'font-weight', 'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity'] as const;

const k_svg_ns = 'http://www.w3.org/2000/svg';

function svgElement(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(k_svg_ns, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A copy of `svg` with the computed styles of each of its elements inlined. */
function styledCopy(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  originals.forEach((el, i) => {
    const target = copies[i];
    if (!(target instanceof Element)) return;
    const computed = getComputedStyle(el);
    const inline = k_inlined_styles.map((p) => [p, computed.getPropertyValue(p)] as const).filter(([, v]) => v !== '' && v !== 'normal');
    const existing = target.getAttribute('style') ?? '';
    if (inline.length > 0) target.setAttribute('style', `${inline.map(([p, v]) => `${p}:${v}`).join(';')};${existing}`);
  });
  return copy;
}

/**
 * The figure as one standalone SVG document. `skip` leaves out elements (the
 * export buttons themselves) with everything inside them.
 */
export function figureSvg(figure: Element, skip: (el: Element) => boolean = () => false): { text: string; width: number; height: number } {
  const origin = figure.getBoundingClientRect();
  const width = Math.ceil(origin.width);
  const height = Math.ceil(origin.height);
  const root = svgElement('svg', { xmlns: k_svg_ns, 'xmlns:xlink': 'http://www.w3.org/1999/xlink', width, height, viewBox: `0 0 ${width} ${height}` });
  const caption = figure.querySelector('figcaption');
  root.appendChild(svgElement('title', {}, caption ? textOutside(caption, skip) : 'chart'));
  root.appendChild(svgElement('rect', { width: '100%', height: '100%', fill: '#ffffff' }));

  const walk = (el: Element) => {
    if (skip(el)) return;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return;
    if (el instanceof SVGSVGElement) {
      const copy = styledCopy(el);
      copy.setAttribute('x', String(box.left - origin.left));
      copy.setAttribute('y', String(box.top - origin.top));
      copy.setAttribute('width', String(box.width));
      copy.setAttribute('height', String(box.height));
      root.appendChild(copy);
      return;
    }
    const style = getComputedStyle(el);
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        // Collapsed like HTML does, but a node's leading or trailing space is kept: its box starts at it.
        const text = node.textContent?.replace(/\s+/g, ' ') ?? '';
        if (text.trim() === '') continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width === 0) continue;
        const fontSize = parseFloat(style.fontSize) || 12;
        root.appendChild(
          svgElement(
            'text',
            {
              x: r.left - origin.left,
              y: r.top - origin.top + fontSize * 0.9,
              style: `font-family:${style.fontFamily};font-size:${style.fontSize};font-weight:${style.fontWeight};fill:${style.color};white-space:pre`,
            },
            text,
          ),
        );
      } else if (node instanceof Element) {
        walk(node);
      }
    }
  };
  for (const child of Array.from(figure.children)) walk(child);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`, width, height };
}

function textOutside(el: Element, skip: (el: Element) => boolean): string {
  const parts: string[] = [];
  for (const node of Array.from(el.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    else if (node instanceof Element && !skip(node)) parts.push(textOutside(node, skip));
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Draws standalone SVG text into a PNG at `scale` × its size (2: sharp on high-density screens and slides). */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be drawn as an image (the browser refused its SVG)'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser gave no 2D canvas to draw the chart in');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The canvas could not encode a PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
