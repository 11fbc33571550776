import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { InputType } from 'node:zlib';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

/**
 * Brotli and gzip copies of every compressible file in the build (`x.wasm.br`,
 * `x.wasm.gz` beside `x.wasm`), for hosts that serve precompressed files
 * (nginx `gzip_static`/`brotli_static`, Caddy `precompressed`, `sirv`, the
 * lab's own preview and test servers). The ORT wasm that the first cell
 * needs is 14.2 MB as built, 3.7 MB gzipped, 2.7 MB as brotli.
 *
 * Brotli's best quality (11) costs ~50 s per 14 MB wasm on one core (and ~3 s
 * per MB of JS), and the build holds ~80 MB to compress: quality falls with
 * size (11 up to 256 KiB, 9 up to 4 MiB, 8 above: 2.70 MB instead of 2.36 MB
 * for the ORT wasm, in 2 s instead of 50) unless PRECOMPRESS_MAX=1 (the deploy
 * workflow sets it) asks for 11 everywhere. Outputs are kept by content hash
 * in node_modules/.cache, so a rebuild compresses only what changed (the
 * runtimes and models rarely do).
 */
const k_small_bytes = 256 * 1024;
const k_medium_bytes = 4 * 1024 * 1024;
const k_large_window = 24;

/** What is worth compressing: code, data and wasm; images and already-compressed files are not listed. */
export const PRECOMPRESSED = /\.(?:html|css|js|mjs|json|svg|wasm|onnx|bin|u8|f32|txt)$/;

const byteLength = (input: InputType): number => (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength);
const toBuffer = (input: InputType): Buffer =>
  typeof input === 'string' ? Buffer.from(input) : Buffer.from(input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength));

export function brotliQuality(bytes: number, max: boolean): number {
  if (max || bytes <= k_small_bytes) return constants.BROTLI_MAX_QUALITY;
  return bytes <= k_medium_bytes ? 9 : 8;
}

/** Compresses once per content and settings; later builds read the stored output. */
function cached(cacheDir: string, name: string, compress: (input: Buffer) => Promise<Buffer>): (input: InputType) => Promise<Buffer> {
  return async (input) => {
    const bytes = toBuffer(input);
    const file = join(cacheDir, `${createHash('sha256').update(name).update(bytes).digest('hex')}`);
    if (existsSync(file)) return readFileSync(file);
    const output = await compress(bytes);
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, output);
    return output;
  };
}

export function precompress({ root, max = process.env.PRECOMPRESS_MAX === '1' }: { root: string; max?: boolean }): Plugin {
  const cacheDir = join(root, 'node_modules', '.cache', 'inference-lab-precompress');
  const gzipLevel9 = cached(cacheDir, 'gzip-9', (b) => promisify(gzip)(b, { level: constants.Z_BEST_COMPRESSION }));
  const brotliBySize = (b: InputType) => {
    const quality = brotliQuality(byteLength(b), max);
    return cached(cacheDir, `brotli-${quality}-${k_large_window}`, (bytes) =>
      promisify(brotliCompress)(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: quality,
          [constants.BROTLI_PARAM_LGWIN]: k_large_window,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
    )(b);
  };
  return compression({
    include: PRECOMPRESSED,
    // Below this a compressed copy saves less than a request's headers weigh.
    threshold: 1024,
    algorithms: [defineAlgorithm(gzipLevel9, { suffix: 'gz' }), defineAlgorithm(brotliBySize, { suffix: 'br' })],
    filename: (file: string, { options }: { options: { suffix?: unknown } }) => `${file}.${String(options.suffix)}`,
    logLevel: 'silent',
  });
}
