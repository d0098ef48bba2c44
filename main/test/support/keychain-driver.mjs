// Runs KeychainTokenStore operations in a child process whose environment points at a private
// Secret Service (see @switchboard/test-support/private-keyring). Reads a JSON list of operations
// on stdin, prints a JSON list of results. Imports the compiled code: `npm test` builds before it runs.
import { KeychainTokenStore } from '../../dist/core/token-store/keychain-token-store.js';

const [cacheDirectory] = process.argv.slice(2);
const store = new KeychainTokenStore(cacheDirectory);
let input = '';
for await (const chunk of process.stdin) input += chunk;

const results = [];
for (const operation of JSON.parse(input)) {
  try {
    if (operation.op === 'save') {
      await store.save(operation.account, operation.tokens);
      results.push({ ok: true });
    } else if (operation.op === 'load') {
      results.push({ ok: true, tokens: (await store.load(operation.account)) ?? null });
    } else if (operation.op === 'remove') {
      await store.remove(operation.account);
      results.push({ ok: true });
    } else {
      results.push({ ok: false, message: `unknown operation ${operation.op}` });
    }
  } catch (error) {
    results.push({ ok: false, name: error.name, message: error.message });
  }
}
process.stdout.write(JSON.stringify(results));
