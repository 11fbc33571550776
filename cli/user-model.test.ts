/**
 * `--model FILE` refuses bad model and data files in Node, before a browser
 * starts, with the CLI's bad-input error (exit 2) naming the problem.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { castAttribute, DataType, decodeModel, encodeModel, graphOf } from '../src/lab/models/onnx-model-edit';
import { k_cps_features, k_cps_label } from '../scripts/user-models/cps-table';
import { k_fixtures_dir } from '../scripts/user-models/fixture-specs';
import { BadInputError } from './exit-codes';
import { loadUserModel, type UserModelFlags } from './user-model';

const ROOT = resolve(import.meta.dirname, '..');
const fixture = (name: string) => resolve(k_fixtures_dir, name);
const scratch = (name: string, bytes: Uint8Array | string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'inference-lab-bad-')), name);
  writeFileSync(path, bytes);
  return path;
};

async function refusal(flags: UserModelFlags): Promise<string> {
  try {
    await loadUserModel({ reference: 'page', ...flags }, ROOT, () => undefined);
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return (error as Error).message;
  }
  throw new Error('expected the input to be refused');
}

const cnn = readFileSync(fixture('fashion-cnn-nchw.onnx'));
const csv = readFileSync(fixture('cps-rows.csv'), 'utf8');

describe('loadUserModel refuses', () => {
  it('a truncated file, a picture, a model.json without its weights', async () => {
    expect(await refusal({ model: scratch('cut.onnx', cnn.subarray(0, 5000)) })).toMatch(/^cut\.onnx is not a readable ONNX model .*damaged or truncated$/);
    expect(await refusal({ model: scratch('picture.onnx', readFileSync(fixture('fashion-images/1-trouser/00002.png'))) })).toBe('picture.onnx is not an ONNX model: it looks like a PNG image');
    expect(await refusal({ model: scratch('model.json', readFileSync(fixture('fashion-cnn-graph/model.json'))) })).toBe('model.json keeps its weights in "group1-shard1of1.bin": pick it together with model.json');
  });

  it('an opset the engines do not read, operators no engine has', async () => {
    const future = decodeModel(cnn);
    future.opsetImport = [{ domain: '', version: 25 }];
    expect(await refusal({ model: scratch('future.onnx', encodeModel(future)) })).toMatch(/^future\.onnx uses ai\.onnx opset 25; the lab's engines read opsets 7–21/);
    const custom = decodeModel(cnn);
    const relu = graphOf(custom).node.find((n) => n.opType === 'Relu');
    if (relu) Object.assign(relu, { opType: 'MyRelu', domain: 'com.example' });
    expect(await refusal({ model: scratch('custom.onnx', encodeModel(custom)) })).toMatch(/^No engine of the lab can run custom\.onnx: ORT wasm: com\.example\.MyRelu/);
  });

  it('a CSV column that is not there, NaN, a mapping that leaves an input out', async () => {
    const features = [...k_cps_features];
    expect(await refusal({ model: fixture('cps-gbt.onnx'), data: scratch('rows.csv', csv), features: [...features.slice(0, 7), 'parttme'], label: k_cps_label })).toMatch(/^Column "parttme" \(a feature\) is not in rows\.csv; its columns are: education,/);
    const lines = csv.split('\n');
    lines[3] = lines[3]!.replace(/^\d+/, 'NaN');
    expect(await refusal({ model: fixture('cps-gbt.onnx'), data: scratch('nan.csv', lines.join('\n')), features, label: k_cps_label })).toMatch(/^column "education", data row 3 \(line 4\) of nan\.csv is NaN/);
    const two = decodeModel(readFileSync(fixture('cps-logreg.onnx')));
    const g = graphOf(two);
    g.input.push({ name: 'weight', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } });
    g.node.unshift({ opType: 'Cast', input: ['weight'], output: ['weight_unused'], name: 'unused', attribute: [castAttribute(DataType.FLOAT)] });
    const twoPath = scratch('two.onnx', encodeModel(two));
    copyFileSync(fixture('cps-rows.csv'), join(twoPath, '..', 'rows.csv'));
    expect(await refusal({ model: twoPath, data: join(twoPath, '..', 'rows.csv'), features: ['education'], label: k_cps_label })).toMatch(/^The model has 2 inputs \("float_input": 8 values, "weight": 1 values\): map columns to each input by name/);
  });

  it('--reference native for a TF.js model', async () => {
    expect(await refusal({ model: fixture('fashion-cnn-graph/model.json'), reference: 'native' })).toMatch(/--reference native runs ONNX files/);
  });
});
