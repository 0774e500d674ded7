import { AppError } from '@tenantry/api-core';
import { ErrorCode } from '@tenantry/contracts';
import { imageSize } from 'image-size';

export const MAX_IMAGE_BYTES = 1024 * 1024;
const MAX_IMAGE_PIXELS = 4096;

/** What we store and serve, decided by the bytes (never by the file name or the declared type). */
const ACCEPTED = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' } as const;
export type ImageExtension = keyof typeof ACCEPTED;
export const contentTypeOf = (ext: ImageExtension): string => ACCEPTED[ext];

/**
 * Checks an uploaded image by its content: a PNG, JPEG or WebP whose header
 * parses, at most 1 MB and 4096 px a side. SVG (scripts) and anything else is
 * refused, whatever its name or declared type says.
 */
export function checkImage(bytes: Buffer): { ext: ImageExtension; width: number; height: number } {
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new AppError(ErrorCode.IMAGE_TOO_LARGE, { maxBytes: MAX_IMAGE_BYTES, bytes: bytes.length });
  let found: { type?: string; width?: number; height?: number };
  try {
    found = imageSize(bytes);
  } catch {
    throw new AppError(ErrorCode.IMAGE_INVALID);
  }
  const ext = found.type === 'jpeg' ? 'jpg' : found.type;
  if (!ext || !(ext in ACCEPTED)) throw new AppError(ErrorCode.IMAGE_TYPE_UNSUPPORTED, { type: found.type ?? null });
  const { width = 0, height = 0 } = found;
  if (width < 1 || height < 1) throw new AppError(ErrorCode.IMAGE_INVALID);
  // A valid header followed by anything is still a "valid" PNG to a header parser: require the end marker too.
  if (ext === 'png' && !bytes.subarray(-12).subarray(4, 8).equals(Buffer.from('IEND')))
    throw new AppError(ErrorCode.IMAGE_INVALID);
  if (ext === 'jpg' && !(bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9)) throw new AppError(ErrorCode.IMAGE_INVALID);
  if (width > MAX_IMAGE_PIXELS || height > MAX_IMAGE_PIXELS)
    throw new AppError(ErrorCode.IMAGE_TOO_LARGE, { maxPixels: MAX_IMAGE_PIXELS, width, height });
  return { ext: ext as ImageExtension, width, height };
}
