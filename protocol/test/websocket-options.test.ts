import { describe, expect, it } from 'vitest';
import { clientWebSocketOptions, isLoopbackHost, webSocketOptions } from '../src/index.js';

describe('clientWebSocketOptions', () => {
  it('uses an all-zero masking key only towards loopback addresses', () => {
    for (const url of ['ws://127.0.0.1:8080/t', 'ws://localhost/t', 'wss://[::1]:9/t', 'ws://127.1.2.3/']) {
      const options = clientWebSocketOptions(url);
      expect(options.generateMask, url).toBeTypeOf('function');
      const mask = new Uint8Array([1, 2, 3, 4]);
      options.generateMask!(mask);
      expect([...mask]).toEqual([0, 0, 0, 0]);
    }
    for (const url of ['wss://relay.example.com/t', 'ws://10.0.0.1/t', 'wss://127.example.com/t']) {
      expect(clientWebSocketOptions(url).generateMask, url).toBeUndefined();
    }
  });

  it('keeps the session options (no compression, payload cap)', () => {
    expect(clientWebSocketOptions('ws://127.0.0.1/', 4096)).toMatchObject(webSocketOptions(4096));
  });

  it('recognises loopback host names', () => {
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.evil.com')).toBe(false);
  });
});
