/**
 * The fixtures as the intake takes them, in Node (tests and the native
 * check): picked files, the CSV with its column mapping, and the image folder
 * with a PNG decoder standing in for the browser's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntakeData } from '../../src/lab/models/user/intake-data';
import type { IntakeOptionsInput } from '../../src/lab/models/user/intake-options';
import type { PickedFile } from '../../src/lab/models/user/intake-read';
import { decodePng } from '../models/png';
import { k_cps_features, k_cps_label, k_cps_slices } from './cps-table';
import { k_cps_rows_file, k_fixtures_dir, k_images_dir } from './fixture-specs';

export function fixtureFile(path: string, dir = k_fixtures_dir): PickedFile {
  return { name: path.split('/').pop() ?? path, bytes: new Uint8Array(readFileSync(join(dir, path))) };
}

export function fixtureCsv(): IntakeData {
  return { kind: 'csv', fileName: k_cps_rows_file, text: readFileSync(join(k_fixtures_dir, k_cps_rows_file), 'utf8') };
}

export const k_fixture_csv_options: IntakeOptionsInput = { csv: { features: [...k_cps_features], label: k_cps_label, slices: [...k_cps_slices] } };

export function fixtureImageFolder(): IntakeData {
  const root = join(k_fixtures_dir, k_images_dir);
  const paths = readdirSync(root).flatMap((c) => readdirSync(join(root, c)).map((f) => `${k_images_dir}/${c}/${f}`));
  return {
    kind: 'images',
    items: paths.map((path) => ({
      path,
      decode: () => {
        const rgb = decodePng(new Uint8Array(readFileSync(join(k_fixtures_dir, path))));
        const data = new Uint8Array(rgb.width * rgb.height * 4);
        for (let i = 0; i < rgb.width * rgb.height; i++) data.set([rgb.pixels[i * 3] as number, rgb.pixels[i * 3 + 1] as number, rgb.pixels[i * 3 + 2] as number, 255], i * 4);
        return Promise.resolve({ width: rgb.width, height: rgb.height, data });
      },
    })),
  };
}
