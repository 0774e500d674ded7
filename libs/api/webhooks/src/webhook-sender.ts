import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { type AddressPolicy, checkUrlShape, ForbiddenTarget, pinnedLookup, resolvePublic } from './address-guard.js';

const MAX_REDIRECTS = 3;

export interface SendResult {
  /** The receiver's status (null: no answer). */
  status: number | null;
  ok: boolean;
  durationMs: number;
  error: string | null;
}

/**
 * POSTs a signed webhook. Every hop — the URL and each redirect (at most 3,
 * each sent the same POST) — is checked again: its shape, then its host
 * resolved once and connected to at exactly the checked address. The
 * receiver's answer body is not read beyond its status.
 */
export async function sendWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: AddressPolicy & { allowHttp: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<SendResult> {
  const started = Date.now();
  let url = target;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const parsed = checkUrlShape(url, options.allowHttp);
      const checked = await resolvePublic(parsed.hostname, options);
      const answer = await post(parsed, checked, body, headers, options.timeoutMs, options.signal);
      if (answer.status >= 300 && answer.status < 400 && answer.location) {
        url = new URL(answer.location, parsed).toString();
        continue;
      }
      const ok = answer.status >= 200 && answer.status < 300;
      return {
        status: answer.status,
        ok,
        durationMs: Date.now() - started,
        error: ok ? null : `the receiver answered ${answer.status}`,
      };
    }
    return { status: null, ok: false, durationMs: Date.now() - started, error: `more than ${MAX_REDIRECTS} redirects` };
  } catch (error) {
    const reason = options.signal?.aborted
      ? 'cancelled: the sending server was shutting down (sent again later)'
      : error instanceof ForbiddenTarget
        ? `refused: ${error.message}`
        : (error as Error).message;
    return { status: null, ok: false, durationMs: Date.now() - started, error: reason };
  }
}

function post(
  url: URL,
  checked: { address: string; family: 4 | 6 },
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; location: string | undefined }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(checked) as never,
        timeout: timeoutMs,
        signal,
        // TLS still checks the certificate against the URL's host name (SNI), not the pinned address (an IP literal sends no SNI).
        ...(isIP(url.hostname) ? {} : { servername: url.hostname }),
      },
      (res) => {
        res.resume(); // the answer's body is not needed: drain it so the socket is freed
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new Error(`could not reach the receiver: ${error.message}`)));
    req.end(body);
  });
}
