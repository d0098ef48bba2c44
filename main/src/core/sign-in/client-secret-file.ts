import { readFile, stat } from 'node:fs/promises';

/** The client secret file is missing, empty, or readable by other users. */
export class ClientSecretFileError extends Error {
  override readonly name = 'ClientSecretFileError';
}

/**
 * Reads a service principal's secret from a file. Secrets never come from argv, which every
 * user on the machine can read in the process list. A world-readable file is refused: the
 * secret would already be exposed to every local account.
 */
export async function readClientSecretFile(path: string): Promise<string> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ClientSecretFileError(
      `cannot read the client secret file ${path}: ${error.code ?? error.message}`,
    );
  });
  if (!info.isFile()) throw new ClientSecretFileError(`the client secret file ${path} is not a regular file`);
  // POSIX permission bits mean nothing on Windows, where ACLs decide.
  if (process.platform !== 'win32' && (info.mode & 0o004) !== 0) {
    throw new ClientSecretFileError(
      `the client secret file ${path} is readable by every user on this machine (mode ${(info.mode & 0o777).toString(8)}); ` +
        `restrict it with \`chmod 600 ${path}\` (for a Kubernetes Secret volume, set defaultMode: 0400)`,
    );
  }
  const secret = (await readFile(path, 'utf8')).trim();
  if (!secret) throw new ClientSecretFileError(`the client secret file ${path} is empty`);
  return secret;
}
