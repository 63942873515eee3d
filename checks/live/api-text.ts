/**
 * Text the API sent (Cloudflare's `errors[].message`, a header, a field's value) as a message may
 * quote it: one line, printable, bounded — and withheld entirely when it echoes the API token or
 * any piece of it of `SECRET_PIECE_CHARS` characters or more. A hostile or broken API that quotes
 * the credential back gets nothing of it into a message, whatever the scrubber downstream does.
 */

/** The shortest piece of the token that makes API text unquotable. */
export const SECRET_PIECE_CHARS = 8;
/** How much API text a message quotes by default. */
export const QUOTED_API_TEXT_CHARS = 200;
export const WITHHELD = "[withheld: it quotes part of the API token]";

let cached: { secret: string; pieces: ReadonlySet<string> } | undefined;

function piecesOf(secret: string): ReadonlySet<string> {
  if (cached?.secret === secret) return cached.pieces;
  const pieces = new Set<string>();
  for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
    for (let i = 0; i + SECRET_PIECE_CHARS <= form.length; i++)
      pieces.add(form.slice(i, i + SECRET_PIECE_CHARS));
  }
  cached = { secret, pieces };
  return pieces;
}

/** Whether `text` holds the secret, or any piece of it of `SECRET_PIECE_CHARS` characters or more. */
export function echoesSecret(text: string, secret: string | undefined): boolean {
  if (!secret || secret.length < 4) return false;
  if (text.includes(secret)) return true;
  const pieces = piecesOf(secret);
  for (let i = 0; i + SECRET_PIECE_CHARS <= text.length; i++) {
    if (pieces.has(text.slice(i, i + SECRET_PIECE_CHARS))) return true;
  }
  return false;
}

/** Printable, single-line and bounded. */
export function oneLine(text: string, max = QUOTED_API_TEXT_CHARS): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** API-provided text as a message may quote it (see the module comment). */
export function apiText(text: string, secret: string | undefined, max = QUOTED_API_TEXT_CHARS): string {
  // Checked before cutting, so a token straddling the cut is still noticed.
  return echoesSecret(text, secret) ? WITHHELD : oneLine(text, max);
}
