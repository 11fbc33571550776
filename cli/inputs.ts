import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { documentsIn } from '../src/lab/results/compare-runs';
import type { Budget } from '../src/lab/results/budget';
import { parseBudget } from '../src/lab/results/budget';
import type { ResultsDocument } from '../src/lab/results/results';
import { parseResultsDocument } from '../src/lab/results/results-file';
import type { Plan } from '../src/lab/runner/plan';
import { defaultPlan, parsePlan } from '../src/lab/runner/plan';
import type { PlanPreset } from '../src/lab/runner/plan-presets';
import { PLAN_PRESETS, presetPlan } from '../src/lab/runner/plan-presets';
import { errorMessage } from '../src/lab/util/errors';
import { BadInputError } from './exit-codes';

/** A folder where a file was asked for gets its own words, not the system's EISDIR. */
export function refuseFolder(path: string, what: string, give: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) throw new BadInputError(`${path} is a folder, not a ${what}: give ${give}`);
}

function readJson(path: string, what: string): unknown {
  refuseFolder(path, `${what} file`, 'the JSON file itself');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BadInputError(`Cannot read the ${what} file ${path}: ${errorMessage(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadInputError(`The ${what} file ${path} is not valid JSON: ${errorMessage(error)}`);
  }
}

function validated<T>(path: string, what: string, parse: (json: unknown) => T, json: unknown): T {
  try {
    return parse(json);
  } catch (error) {
    throw new BadInputError(`${path}: ${errorMessage(error)}`);
  }
}

/** Model ids are kebab-case; anything with a dot or a slash is a file name the user meant to run. */
export function looksLikeFile(value: string): boolean {
  return /[./\\]/.test(value) || existsSync(value);
}

/**
 * The plan to run: a --plan file, or the quick plan for --model. Either way its
 * model must be one the lab serves.
 * @param zooIds the ids in the lab's zoo index (see zoo-index.ts)
 */
/** The quick plan for --model (a zoo id, or none: the default model), refusing a path that is no file, a malformed id and one the zoo lacks. */
function zooPlan(modelId: string | undefined, zooIds: readonly string[]): Plan {
  const zoo = zooIds.join(', ');
  if (modelId !== undefined && looksLikeFile(modelId)) {
    // An existing file never gets here (main.ts takes it in as your model): this one is not there.
    throw new BadInputError(`--model "${modelId}": no such file. --model takes an ONNX file, a TF.js model.json, or the id of a model in the lab's zoo (${zoo}).`);
  }
  let plan: Plan;
  try {
    plan = defaultPlan(modelId);
  } catch {
    throw new BadInputError(`--model "${modelId ?? ''}" is not a model id (kebab-case, e.g. cps-wage). The lab's zoo has: ${zoo}.`);
  }
  if (!zooIds.includes(plan.modelId)) throw new BadInputError(`Unknown model "${plan.modelId}" (--model): the lab's zoo has ${zoo}.`);
  return plan;
}

/** Presets whose cells depend on the browser's device (its cores, its GPU's features): the CLI cannot build them before the browser runs. */
const k_device_presets: readonly PlanPreset[] = ['thread-sweep', 'capstone'];

export function loadPlan(path: string | undefined, modelId: string | undefined, zooIds: readonly string[], preset?: string): Plan {
  const zoo = zooIds.join(', ');
  if (path && modelId !== undefined) {
    throw new BadInputError(`--model applies to the default plan only; the plan file ${path} names its own modelId. Give one or the other.`);
  }
  if (preset !== undefined) {
    if (path) throw new BadInputError(`--preset ${preset} and --plan ${path} each name a plan: give one of them`);
    const name = PLAN_PRESETS.find((p) => p === preset);
    if (!name) throw new BadInputError(`--preset "${preset}" is not a preset. Expected one of: ${PLAN_PRESETS.filter((p) => !k_device_presets.includes(p)).join(', ')}`);
    if (k_device_presets.includes(name)) {
      throw new BadInputError(`--preset ${name} is built from the browser's device (its cores, its GPU): open the page in that browser, choose the preset, and save its plan (Copy plan JSON) for --plan`);
    }
    return presetPlan(name, zooPlan(modelId, zooIds).modelId, 1);
  }
  if (!path) return zooPlan(modelId, zooIds);
  const plan = validated(path, 'plan', parsePlan, readJson(path, 'plan'));
  if (!zooIds.includes(plan.modelId)) throw new BadInputError(`${path}: modelId "${plan.modelId}" is not in the lab's zoo (it has ${zoo}).`);
  return plan;
}

/** A --budget file wins over the plan's own budget; with neither, only cell states are judged. */
export function loadBudget(path: string | undefined, plan: Plan | undefined): Budget {
  if (path) return validated(path, 'budget', parseBudget, readJson(path, 'budget'));
  return plan?.budget ?? parseBudget({ schemaVersion: 1 });
}

export function loadBaseline(path: string | undefined): ResultsDocument | undefined {
  if (!path) return undefined;
  return validated(path, 'baseline', parseResultsDocument, readJson(path, 'baseline'));
}

export function loadResults(path: string): ResultsDocument {
  return validated(path, 'results', parseResultsDocument, readJson(path, 'results'));
}

/**
 * The gallery's runs: every results file given, and every .json in a folder
 * given (a merged file's runs each count). One that is not a valid results
 * document stops the build, naming the file and why (exit 2).
 */
export function loadGalleryInputs(paths: readonly string[]): { file: string; doc: ResultsDocument }[] {
  const files = paths.flatMap((path) => {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      throw new BadInputError(`Cannot read ${path}: ${errorMessage(error)}`);
    }
    if (!isFolder) return [path];
    const inside = readdirSync(path).filter((f) => f.toLowerCase().endsWith('.json')).sort().map((f) => join(path, f));
    if (inside.length === 0) throw new BadInputError(`The folder ${path} holds no .json results files`);
    return inside;
  });
  return files.flatMap((file) => {
    const docs = documentsIn(readJson(file, 'results'));
    return docs.map((json, i) => ({ file: docs.length > 1 ? `${file} [${i + 1}]` : file, doc: validated(file, 'results', parseResultsDocument, json) }));
  });
}

/**
 * W3C capabilities for --webdriver: a JSON object (browserName, platformName,
 * vendor options such as "bstack:options" or "sauce:options"). Without a file,
 * the endpoint's default browser is asked for.
 */
export function loadCapabilities(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const json = readJson(path, 'capabilities');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadInputError(`${path}: capabilities must be a JSON object, e.g. { "browserName": "firefox" }`);
  const caps = json as Record<string, unknown>;
  if ('alwaysMatch' in caps || 'firstMatch' in caps || 'capabilities' in caps) {
    throw new BadInputError(`${path}: give the capabilities themselves ({ "browserName": … }), not a new-session request body with alwaysMatch/firstMatch`);
  }
  return caps;
}
