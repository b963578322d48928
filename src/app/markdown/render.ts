// Chat markdown → sanitized HTML. Loaded lazily (marked + DOMPurify are ~25 KB) by the chat.
// Two layers, so a bug in one is not enough: marked never emits raw HTML from the input (the
// html renderer escapes it), and DOMPurify then keeps only the small set of tags a chat needs.

import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
];
const SAFE_URL = /^(?:https?:|mailto:)/i;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in a message is shown as text, never interpreted.
    html: ({ text }) => escapeHtml(text),
    // Images would load remote content (and leak the reader's IP): show the alt text instead.
    image: ({ text }) => escapeHtml(text),
    // Headings, tables and rules are not chat formatting: keep their text as a paragraph.
    heading({ tokens }) {
      return `<p>${this.parser.parseInline(tokens)}</p>`;
    },
  },
});

let hooked = false;

function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName !== 'A') return;
      const href = node.getAttribute('href') ?? '';
      if (!SAFE_URL.test(href)) node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false });
  return purifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'target', 'rel'],
    ALLOW_DATA_ATTR: false,
  });
}
