import { execFileSync } from 'node:child_process';
import { type Browser, chromium } from 'playwright-core';

/** Chromium from the system (`command -v chromium`); the tests fail loudly when it is missing. */
function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed (apt-get install chromium); the browser tests need it');
  }
}

/** The distribution's Chromium with the flags every browser test uses (one launcher for all). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
