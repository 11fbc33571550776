/**
 * `inference-lab run --model FILE`: a model of the user's own, read in Node
 * before any browser starts, so a bad file, a CSV that does not match or a
 * NaN exits 2 at once, naming the problem; then, when onnxruntime-node is
 * installed (tools/reference), its native golden outputs on exactly the rows
 * the page will check, which the page takes as its reference.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import type * as Ort from 'onnxruntime-web';
import { decodePng } from '../scripts/models/png';
import type { IntakeData } from '../src/lab/models/user/intake-data';
import { type IntakeOptionsInput, parseIntakeOptions } from '../src/lab/models/user/intake-options';
import { checkUserData, externalGolden, k_reference_cell, type NativeReference } from '../src/lab/models/user/intake-prepare';
import { formatLabel } from '../src/lab/models/model-formats';
import { type PickedFile, readUserModel, userModelSizeLimit } from '../src/lab/models/user/intake-read';
import { externalDataFiles } from '../src/lab/models/user/onnx-inspect';
import { ortReference } from '../src/lab/models/user/reference-engine';
import { isUserInputError } from '../src/lab/models/user/user-model-error';
import { decodeModel } from '../src/lab/models/onnx-model-edit';
import { tfjsWeightPaths } from '../src/lab/models/model-fetch';
import { errorMessage } from '../src/lab/util/errors';
import { BadInputError } from './exit-codes';
import { refuseFolder } from './inputs';

export interface UserModelFlags {
  model: string;
  data?: string;
  label?: string;
  slices?: string[];
  features?: string[];
  /** name=value pairs for symbolic dimensions. */
  dims?: string[];
  output?: string;
  reference?: 'native' | 'page';
}

/** What the browser side needs: the files as bytes, the data, the options, and native goldens when computed. */
export interface CliUserModel {
  files: { name: string; base64: string }[];
  data: { kind: 'none' } | { kind: 'csv'; name: string; text: string } | { kind: 'images'; items: { path: string; base64: string }[] };
  options: IntakeOptionsInput;
  native?: NativeReference;
  /** Which reference the run uses, in words, for the CLI's output. */
  referenceNote: string;
}

function readOrRefuse(path: string, what: string): Uint8Array {
  refuseFolder(path, what, 'the file itself (an .onnx, .tflite or TF.js model.json file)');
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new BadInputError(`Cannot read the ${what} ${path}: ${errorMessage(error)}`);
  }
}

/** The model file and the files it needs beside it (ONNX external data, TF.js weight shards; a .tflite file is one file), from its folder. */
function modelFiles(path: string): PickedFile[] {
  const main = { name: basename(path), bytes: readOrRefuse(path, 'model file') };
  const beside = (names: string[]) => names.filter((n) => existsSync(join(dirname(path), n))).map((n) => ({ name: basename(n), bytes: readOrRefuse(join(dirname(path), n), 'file') }));
  if (path.toLowerCase().endsWith('.tflite')) return [main];
  if (path.toLowerCase().endsWith('.json')) {
    try {
      return [main, ...beside(tfjsWeightPaths(JSON.parse(new TextDecoder().decode(main.bytes))))];
    } catch {
      return [main];
    }
  }
  try {
    return [main, ...beside(externalDataFiles(decodeModel(main.bytes)))];
  } catch {
    return [main];
  }
}

function imageItems(dir: string): { path: string; bytes: Uint8Array }[] {
  const root = dirname(dir);
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir).map((p) => ({ path: relative(root, p).split('\\').join('/'), bytes: readOrRefuse(p, 'image') }));
}

/** onnxruntime-node from tools/reference, when it is installed there. */
function nativeOrt(root: string): typeof Ort | undefined {
  try {
    return createRequire(join(root, 'tools/reference/package.json'))('onnxruntime-node') as typeof Ort;
  } catch {
    return undefined;
  }
}

