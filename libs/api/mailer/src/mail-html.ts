import { textColorOn } from '@tenantry/contracts';
import type { MailBrand } from './mail-message.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const LINK = /(https?:\/\/[^\s<>"']+)/g;

/** The HTML part of a branded email: the plain text, in paragraphs with live links, under the tenant's logo and color. */
export function brandedHtml(text: string, brand: MailBrand): string {
  const color = /^#[0-9a-f]{6}$/i.test(brand.color) ? brand.color : '#4f46e5';
  const paragraphs = text
    .split(/\n{2,}/)
    .map(
      (p) =>
        `<p style="margin:0 0 16px">${escape(p)
          .replace(LINK, (url) => `<a href="${url}" style="color:${color}">${url}</a>`)
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('');
  const logo = brand.logoUrl
    ? `<img src="${escape(brand.logoUrl)}" alt="" height="32" style="vertical-align:middle;margin-right:8px">`
    : '';
  return (
    `<!doctype html><html><body style="margin:0;font-family:system-ui,sans-serif;color:#0f172a">` +
    `<div data-brand-header style="background:${color};padding:16px 24px">${logo}<strong style="color:${textColorOn(color)};font-size:18px">${escape(brand.name)}</strong></div>` +
    `<div style="padding:24px">${paragraphs}</div></body></html>`
  );
}
