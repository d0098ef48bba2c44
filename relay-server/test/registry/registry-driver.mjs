// Calls one registry method in a process of its own, as another relay replica (or the operator CLI)
// would: opens the registry named by the JSON in SWITCHBOARD_TEST_REGISTRY (`openRegistry`'s
// `{dataDir}` or `{database}`; the environment, since a database URL holds a password), prints
// "ready", waits for a line on stdin so that every driver of a test calls at the same moment, then
// prints the outcome as JSON. `{"$date": "…"}` in the arguments is a Date. Imports the compiled
// code: `npm test` builds before it runs.
import { createInterface } from 'node:readline';
import { openRegistry } from '../../dist/registry/open-registry.js';

const [method, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson, (_key, value) =>
  value !== null && typeof value === 'object' && typeof value.$date === 'string'
    ? new Date(value.$date)
    : value,
);
const { registry } = await openRegistry(JSON.parse(process.env.SWITCHBOARD_TEST_REGISTRY), { warn() {} });
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
lines.close();
let outcome;
try {
  outcome = { ok: true, value: await registry[method](...args) };
} catch (error) {
  outcome = { ok: false, name: error.name, message: error.message };
}
await registry.close();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
