/**
 * A cluster answered a request with an error: its HTTP code and what its Kubernetes `Status` body
 * says (a body that is not one becomes the message as it came).
 */
import { z } from 'zod';

const statusCauseSchema = z.object({
  reason: z.string().optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});
const kubeStatusSchema = z.object({
  message: z.string().optional(),
  reason: z.string().optional(),
  details: z.object({ causes: z.array(statusCauseSchema).max(1000).optional() }).optional(),
});

/** One of a Status's `details.causes` (a field manager conflict, an invalid field). */
export type KubeStatusCause = z.infer<typeof statusCauseSchema>;

/** The longest body kept for the message; a Status is far shorter. */
const MAX_MESSAGE_CHARS = 2_000;

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    /** The HTTP status code. */
    readonly code: number,
    /** The Status `reason` (`NotFound`, `Forbidden`…), when the body was a Status that gave one. */
    readonly reason: string | undefined,
    message: string,
    /** The Status's `details.causes`, when it listed any. */
    readonly causes: readonly KubeStatusCause[] = [],
  ) {
    super(message);
  }

  /** From the answer's code and body; `request` names the request when the body says nothing. */
  static fromResponse(code: number, body: string, request: string): KubeApiError {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      const text = body.trim().slice(0, MAX_MESSAGE_CHARS);
      return new KubeApiError(code, undefined, text || `${request} answered ${code}`);
    }
    const status = kubeStatusSchema.safeParse(json);
    const { message, reason, details } = status.success ? status.data : {};
    return new KubeApiError(code, reason, message ?? `${request} answered ${code}`, details?.causes ?? []);
  }
}
