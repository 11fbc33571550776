/**
 * `npm run models`: rebuilds the whole zoo (data → training → conversion →
 * every artifact, precision variants included) and then, when tools/reference
 * is installed, the golden outputs and the variants' native tolerances.
 * `npm run models -- --check`: the fast CI check (check-zoo.ts).
 *
 *   npm run models                          every model, then golden outputs
 *   npm run models -- --only fashion-mnist-cnn   one model (repeatable flag)
 *   npm run models -- --check               prove the committed files match a rebuild
 *
 * See scripts/models/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { k_models_dir, seconds } from './build-common';
import { buildCpsWage } from './build-cps-wage';
import { buildEsrgan } from './build-esrgan';
import { buildFashionCnn } from './build-fashion-cnn';
import { buildTflite } from './build-tflite';
import { buildVariants } from './build-variants';
import { checkZoo } from './check-zoo';
import { k_cps_wage_spec, k_esrgan_spec, k_fashion_cnn_spec, k_zoo_specs } from './zoo-specs';

const k_builds: Record<string, () => Promise<void>> = {
  [k_cps_wage_spec.id]: buildCpsWage,
  [k_fashion_cnn_spec.id]: buildFashionCnn,
  [k_esrgan_spec.id]: buildEsrgan,
};
const k_reference_runtime = 'tools/reference/node_modules/onnxruntime-node';

async function check(): Promise<number> {
  const started = performance.now();
  const report = await checkZoo();
  report.notes.forEach((note) => console.log(`note: ${note}`));
  if (report.problems.length > 0) {
    report.problems.forEach((problem) => console.error(`DIFFERS: ${problem}`));
    console.error(`models --check: ${report.problems.length} problem(s); rebuild with \`npm run models\` (see scripts/models/README.md)`);
    return 1;
  }
  console.log(`models --check: ${k_zoo_specs.length} models match a rebuild of their deterministic steps (${seconds(performance.now() - started)})`);
  return 0;
}

async function build(only: string[]): Promise<number> {
  const unknown = only.filter((id) => k_builds[id] === undefined);
  if (unknown.length > 0) throw new Error(`unknown model ${unknown.join(', ')}; the zoo is ${Object.keys(k_builds).join(', ')}`);
  const ids = only.length > 0 ? only : k_zoo_specs.map((s) => s.id);
  for (const id of ids) {
    const started = performance.now();
    console.log(`\n== ${id}`);
    await k_builds[id]?.();
    await buildVariants(id);
    console.log(`== ${id}: ${seconds(performance.now() - started)}`);
  }
  await writeFile(join(k_models_dir, 'index.json'), `${JSON.stringify({ models: k_zoo_specs.map((s) => s.id) })}\n`);

  const manifests = ids.map((id) => join(k_models_dir, id, 'manifest.json'));
  if (existsSync(k_reference_runtime)) {
    console.log('\n== golden outputs (tools/reference, onnxruntime-node)');
    execFileSync('npx', ['tsx', 'tools/reference/golden-outputs.ts', ...manifests], { stdio: 'inherit' });
    console.log('\n== precision variants vs FP32 (tools/reference, onnxruntime-node): tolerances, accuracy/PSNR, agreement');
    execFileSync('npx', ['tsx', 'tools/reference/precision-reference.ts', ...ids], { stdio: 'inherit' });
    // After the references: the .tflite twins take theirs from them, and Arm NN computes INT8's.
    console.log('\n== .tflite variants (src/lab/tflite exporter; INT8 reference by Arm NN, Debian python3-pyarmnn)');
    for (const id of ids) await buildTflite(id);
  } else {
    console.log(
      '\nGolden outputs need the native reference, which is not installed. Run:\n' +
        '  ONNXRUNTIME_NODE_INSTALL=skip npm ci --prefix tools/reference\n' +
        `  npx tsx tools/reference/golden-outputs.ts ${manifests.join(' ')}\n` +
        `  npx tsx tools/reference/precision-reference.ts ${ids.join(' ')}\n` +
        `  npx tsx scripts/models/build-tflite.ts ${ids.join(' ')}   (needs apt-get install python3-pyarmnn libarmnn-cpuref-backend22)\n` +
        '(a manifest whose ONNX bytes did not change keeps its golden outputs).',
    );
  }
  return 0;
}

function onlyArgs(argv: readonly string[]): string[] {
  return argv.flatMap((arg, i) => (arg === '--only' ? [argv[i + 1] ?? ''] : arg.startsWith('--only=') ? [arg.slice('--only='.length)] : []));
}

const argv = process.argv.slice(2);
process.exitCode = argv.includes('--check') ? await check() : await build(onlyArgs(argv));
