/**
 * Every kind of bad input the issue lists gets a typed problem and a message
 * that names it (file, tensor, column, row, limit).
 */
import { describe, expect, it } from 'vitest';
import { fixtureFile } from '../../../../scripts/user-models/fixture-data';
import { decodeModel, encodeModel, graphOf } from '../onnx-model-edit';
import { onnx } from '../onnx-proto-import';
import { readUserModel, userModelSizeLimit, type PickedFile } from './intake-read';
import { csvFeatures, csvLabels, mappedColumns, parseCsv } from './tabular-data';
import { UserInputError } from './user-model-error';

const limit = userModelSizeLimit(8);

async function problem(files: PickedFile[], bytes = limit): Promise<{ problem: string; message: string }> {
  try {
    await readUserModel(files, bytes);
  } catch (error) {
    if (error instanceof UserInputError) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('no problem found');
}

const cnn = () => fixtureFile('fashion-cnn-nchw.onnx');

describe('model files', () => {
  it('a truncated file is damaged, a PNG or a CSV is not a model', async () => {
    const bytes = cnn().bytes;
    expect(await problem([{ name: 'cut.onnx', bytes: bytes.slice(0, 4000) }])).toMatchObject({ problem: 'corrupt', message: expect.stringMatching(/^cut\.onnx .*damaged or truncated/) as unknown });
    expect(await problem([{ name: 'cat.onnx', bytes: fixtureFile('fashion-images/0-t-shirt-top/00019.png').bytes }])).toEqual({ problem: 'not-a-model', message: 'cat.onnx is not an ONNX model: it looks like a PNG image' });
    expect((await problem([{ name: 'rows.onnx', bytes: fixtureFile('cps-rows.csv').bytes }])).message).toMatch(/perhaps a CSV/);
  });

  it('a tensor whose shape does not match its bytes is named', async () => {
    const model = decodeModel(cnn().bytes);
    const weight = graphOf(model).initializer.find((t) => t.name === 'fc1.weight');
    if (weight) weight.dims = [32, 1_000_000];
    expect(await problem([{ name: 'big.onnx', bytes: encodeModel(model) }])).toEqual({ problem: 'corrupt', message: 'big.onnx: tensor "fc1.weight" declares 32×1000000 (32000000 values) but holds 25088' });
  });

  it('external data asks for its file, and takes it when given', async () => {
    const model = decodeModel(cnn().bytes);
    const weight = graphOf(model).initializer.find((t) => t.name === 'fc1.weight');
    const raw = weight?.rawData ?? new Uint8Array();
    if (weight) {
      weight.rawData = new Uint8Array();
      weight.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      weight.externalData = [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: String(raw.byteLength) }];
    }
    const bytes = encodeModel(model);
    expect(await problem([{ name: 'ext.onnx', bytes }])).toEqual({ problem: 'external-data', message: 'ext.onnx keeps its weights in a separate file: pick "weights.bin" together with the model (ONNX external data)' });
    const read = await readUserModel([{ name: 'ext.onnx', bytes }, { name: 'weights.bin', bytes: raw }], limit);
    expect(read.card.parameters.count).toBeGreaterThan(25088);
  });

  it('a model larger than the device takes says the limit and why', async () => {
    const small = { bytes: 1000, why: 'a test limit' };
    expect(await problem([cnn()], small)).toEqual({ problem: 'too-large', message: 'fashion-cnn-nchw.onnx and its files are 0.1 MiB; this device takes models up to 0 MiB: a test limit' });
    expect(userModelSizeLimit(8)).toMatchObject({ bytes: 2 ** 30, why: expect.stringMatching(/8 GiB of memory/) as unknown });
    expect(userModelSizeLimit()).toMatchObject({ bytes: 2 ** 30, why: expect.stringMatching(/WebAssembly, which addresses 4 GiB/) as unknown });
  });

  it('an unsupported opset and operators no engine has are problems beside the card', async () => {
    const model = decodeModel(cnn().bytes);
    model.opsetImport = [{ domain: '', version: 23 }];
    const high = await readUserModel([{ name: 'new.onnx', bytes: encodeModel(model) }], limit);
    expect(high.problems).toContainEqual({ problem: 'opset', message: "new.onnx uses ai.onnx opset 23; the lab's engines read opsets 7–21 (re-export with a lower target opset)" });
    const custom = decodeModel(cnn().bytes);
    const relu = graphOf(custom).node.find((n) => n.opType === 'Relu');
    if (relu) Object.assign(relu, { opType: 'FancyRelu', domain: 'com.example' });
    const none = await readUserModel([{ name: 'custom.onnx', bytes: encodeModel(custom) }], limit);
    expect(none.problems[0]?.problem).toBe('no-engine');
    expect(none.problems[0]?.message).toMatch(/^No engine of the lab can run custom\.onnx: ORT wasm: com\.example\.FancyRelu;/);
  });

  it('TF.js model.json without its weight file asks for it; a shard of the wrong size is damaged', async () => {
    const json = fixtureFile('fashion-cnn-graph/model.json');
    expect(await problem([json])).toEqual({ problem: 'external-data', message: 'model.json keeps its weights in "group1-shard1of1.bin": pick it together with model.json' });
    const shard = fixtureFile('fashion-cnn-graph/group1-shard1of1.bin');
    expect((await problem([json, { ...shard, bytes: shard.bytes.slice(0, 100) }])).problem).toBe('corrupt');
  });
});

describe('CSV data', () => {
  const table = parseCsv('a,b,label,group\n1,2,0,x\n3,NaN,1,y\n5,,1,x\n', 'rows.csv');

  it('names the column and row of a non-finite or empty value', () => {
    expect(() => csvFeatures({ ...table, rows: table.rows.slice(0, 2) }, ['a', 'b'])).toThrow('column "b", data row 2 (line 3) of rows.csv is NaN: the model needs finite numbers');
    expect(() => csvFeatures({ ...table, rows: [table.rows[2] as string[]] }, ['a', 'b'])).toThrow('column "b", data row 1 (line 2) of rows.csv is empty, not a number');
  });

  it('names a missing column and lists the ones there are', () => {
    expect(() => csvFeatures(table, ['a', 'c'])).toThrow('Column "c" (a feature) is not in rows.csv; its columns are: a, b, label, group');
  });

  it('checks the mapping against the model inputs', () => {
    expect(() => mappedColumns({ features: ['a'], slices: [] }, [{ name: 'x', values: 2 }])).toThrow('The model takes 2 values per row (input "x"); the mapping gives 1 column(s): a');
    expect(() => mappedColumns({ features: { x: ['a'] }, slices: [] }, [{ name: 'x', values: 1 }, { name: 'y', values: 1 }])).toThrow('Input "y" has no columns in the mapping');
    expect(() => mappedColumns({ features: ['a', 'b'], label: 'b', slices: [] }, [{ name: 'x', values: 2 }])).toThrow('Column "b" is both a feature and the label');
  });

  it('labels must be class indices or the model\'s class labels', () => {
    expect(Array.from(csvLabels(table, 'label', 2))).toEqual([0, 1, 1]);
    expect(() => csvLabels(table, 'group', 2)).toThrow('Label column "group", data row 1 (line 2) of rows.csv is "x": it must be a class index from 0 to 1');
    expect(Array.from(csvLabels(table, 'group', 2, ['x', 'y']))).toEqual([0, 1, 0]);
  });

  it('a ragged row is named by its line', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'bad.csv')).toThrow('bad.csv: data row 2 (line 3) has 1 values, the header names 2 columns');
  });
});
