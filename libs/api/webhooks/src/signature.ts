import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * An endpoint secret as Standard Webhooks libraries read it: `whsec_` and the key in standard
 * base64. Secrets made before carry it in base64url (`-` and `_`); the key is the same bytes.
 */
export function standardSecret(secret: string): string {
  return `whsec_${Buffer.from(secret.replace(/^whsec_/, ''), 'base64url').toString('base64')}`;
}

/**
 * The signature headers of a delivery, in the Standard Webhooks scheme (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`,
 * the key being the secret's bytes), so receivers verify with any Standard Webhooks library.
 * Deprecated and still sent: `Tenantry-Timestamp` and `Tenantry-Signature` (see `verifyWebhook`).
 */
export function signatureHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': new Webhook(standardSecret(secret)).sign(id, at, body),
    'Tenantry-Timestamp': String(timestamp),
    'Tenantry-Signature': signWebhook(secret, timestamp, body),
  };
}

/**
 * The deprecated signature: `Tenantry-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * keyed with the secret's text, the timestamp (`Tenantry-Timestamp`, Unix seconds) in the signed text.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * How a receiver of the deprecated headers checks them: the signature matches
 * the body and the timestamp is recent.
 */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds)
    return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
