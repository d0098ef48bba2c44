/**
 * The relay's sealing key (see `ticket-key-sealer.ts`): 32 random bytes as base64 text in a file
 * of its own, never in the database, so a copy of `relay.db` alone reveals no ticket key.
 *
 * With `sealingKeyFile` configured (a fleet of replicas shares one, e.g. from a Kubernetes
 * Secret) that file is read and never written. Otherwise the relay uses `<dataDir>/sealing.key`,
 * creating it on first start: 0600, written whole under a temporary name and linked into place,
 * so a crash leaves no half-written key and two processes starting at once agree on one key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { link, open, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { Logger } from '../logging/logger.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenToOwner } from '../registry/owner-only.js';
import { SEALING_KEY_BYTES, TicketKeySealer } from './ticket-key-sealer.js';

export const SEALING_KEY_FILE = 'sealing.key';

const FIELD = 'sealingKeyFile';
/** Standard or URL-safe base64 of exactly 32 bytes, padding optional. */
const BASE64_KEY = /^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/;
const HOW_TO_MAKE = `it must hold ${SEALING_KEY_BYTES} random bytes as base64, e.g. made by "openssl rand -base64 ${SEALING_KEY_BYTES}"`;

export interface SealingKeySettings {
  /** The configured file; `<dataDir>/sealing.key` (created when missing) otherwise. */
  sealingKeyFile?: string | undefined;
  /** Unset only with a configured file (the configuration schema requires one or the other). */
  dataDir?: string | undefined;
}

/**
 * A `sealing.key` of the data directory found readable by others (a copy, a restore) is made
 * owner-only with a warning, as the database files are; a configured file is the platform's (a
 * read-only Secret mount) and is left as it is.
 */
export async function loadSealingKey(
  settings: SealingKeySettings,
  logger: Pick<Logger, 'warn'>,
): Promise<TicketKeySealer> {
  if (settings.sealingKeyFile !== undefined) {
    return new TicketKeySealer(await readSealingKey(settings.sealingKeyFile), settings.sealingKeyFile);
  }
  if (settings.dataDir === undefined) throw new ConfigError(FIELD, 'required: set sealingKeyFile or dataDir');
  mkdirSync(settings.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const file = join(settings.dataDir, SEALING_KEY_FILE);
  if (!existsSync(file)) {
    try {
      await create(file);
    } catch (error) {
      throw new ConfigError(FIELD, `not set, and cannot create ${file}: ${(error as Error).message}`);
    }
  }
  tightenToOwner(file, PRIVATE_FILE_MODE, logger);
  return new TicketKeySealer(await readSealingKey(file), file);
}

/** Reads and checks a sealing key file; errors say what is wrong without echoing its content. */
async function readSealingKey(file: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch (error) {
    throw new ConfigError(FIELD, `cannot read ${file}: ${(error as Error).message}`);
  }
  const encoded = text.trim();
  if (encoded === '') throw new ConfigError(FIELD, `${file} is empty: ${HOW_TO_MAKE}`);
  if (!BASE64_KEY.test(encoded)) {
    const wrong = /^[A-Za-z0-9+/_=-]+$/.test(encoded)
      ? `decodes to ${Buffer.from(encoded, 'base64').length} bytes, not ${SEALING_KEY_BYTES}`
      : 'is not base64 text';
    throw new ConfigError(FIELD, `${file} ${wrong}: ${HOW_TO_MAKE}`);
  }
  return Buffer.from(encoded, 'base64');
}

async function create(file: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(`${randomBytes(SEALING_KEY_BYTES).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // link, not rename: it never replaces a key that exists (made earlier, or by a racing process).
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  // The new name must survive a crash too, or the next start would make another key.
  const directory = await open(dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
