// What a picked file may be offered as (PROTOCOL.md §13 validators): a name of 1–255 code points
// without path separators or control characters, and a bare `type/subtype` or ''.

const MAX_NAME = 255;
const MAX_MIME = 127;
const MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSAFE = /[/\\\u0000-\u001f\u007f]/g;

/** The picked file's name made acceptable: unsafe characters → '_', cut at 255 code points. */
export function offerName(name: string): string {
  const cleaned = [...name.replace(UNSAFE, '_').trim()].slice(0, MAX_NAME).join('');
  return cleaned === '' ? 'file' : cleaned;
}

/** The browser's type if it is a plain `type/subtype`; parameters or oddities give ''. */
export function offerMime(type: string): string {
  const t = type.trim().toLowerCase();
  return t.length <= MAX_MIME && MIME.test(t) ? t : '';
}

export type PreviewKind = 'image' | 'video' | 'none';

/** Pictures and videos get an inline preview once complete. */
export function previewKind(mime: string): PreviewKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  return 'none';
}
