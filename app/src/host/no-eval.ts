/**
 * The renderer's Content Security Policy forbids eval. zod, which the contract module uses for the
 * core's request schemas, probes for eval (`new Function('')`) when those schemas are built, and
 * Chromium reports the refused probe as a CSP violation on every start. `jitless` skips the probe;
 * the renderer never parses with those schemas. Imported first, before anything loads the contract.
 */
import { config } from 'zod';

config({ jitless: true });
