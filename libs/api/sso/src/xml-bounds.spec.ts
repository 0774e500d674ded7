import { exceededBound, type XmlBounds } from './xml-bounds.js';

const roomy: XmlBounds = { elements: 100, depth: 10, children: 10, attributes: 6 };
const bounds = (over: Partial<XmlBounds>): XmlBounds => ({ ...roomy, ...over });

describe('exceededBound', () => {
  it('counts elements, self-closing or not, and nothing inside comments, CDATA, processing instructions or quoted values', () => {
    const xml = `<?xml version="1.0"?><r a="x>y" b='<c/>'><!-- <d/><d/> --><e/><e></e><![CDATA[<f/><f/>]]><?pi <g/>?></r>`;
    expect(exceededBound(xml, bounds({ elements: 3 }))).toBeNull();
    expect(exceededBound(xml, bounds({ elements: 2 }))).toBe('elements');
  });

  it('bounds depth, children of one element, and attributes of the whole document', () => {
    expect(exceededBound('<a><b><c/></b></a>', bounds({ depth: 2 }))).toBeNull();
    expect(exceededBound('<a><b><c><d/></c></b></a>', bounds({ depth: 2 }))).toBe('depth');
    expect(exceededBound(`<a>${'<b/>'.repeat(10)}</a><!-- -->`, roomy)).toBeNull();
    expect(exceededBound(`<a><x>${'<b/>'.repeat(6)}</x><y>${'<b/>'.repeat(6)}</y></a>`, roomy)).toBeNull();
    expect(exceededBound(`<a>${'<b/>'.repeat(11)}</a>`, roomy)).toBe('children');
    expect(exceededBound('<a xmlns:p="u" p:b="1" c="2"><d e="4" f=\'5\' g="6"/></a>', roomy)).toBeNull();
    expect(exceededBound('<a xmlns:p="u" p:b="1" c="2"><d e="4" f=\'5\' g="6"/><h i="7"/></a>', roomy)).toBe(
      'attributes',
    );
  });

  it.each(['<a b="unclosed/>', '<a><!-- open</a>', '</a>', '<!DOCTYPE a><a/>', '<a><![CDATA[x</a>', '<a><?pi</a>'])(
    'gives up on %p (syntax)',
    (xml) => {
      expect(exceededBound(xml, roomy)).toBe('syntax');
    },
  );

  it('scans a 128 KB document of tiny siblings in linear time and stops at the first excess', () => {
    const padded = `<r>${'<a/>'.repeat(32_000)}</r>`;
    expect(exceededBound(padded, { elements: 1_000_000, depth: 5, children: 1_000_000, attributes: 0 })).toBeNull();
    expect(exceededBound(padded, roomy)).toBe('children');
  });
});
