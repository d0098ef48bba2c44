/**
 * The renderer both hosts serve: the built `@switchboard/app` (`app/dist`), and the Content
 * Security Policy it is served with. The policy allows the app's own files and its connection to
 * the core, nothing else: no inline or remote scripts, no plugins, no framing, no form posts.
 * Inline `<style>` elements stay allowed because the terminal (xterm.js) sets its theme and cell
 * sizes in them; `style` attributes in markup stay blocked. React and the table virtualizer set
 * styles through the CSSOM, which CSP does not restrict. Same policy as app/index.html's meta tag.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export class RendererNotBuiltError extends Error {
  override readonly name = 'RendererNotBuiltError';
}

/** `app/dist`, located through the `@switchboard/app` package; fails clearly when it is not built. */
export function rendererDirectory(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('@switchboard/app/package.json');
  } catch {
    throw new RendererNotBuiltError(
      'the Switchboard UI package (@switchboard/app) is not installed; run `npm install` at the repository root',
    );
  }
  const directory = join(dirname(packageJson), 'dist');
  if (!existsSync(join(directory, 'index.html'))) {
    throw new RendererNotBuiltError(
      `the Switchboard UI is not built (${directory}/index.html is missing); run \`npm run build\``,
    );
  }
  return directory;
}

/** The CSP for the renderer; `connectSources` adds where the core's socket is (browser host). */
export function rendererContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-elem 'self' 'unsafe-inline'",
    "style-src-attr 'none'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${connectSources.map((source) => ` ${source}`).join('')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
