import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The browser's redirect back to us, and a way to answer it once the code exchange is done. */
export interface AuthorizationCallback {
  url: URL;
  finish(outcome: { ok: true } | { ok: false; message: string }): void;
}

/** Who started the sign-in, so the page in the browser sends the person back to the right place. */
export type SignInStarter = 'app' | 'terminal';

const RETURN_TO: Record<SignInStarter, { done: string; retry: string; details: string }> = {
  app: {
    done: 'You can close this tab and return to Switchboard.',
    retry: 'Return to Switchboard and sign in again.',
    details: 'Return to Switchboard to try again.',
  },
  terminal: {
    done: 'You can close this tab and return to your terminal.',
    retry: 'Return to your terminal and try again.',
    details: 'Return to your terminal for details.',
  },
};

/**
 * The RFC 8252 loopback redirect target: an HTTP listener on 127.0.0.1 with an OS-assigned port
 * (never `localhost`, which may resolve to ::1 or be redirected; never a fixed port, which may be
 * taken). It accepts exactly one `GET /callback` whose `state` matches; anything else (a favicon
 * request, a stale tab from an earlier attempt, a forged request) gets an error page and
 * does not end the sign-in. Any local process can reach the port: no request, however malformed,
 * may end the process (the CLI, or the app's core) either.
 */
export class LoopbackCallbackServer {
  private readonly server: Server;
  private waiting?: { resolve: (callback: AuthorizationCallback) => void };
  private received?: AuthorizationCallback;

  private constructor(
    private readonly expectedState: string,
    private readonly startedBy: SignInStarter,
  ) {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  static async listen(expectedState: string, startedBy: SignInStarter): Promise<LoopbackCallbackServer> {
    const callbackServer = new LoopbackCallbackServer(expectedState, startedBy);
    await new Promise<void>((resolve, reject) => {
      callbackServer.server.once('error', reject);
      callbackServer.server.listen(0, '127.0.0.1', () => resolve());
    });
    return callbackServer;
  }

  get redirectUri(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/callback`;
  }

  /** Resolves with the first callback carrying the expected state. */
  nextCallback(): Promise<AuthorizationCallback> {
    if (this.received) return Promise.resolve(this.received);
    return new Promise((resolve) => {
      this.waiting = { resolve };
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = callbackTarget(request, this.redirectUri);
    const returnTo = RETURN_TO[this.startedBy];
    if (request.method !== 'GET' || url?.pathname !== '/callback') {
      sendPage(response, 404, 'Not found', 'This address only receives the Switchboard sign-in redirect.');
      return;
    }
    if (this.received || url.searchParams.get('state') !== this.expectedState) {
      sendPage(
        response,
        400,
        'Sign-in link expired',
        `This sign-in response does not belong to the sign-in in progress. ${returnTo.retry}`,
      );
      return;
    }
    const callback: AuthorizationCallback = {
      url,
      finish: (outcome) =>
        outcome.ok
          ? sendPage(response, 200, 'Signed in to Switchboard', returnTo.done)
          : sendPage(response, 400, 'Sign-in failed', `${outcome.message} ${returnTo.details}`),
    };
    this.received = callback;
    this.waiting?.resolve(callback);
  }
}

/** The request target as a URL; undefined when it does not parse (`//host:bad-port`, …). */
function callbackTarget(request: IncomingMessage, base: string): URL | undefined {
  try {
    return new URL(request.url ?? '/', base);
  } catch {
    return undefined;
  }
}

function sendPage(response: ServerResponse, status: number, title: string, message: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    // The URL carried the authorization code; keep it out of any Referer.
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  response.end(body);
}

/** Text for HTML bodies and attribute values (the launch file's redirect uses it too). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
