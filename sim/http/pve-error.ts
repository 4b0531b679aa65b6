/**
 * An error as Proxmox answers it: HTTP status, the message (its first line becomes the reason
 * phrase) and, for parameter errors, a per-parameter `errors` map.
 */
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
    /** 401s without a ticket answer with an empty body and no content type, as pveproxy does */
    readonly emptyBody = false,
  ) {
    super(message);
  }
}

export function paramError(errors: Record<string, string>): PveError {
  return new PveError(400, "Parameter verification failed.", errors);
}

/** A plain `die` in the Perl API: 500 with the message. */
export function die(message: string): PveError {
  return new PveError(500, message);
}
