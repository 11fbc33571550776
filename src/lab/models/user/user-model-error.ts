/**
 * What can be wrong with a model or data file a user brings: each problem has
 * a kind (so the UI, the API and the CLI can tell them apart without reading
 * the text) and a message that names the file, tensor, column or row. The CLI
 * exits 2 on any of them.
 */
export const USER_INPUT_PROBLEMS = Object.freeze([
  /** Bytes that do not decode as the format they claim (truncated, flipped). */
  'corrupt',
  /** A file that is no model at all (an image, a CSV, a text file). */
  'not-a-model',
  /** An ONNX model whose weights live in a separate file that was not given. */
  'external-data',
  /** Larger than this device can hold (the message says the limit and why). */
  'too-large',
  /** An opset outside what the lab's engines read. */
  'opset',
  /** Operators that no engine of the lab has. */
  'no-engine',
  /** Something the lab cannot feed or read (a shape, a type, a symbolic dimension without a value). */
  'unsupported',
  /** A CSV or image folder that does not match the model or the mapping. */
  'data',
  /** NaN or Infinity in the data. */
  'non-finite',
  /** A column mapping that leaves an input without columns, or names a column twice. */
  'mapping',
  /** A file that is not the one a shared plan was made with. */
  'different-file',
] as const);

export type UserInputProblem = (typeof USER_INPUT_PROBLEMS)[number];

export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  constructor(
    readonly problem: UserInputProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Plain data for crossing a worker boundary (an Error's class does not survive structured cloning). */
export interface UserInputErrorData {
  problem: UserInputProblem;
  message: string;
}

export function isUserInputError(x: unknown): x is UserInputError {
  return x instanceof UserInputError;
}

export function isUserInputErrorData(x: unknown): x is UserInputErrorData {
  const problem = (x as { problem?: unknown } | null)?.problem;
  return typeof problem === 'string' && (USER_INPUT_PROBLEMS as readonly string[]).includes(problem) && typeof (x as { message?: unknown }).message === 'string';
}
