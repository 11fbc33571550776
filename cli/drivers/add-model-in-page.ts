import { parsePlan, type Plan } from '../../src/lab/runner/plan';
import { withTimeout } from '../../src/lab/util/timeout';
import { BadInputError } from '../exit-codes';
import type { CliUserModel } from '../user-model';
import type { LabPage } from './lab-page';

/** Taking in a model (reference and variants included) may take minutes for a large one. */
const k_add_timeout_ms = 600_000;

/**
 * Adds the user's model in the page (its bytes cross as base64 text: nothing
 * is served or fetched) and returns the plan to run: its quick plan, or the
 * template's cells with its id and SHA-256. A problem with the model or data
 * is bad input (exit 2); the page names it.
 */
export async function addUserModelInPage(page: LabPage, model: CliUserModel, template: unknown): Promise<Plan> {
  const text = await withTimeout(
    page.evaluate(
      async ([model, template]) => {
        // Sent as source text: no helpers from outside, and no named ones inside (tsx would wrap them in a __name() the page lacks).
        const api = window.inferenceLab!;
        const data =
          model.data.kind === 'csv'
            ? { name: model.data.name, text: model.data.text }
            : model.data.kind === 'images'
              ? model.data.items.map((i) => ({ path: i.path, blob: new Blob([Uint8Array.from(atob(i.base64), (c) => c.charCodeAt(0))]) }))
              : undefined;
        try {
          const { modelId } = await api.addModel(
            model.files.map((f) => ({ name: f.name, bytes: Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) })),
            { ...model.options, ...(data ? { data } : {}), ...(model.native ? { reference: model.native } : {}) },
          );
          const base = api.defaultPlan(modelId);
          // A template's cells read the model's own format unless they name one.
          const format = base.cells[0]?.format;
          const cells = (template as { cells?: unknown } | null)?.cells;
          const plan =
            template && typeof template === 'object'
              ? { ...base, ...template, modelId: base.modelId, userModel: base.userModel, ...(Array.isArray(cells) ? { cells: cells.map((c: object) => ({ format, ...c })) } : {}) }
              : base;
          return JSON.stringify({ ok: true, plan });
        } catch (error) {
          const problem = (error as { problem?: unknown }).problem;
          return JSON.stringify({ ok: false, problem: typeof problem === 'string' ? problem : null, message: error instanceof Error ? error.message : String(error) });
        }
      },
      [model, template] as const,
    ),
    k_add_timeout_ms,
    'The browser (adding your model)',
  );
  const answer = JSON.parse(text) as { ok: true; plan: unknown } | { ok: false; problem: string | null; message: string };
  if (answer.ok) {
    try {
      return parsePlan(answer.plan);
    } catch (error) {
      throw new BadInputError(`--plan for your model: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (answer.problem) throw new BadInputError(answer.message);
  throw new Error(`Adding the model failed: ${answer.message}`);
}
