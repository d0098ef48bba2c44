/**
 * The interaction pages oidc-provider sends the browser to: sign-in with a username and password
 * checked against the users, then consent, which is granted without asking because every client
 * of the dev identity provider is Switchboard's own.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { DevIdpUser } from './types.js';
import { errorPage, loginPage, PAGE_HEADERS } from './views.js';

/** Sign-in forms are two short fields; anything larger is not one. */
const MAX_FORM_BYTES = 16 * 1024;

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    throw new HttpError(415, 'invalid_request', 'The sign-in form must be sent as a web form.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new HttpError(413, 'invalid_request', 'The sign-in form is too large.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Compares digests so the time taken tells nothing about the password, and also hashes a
// password for unknown users so their timing matches a known user with a wrong password.
function passwordMatches(user: DevIdpUser | undefined, password: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const matches = timingSafeEqual(digest(user?.password ?? ''), digest(password));
  return user !== undefined && matches;
}

export type InteractionHandler = (req: IncomingMessage, res: ServerResponse, uid: string) => Promise<void>;

export function createInteractionHandler(
  provider: Provider,
  users: ReadonlyMap<string, DevIdpUser>,
  interactionPath: (uid: string) => string,
): InteractionHandler {
  async function showLogin(
    res: ServerResponse,
    interaction: Interaction,
    status: number,
    form: { username?: string; error?: string } = {},
  ): Promise<void> {
    const clientId = String(interaction.params.client_id);
    const client = await provider.Client.find(clientId);
    sendPage(
      res,
      status,
      loginPage({
        action: interactionPath(interaction.uid),
        clientName: client?.clientName ?? clientId,
        ...form,
      }),
    );
  }

  async function submitLogin(
    req: IncomingMessage,
    res: ServerResponse,
    interaction: Interaction,
  ): Promise<void> {
    const form = await readForm(req);
    const username = form.get('username')?.trim() ?? '';
    const user = users.get(username);
    if (!passwordMatches(user, form.get('password') ?? '')) {
      await showLogin(res, interaction, 401, { username, error: 'Wrong username or password.' });
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: username } },
      { mergeWithLastSubmission: false },
    );
  }

  // Grants exactly what the provider reports missing: the requested OpenID scopes and claims,
  // and the scopes of the requested resource.
  async function grantConsent(
    req: IncomingMessage,
    res: ServerResponse,
    interaction: Interaction,
  ): Promise<void> {
    const { details } = interaction.prompt;
    const grant =
      (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ??
      new provider.Grant({
        accountId: interaction.session?.accountId,
        clientId: String(interaction.params.client_id),
      });
    const missingScopes = details.missingOIDCScope as string[] | undefined;
    const missingClaims = details.missingOIDCClaims as string[] | undefined;
    const missingResourceScopes = details.missingResourceScopes as Record<string, string[]> | undefined;
    if (missingScopes) grant.addOIDCScope(missingScopes.join(' '));
    if (missingClaims) grant.addOIDCClaims(missingClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return async (req, res, uid) => {
    try {
      if (req.method !== 'GET' && req.method !== 'POST') {
        throw new HttpError(405, 'invalid_request', 'Only GET and POST are served here.');
      }
      // The provider finds the interaction by its cookie; the uid in the path must name the same one.
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== uid) {
        throw new HttpError(
          400,
          'invalid_request',
          'This sign-in page belongs to another sign-in. Start again.',
        );
      }
      switch (interaction.prompt.name) {
        case 'login':
          if (req.method === 'POST') await submitLogin(req, res, interaction);
          else await showLogin(res, interaction, 200);
          return;
        case 'consent':
          await grantConsent(req, res, interaction);
          return;
        default:
          throw new HttpError(400, 'invalid_request', `Unsupported prompt "${interaction.prompt.name}".`);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        sendPage(res, error.status, errorPage(error.code, error.message));
      } else if (error instanceof errors.SessionNotFound) {
        const message =
          'This sign-in has expired or its cookie is missing. Start again from the application.';
        sendPage(res, 400, errorPage(error.error, message));
      } else {
        // Unexpected: tell the browser nothing more, keep the cause for whoever runs the relay.
        console.error('dev-idp: interaction failed', error);
        if (!res.headersSent)
          sendPage(res, 500, errorPage('server_error', 'The sign-in failed unexpectedly.'));
        else res.destroy();
      }
    }
  };
}
