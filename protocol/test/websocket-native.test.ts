import { createRequire } from 'node:module';
import { expect, test } from 'vitest';

/**
 * `ws` masks and unmasks every byte a client sends (random keys toward any relay that is not on
 * loopback) in JavaScript unless its optional native helper is installed: ~2 s of CPU per GiB on
 * each side against ~0.04 s with it. It is a dependency of this package so that it is always there.
 */
test('ws finds its native masking helper (bufferutil) from where it is installed', () => {
  const fromWs = createRequire(createRequire(import.meta.url).resolve('ws'));
  const native = fromWs('bufferutil') as { mask: unknown; unmask: unknown };
  expect(typeof native.mask).toBe('function');
  expect(typeof native.unmask).toBe('function');
});
