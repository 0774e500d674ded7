import { AppError } from '@tenantry/api-core';
import { solidPng, SVG_WITH_SCRIPT, TINY_GIF, TINY_JPEG, TINY_WEBP } from '@tenantry/testing/images';
import { checkImage } from './image-check.js';

const codeOf = (bytes: Buffer): string => {
  try {
    checkImage(bytes);
    return 'accepted';
  } catch (error) {
    return (error as AppError).code;
  }
};

describe('checkImage (by content, never by name)', () => {
  it('accepts PNG, JPEG and WebP with their size', () => {
    expect(checkImage(solidPng(40, 20))).toEqual({ ext: 'png', width: 40, height: 20 });
    expect(checkImage(TINY_JPEG)).toEqual({ ext: 'jpg', width: 1, height: 1 });
    expect(checkImage(TINY_WEBP)).toEqual({ ext: 'webp', width: 1, height: 1 });
  });

  it('refuses SVG (scripts), GIF, text, a PNG signature before garbage, a truncated PNG, and images over 1 MB or 4096 px', () => {
    expect(codeOf(SVG_WITH_SCRIPT)).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(codeOf(TINY_GIF)).toBe('IMAGE_TYPE_UNSUPPORTED');
    expect(codeOf(Buffer.from('MZ this is an executable, named logo.png'))).toBe('IMAGE_INVALID');
    expect(
      codeOf(Buffer.concat([solidPng(1, 1).subarray(0, 8), Buffer.from('<?php system($_GET[1]); ?>'.repeat(3))])),
    ).toBe('IMAGE_INVALID');
    expect(codeOf(solidPng(10, 10).subarray(0, 40))).toBe('IMAGE_INVALID');
    expect(codeOf(Buffer.concat([solidPng(10, 10), Buffer.from('<script>alert(1)</script>')]))).toBe('IMAGE_INVALID');
    expect(codeOf(Buffer.alloc(1024 * 1024 + 1))).toBe('IMAGE_TOO_LARGE');
    expect(codeOf(solidPng(5000, 1))).toBe('IMAGE_TOO_LARGE');
  });
});
