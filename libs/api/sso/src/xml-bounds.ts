/** How much structure a document may have before any XML parser sees it. */
export interface XmlBounds {
  elements: number;
  depth: number;
  /** Child elements of one element (or of the document). */
  children: number;
  /** Attributes of the whole document, namespace declarations included. */
  attributes: number;
}

/** The bound a document passes, `syntax` when the scan cannot follow it, null when it stays within every bound. */
export type XmlBoundExceeded = keyof XmlBounds | 'syntax';

/**
 * One linear pass over the markup that counts elements, depth, children and
 * attributes and builds nothing: a padded document is refused in time
 * proportional to its size, before a DOM or an XPath step (quadratic in the
 * worst case) ever sees it. It follows comments, CDATA, processing
 * instructions and quoted attribute values as XML does; anything else after
 * `<!` (a DOCTYPE) is `syntax`.
 */
export function exceededBound(xml: string, bounds: XmlBounds): XmlBoundExceeded | null {
  let elements = 0;
  let attributes = 0;
  const children = [0]; // per open element; [0] is the document
  let i = xml.indexOf('<');
  while (i !== -1) {
    if (xml.startsWith('<!--', i)) i = after(xml, '-->', i + 4);
    else if (xml.startsWith('<![CDATA[', i)) i = after(xml, ']]>', i + 9);
    else if (xml.startsWith('<?', i)) i = after(xml, '?>', i + 2);
    else if (xml[i + 1] === '!') return 'syntax';
    else if (xml[i + 1] === '/') {
      if (children.length === 1) return 'syntax';
      children.pop();
      i = after(xml, '>', i + 2);
    } else {
      let quote = '';
      let j = i + 1;
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") {
          quote = c;
          attributes++;
        } else if (c === '>') break;
      }
      if (j === xml.length) return 'syntax';
      if (++elements > bounds.elements) return 'elements';
      if (++children[children.length - 1] > bounds.children) return 'children';
      if (attributes > bounds.attributes) return 'attributes';
      if (xml[j - 1] !== '/') {
        children.push(0);
        if (children.length - 1 > bounds.depth) return 'depth';
      }
      i = j + 1;
    }
    if (i === -1) return 'syntax';
    i = xml.indexOf('<', i);
  }
  return null;
}

/** The index after the next `end` from `from`, or -1 when there is none. */
function after(xml: string, end: string, from: number): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? -1 : at + end.length;
}
