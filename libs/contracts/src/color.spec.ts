import { contrastRatio, textColorOn } from './color.js';

describe('color contrast', () => {
  it('puts white text on a dark primary and black text on a light one', () => {
    expect(textColorOn('#1e3a8a')).toBe('#ffffff');
    expect(textColorOn('#fde047')).toBe('#000000');
  });

  it('computes the WCAG ratio of black on white as 21:1', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 5);
  });
});
