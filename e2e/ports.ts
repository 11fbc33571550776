/** E2E_PORT lets two checkouts run their suites side by side. */
export const PREVIEW_PORT = Number(process.env.E2E_PORT ?? 4317);
export const PREVIEW_BASE_PATH = '/inference-lab/';
export const DEV_PORT = PREVIEW_PORT + 1;
