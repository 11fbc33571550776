/**
 * Decodes an image file to RGBA at its own size with the browser's decoder
 * (createImageBitmap, then an OffscreenCanvas without scaling or colour
 * conversion), in a worker or the page. Resizing is image-folder.ts's own.
 */
import type { RgbaImage } from './image-folder';

export async function decodeImageBlob(blob: Blob): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas to read the pixels with');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
}
