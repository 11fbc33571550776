/**
 * What the build and `--check` must agree on per model: its id (folder under
 * public/models/) and the exact ONNX export options, so a rerun of the
 * conversion gives the committed bytes.
 */
import type { OnnxExportOptions } from '../../src/lab/models/onnx-export';

export interface ZooModelSpec {
  id: string;
  exportOptions: OnnxExportOptions;
}

export const k_cps_wage_spec: ZooModelSpec = {
  id: 'cps-wage',
  exportOptions: {
    inputName: 'features',
    outputName: 'probabilities',
    graphName: 'cps_wage',
    docString: 'cps-wage MLP exported from TF.js by inference-lab scripts/models/build-cps-wage.ts',
  },
};

export const k_fashion_cnn_spec: ZooModelSpec = {
  id: 'fashion-mnist-cnn',
  exportOptions: {
    inputName: 'image',
    outputName: 'probabilities',
    graphName: 'fashion_mnist_cnn',
    docString: 'Fashion-MNIST CNN exported from TF.js by inference-lab scripts/models/build-fashion-cnn.ts; input NHWC [batch, 28, 28, 1] = pixel / 255',
  },
};

export const k_esrgan_spec: ZooModelSpec = {
  id: 'esrgan-slim-x2',
  exportOptions: {
    inputName: 'image',
    outputName: 'upscaled',
    graphName: 'esrgan_slim_x2',
    docString: '@upscalerjs/esrgan-slim 1.0.0 x2 (MIT, Kevin Scott) with a fixed 32×32 input, exported from TF.js by inference-lab scripts/models/build-esrgan.ts; input and output NHWC, pixel values 0–255',
  },
};

/** Every model, in the order public/models/index.json lists them (the default first). */
export const k_zoo_specs: readonly ZooModelSpec[] = [k_cps_wage_spec, k_fashion_cnn_spec, k_esrgan_spec];
