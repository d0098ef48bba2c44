/**
 * The local proxy's identity in the split and link layouts: a service principal of the relay's
 * development identity provider (what `switchboard proxy` signs in with in CI), its secret in a
 * file of its own (argv is visible to every local user).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServicePrincipalFiles {
  /** The dev provider's users file (`devIdp.usersFile`), with this principal in it. */
  usersFile: string;
  /** The principal's secret, for `--client-secret-file`. */
  clientSecretFile: string;
}

/** Writes the users file and the secret file into `dataDir` (mode 600). */
export async function writeServicePrincipal(
  dataDir: string,
  principal: { clientId: string; username: string },
): Promise<ServicePrincipalFiles> {
  const clientSecret = randomBytes(24).toString('hex');
  const clientSecretFile = join(dataDir, 'client-secret');
  await writeFile(clientSecretFile, `${clientSecret}\n`, { mode: 0o600 });
  const usersFile = join(dataDir, 'dev-idp-users.json');
  await writeFile(
    usersFile,
    JSON.stringify({
      users: [{ username: 'alice', password: randomBytes(12).toString('hex'), name: 'Bench', groups: [] }],
      servicePrincipals: [{ ...principal, clientSecret, groups: [] }],
    }),
    { mode: 0o600 },
  );
  return { usersFile, clientSecretFile };
}
