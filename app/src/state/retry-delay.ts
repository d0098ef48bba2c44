/** The first retry's delay; each failure in a row doubles it up to `RETRY_CAP_MS`. */
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 30_000;

/**
 * How long to wait before retry number `failures` (0 for the first): exponential, capped, with
 * jitter (between half and all of the step) so many watches failing together do not retry together.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const step = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(failures, 16));
  return Math.round(step / 2 + (random() * step) / 2);
}
