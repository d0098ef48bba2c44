/**
 * HTML of every page the dev identity provider shows a person: sign-in, the device-code pages and
 * errors. Plain, self-contained markup (no scripts, fonts or other outside resources), with
 * labelled inputs, so it works offline and in a headless browser driven by accessible names.
 */

/** Headers for every page here: not cacheable, not frameable, nothing loaded from elsewhere. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // No form-action: a sign-in ends in redirects to the client's loopback URI, which form-action would block.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.2rem;margin:0 0 .25rem}h2{font-size:1.5rem;margin:1.5rem 0 .75rem}
.dev{background:#fff4d6;border:1px solid #e0b84a;padding:.5rem .75rem;font-size:.85rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}
[role=alert]{color:#a40e26;font-weight:600}
code.user-code{font-size:1.4rem;letter-spacing:.1em}`;

/** The frame shared by all pages; `body` is trusted markup, everything user-supplied is escaped by callers. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Switchboard dev identity provider</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Switchboard dev identity provider</h1>
<p class="dev">For demos and tests only. Never use it to protect real clusters.</p>
<h2>${escapeHtml(title)}</h2>
${body}
</main>
</body>
</html>`;
}

function alert(message: string | undefined): string {
  return message ? `<p role="alert">${escapeHtml(message)}</p>` : '';
}

export function loginPage(input: {
  action: string;
  clientName: string;
  username?: string;
  error?: string;
}): string {
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${alert(input.error)}
<form method="post" action="${escapeHtml(input.action)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

/**
 * `form` is oidc-provider's own user-code form (it carries the CSRF token). Its input has no id,
 * so one is added for the label to point at.
 */
export function userCodeInputPage(form: string, error: string | undefined): string {
  const labelledForm = form.replace('name="user_code"', 'id="user-code" name="user_code"');
  return page(
    'Sign in on another device',
    `${alert(error)}
<label for="user-code">Code shown on your device</label>
${labelledForm}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

/** `form` is oidc-provider's confirmation form; both buttons submit it, Abort adds `abort=yes`. */
export function userCodeConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<p><strong>${escapeHtml(clientName)}</strong> asks to sign in. Continue only if your device shows this code:</p>
<p><code class="user-code">${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
  );
}

export function deviceSuccessPage(clientName: string): string {
  return page(
    'Signed in',
    `<p>You are signed in to <strong>${escapeHtml(clientName)}</strong>. You can close this page and return to your device.</p>`,
  );
}

export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Something went wrong',
    `<p role="alert">${escapeHtml(description ?? error)}</p><p>Error code: <code>${escapeHtml(error)}</code></p>`,
  );
}

/** `form` is oidc-provider's logout form; the Sign out button adds `logout=yes`. */
export function logoutPage(form: string): string {
  return page(
    'Sign out',
    `<p>Sign out of the Switchboard dev identity provider?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
}

export function logoutSuccessPage(): string {
  return page('Signed out', '<p>You are signed out. You can close this page.</p>');
}