function options(flags: UserModelFlags): IntakeOptionsInput {
  const dims = Object.fromEntries(
    (flags.dims ?? []).map((pair) => {
      const [name, value] = pair.split('=');
      if (!name || value === undefined || !/^\d+$/.test(value)) throw new BadInputError(`--dims takes name=size pairs, got "${pair}"`);
      return [name, Number(value)];
    }),
  );
  const csv = flags.features || flags.label || flags.slices ? { features: flags.features ?? [], ...(flags.label ? { label: flags.label } : {}), slices: flags.slices ?? [] } : undefined;
  return { dims, ...(flags.output ? { output: flags.output } : {}), ...(csv ? { csv } : {}) };
}

export async function loadUserModel(flags: UserModelFlags, root: string, log: (line: string) => void): Promise<CliUserModel> {
  const files = modelFiles(flags.model);
  const intake = options(flags);
  let data: CliUserModel['data'] = { kind: 'none' };
  let nodeData: IntakeData = { kind: 'none' };
  let decodable = true;
  if (flags.data) {
    if (!existsSync(flags.data)) throw new BadInputError(`--data ${flags.data} does not exist`);
    if (statSync(flags.data).isDirectory()) {
      const items = imageItems(flags.data);
      data = { kind: 'images', items: items.map((i) => ({ path: i.path, base64: Buffer.from(i.bytes).toString('base64') })) };
      decodable = items.every((i) => /\.png$/i.test(i.path));
      nodeData = {
        kind: 'images',
        items: items.map((i) => ({
          path: i.path,
          decode: () => {
            const rgb = decodePng(i.bytes);
            const rgba = new Uint8Array(rgb.width * rgb.height * 4);
            for (let p = 0; p < rgb.width * rgb.height; p++) rgba.set([rgb.pixels[p * 3] as number, rgb.pixels[p * 3 + 1] as number, rgb.pixels[p * 3 + 2] as number, 255], p * 4);
            return Promise.resolve({ width: rgb.width, height: rgb.height, data: rgba });
          },
        })),
      };
    } else {
      const text = new TextDecoder().decode(readOrRefuse(flags.data, 'data file'));
      data = { kind: 'csv', name: basename(flags.data), text };
      nodeData = { kind: 'csv', fileName: basename(flags.data), text };
    }
  } else if (intake.csv) {
    throw new BadInputError('--features, --label and --slices map the columns of a CSV: give it with --data rows.csv');
  }
  const wire = { files: files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') })), data, options: intake };
  try {
    const read = await readUserModel(files, userModelSizeLimit(), intake.dims);
    const first = read.problems[0];
    if (first) throw new BadInputError(first.message);
    // The data as the page will read it (PNG images only: Node has no other decoder).
    if (decodable) await checkUserData(read, nodeData, parseIntakeOptions(intake));
    const ort = read.format === 'onnx' && flags.reference !== 'page' ? nativeOrt(root) : undefined;
    if (flags.reference === 'native' && !ort) {
      throw new BadInputError(
        read.format === 'onnx'
          ? '--reference native needs onnxruntime-node: ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference (or use --reference page)'
          : `--reference native runs ONNX files; a ${formatLabel(read.format)} model's reference is ${k_reference_cell[read.format]} in the page (use --reference page)`,
      );
    }
    if (!ort || !decodable) {
      const why = read.format !== 'onnx' ? `a ${formatLabel(read.format)} model` : !decodable ? 'the images are not all PNG (Node decodes PNG only)' : 'onnxruntime-node is not installed in tools/reference';
      return { ...wire, referenceNote: `reference: FP32 in the page (${k_reference_cell[read.format]}), not native: ${why}` };
    }
    ort.env.logLevel = 'error';
    const engine = ortReference(ort, 'native', `onnxruntime-node ${ort.env.versions.common ?? ''} (CPU EP, native, computed by the CLI)`);
    try {
      const native = await externalGolden(read, nodeData, parseIntakeOptions(intake), engine);
      log(`Native golden outputs for ${native.inputs.length} rows by ${engine.computedBy}`);
      return { ...wire, native, referenceNote: `reference: native ${engine.computedBy}; variants' references in the page` };
    } finally {
      await engine.release();
    }
  } catch (error) {
    if (isUserInputError(error)) throw new BadInputError(error.message);
    throw error;
  }
}
