import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Tenantry-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
 * endpoint's secret; the timestamp (`Tenantry-Timestamp`, Unix seconds) is in
 * the signed text, so a captured request can not be replayed later.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (documented in the README; the tests' receiver uses it):
 * the signature matches the body and the timestamp is recent.
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
