import { readFileSync } from 'node:fs';
import type { Budget } from '../src/lab/results/budget';
import { parseBudget } from '../src/lab/results/budget';
import type { ResultsDocument } from '../src/lab/results/results';
import { parseResultsDocument } from '../src/lab/results/results-file';
import type { Plan } from '../src/lab/runner/plan';
import { defaultPlan, parsePlan } from '../src/lab/runner/plan';
import { errorMessage } from '../src/lab/util/errors';
import { BadInputError } from './exit-codes';

function readJson(path: string, what: string): unknown {
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

export function loadPlan(path: string | undefined, modelId: string | undefined): Plan {
  if (!path) return defaultPlan(modelId);
  return validated(path, 'plan', parsePlan, readJson(path, 'plan'));
}

/** A --budget file wins over the plan's own budget; with neither, only cell states are judged. */
export function loadBudget(path: string | undefined, plan: Plan): Budget {
  if (path) return validated(path, 'budget', parseBudget, readJson(path, 'budget'));
  return plan.budget ?? parseBudget({ schemaVersion: 1 });
}

export function loadBaseline(path: string | undefined): ResultsDocument | undefined {
  if (!path) return undefined;
  return validated(path, 'baseline', parseResultsDocument, readJson(path, 'baseline'));
}

export function loadResults(path: string): ResultsDocument {
  return validated(path, 'results', parseResultsDocument, readJson(path, 'results'));
}
