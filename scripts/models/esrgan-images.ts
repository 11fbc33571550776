/**
 * The ESRGAN evaluation images: four real photographs from packages with
 * clear licenses, each box-downscaled to show a whole object, cropped to a
 * 64×64 high-resolution reference, and downscaled 2× to the model's 32×32
 * input with antialiased bicubic (the degradation the model was trained to undo). The build checks each source file's sha256, so a changed package
 * cannot silently change the evaluation set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './build-common';
import { cachedDebianPackageFiles } from './package-cache';
import { bicubicDownscale, boxDownscale, crop, decodePng, type RgbImage } from './png';

export interface EsrganImageSource {
  name: string;
  /** `npm`: a file of the esrgan-slim package itself; `debian`: an installed path of python3-skimage. */
  from: 'npm' | 'debian';
  file: string;
  sha256: string;
  license: string;
  /** Box-filter factor applied to the whole image first. */
  downscale: number;
  /** Top-left corner of the 64×64 reference crop in the downscaled image. */
  left: number;
  top: number;
}

const k_skimage_data = '/usr/lib/python3/dist-packages/skimage/data';
export const k_skimage_package = 'python3-skimage';

export const k_esrgan_image_sources: readonly EsrganImageSource[] = [
  {
    name: 'hibiscus',
    from: 'npm',
    file: 'assets/fixture.png',
    sha256: '9c42004f3493b1520d7fcaa908f63bf1e34eb1206ff49ee71724c67fc5ce8294',
    license: 'MIT (ships in @upscalerjs/esrgan-slim 1.0.0 as its test fixture)',
    downscale: 2,
    left: 0,
    top: 0,
  },
  {
    name: 'astronaut',
    from: 'debian',
    file: `${k_skimage_data}/astronaut.png`,
    sha256: '88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5',
    license: 'public domain (NASA photograph of Eileen Collins; scikit-image: "No known copyright restrictions, released into the public domain")',
    downscale: 4,
    left: 24,
    top: 0,
  },
  {
    name: 'chelsea',
    from: 'debian',
    file: `${k_skimage_data}/chelsea.png`,
    sha256: '596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb',
    license: 'CC0 (photograph by Stefan van der Walt; scikit-image sample data)',
    downscale: 3,
    left: 40,
    top: 20,
  },
  {
    name: 'coffee',
    from: 'debian',
    file: `${k_skimage_data}/coffee.png`,
    sha256: 'cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7',
    license: 'CC0 (photograph by Rachel Michetti, courtesy of Pikolo Espresso Bar; scikit-image sample data)',
    downscale: 4,
    left: 40,
    top: 8,
  },
];

export interface EsrganEvalImage {
  source: EsrganImageSource;
  /** Where the file was read from (npm cache, installed or downloaded Debian package). */
  origin: string;
  /** 64×64 reference. */
  target: RgbImage;
  /** 32×32 model input: the reference bicubic-downscaled 2×. */
  input: RgbImage;
}

/**
 * Reads, checks and crops the evaluation images.
 * @param fetch false: answer undefined when the Debian package is neither installed nor cached, instead of downloading it.
 */
export function loadEsrganImages(npmPackageDir: string, npmLabel: string, inputSize: number, scale: number, fetch = true): EsrganEvalImage[] | undefined {
  const debianFiles = k_esrgan_image_sources.filter((s) => s.from === 'debian').map((s) => s.file);
  const debian = cachedDebianPackageFiles(k_skimage_package, debianFiles, fetch);
  if (debian === undefined) return undefined;
  return k_esrgan_image_sources.map((source) => {
    const path = source.from === 'npm' ? join(npmPackageDir, source.file) : (debian.paths[debianFiles.indexOf(source.file)] as string);
    const bytes = new Uint8Array(readFileSync(path));
    const digest = sha256(bytes);
    if (digest !== source.sha256) throw new Error(`${path}: sha256 ${digest}, expected ${source.sha256}`);
    const origin = source.from === 'npm' ? `${npmLabel}, ${source.file}` : `Debian ${k_skimage_package} ${debian.version}, ${source.file}`;
    const size = inputSize * scale;
    const target = crop(boxDownscale(decodePng(bytes), source.downscale), source.left, source.top, size, size);
    return { source, origin, target, input: bicubicDownscale(target, scale) };
  });
}
