/**
 * Seals the private halves of ticket keys before they reach the registry, so a copy of the
 * database (a backup, a leaked volume) alone cannot forge tickets. AES-256-GCM under the relay's
 * sealing key, which lives outside the database (`sealing-key-file.ts`).
 *
 * Sealed form: `v1.` + base64url(nonce ‖ ciphertext ‖ tag), with a fresh random 96-bit nonce per
 * key. The format version and the key id are authenticated as associated data: a sealed key
 * moved to another row, or altered, fails to open instead of signing under the wrong `kid`.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export const SEALING_KEY_BYTES = 32;

const FORMAT = 'v1';
const CIPHER = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed ticket key that does not open with this relay's sealing key. */
export class UnopenableTicketKeyError extends Error {
  constructor(
    readonly kid: string,
    readonly sealingKeySource: string,
  ) {
    super(
      `ticket key ${kid} in the registry does not open with the sealing key from ${sealingKeySource}: ` +
        'the sealing key most likely changed since the key was made (another file configured, or ' +
        'the file lost or replaced), or the stored key was altered',
    );
    this.name = 'UnopenableTicketKeyError';
  }
}

export class TicketKeySealer {
  readonly #key: Buffer;

  /** `source` names where the sealing key came from (a file path), for error messages. */
  constructor(
    key: Buffer,
    readonly source: string,
  ) {
    if (key.length !== SEALING_KEY_BYTES) {
      throw new Error(`a sealing key is ${SEALING_KEY_BYTES} bytes, not ${key.length}`);
    }
    this.#key = Buffer.from(key);
  }

  seal(kid: string, privateKey: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(CIPHER, this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(kid));
    const sealed = Buffer.concat([
      nonce,
      cipher.update(privateKey, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${FORMAT}.${sealed.toString('base64url')}`;
  }

  /** The private key sealed under `kid`; throws UnopenableTicketKeyError when it does not open. */
  /**
   * A key for another purpose that every holder of the sealing key derives alike (HKDF-SHA-256 with
   * the purpose as info): the fleet's replicas authenticate each other with one, without a second
   * secret to distribute and without using the sealing key itself for two jobs.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), purpose, SEALING_KEY_BYTES));
  }

  open(kid: string, sealed: string): string {
    const [format, body, ...rest] = sealed.split('.');
    const bytes = Buffer.from(body ?? '', 'base64url');
    if (format !== FORMAT || rest.length > 0 || bytes.length <= NONCE_BYTES + TAG_BYTES) {
      throw new UnopenableTicketKeyError(kid, this.source);
    }
    const decipher = createDecipheriv(CIPHER, this.#key, bytes.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(kid));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new UnopenableTicketKeyError(kid, this.source);
    }
  }
}

function associatedData(kid: string): Buffer {
  return Buffer.from(`switchboard-ticket-key.${FORMAT}.${kid}`, 'utf8');
}
