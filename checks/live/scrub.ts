const REDACTED = "[redacted token]";

/** Remove the API token (and its `Bearer` form) from a text, whatever produced it. */
export function scrubSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  let out = text.split(secret).join(REDACTED);
  // A token can come back URL- or JSON-encoded in an echoed request.
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  return out;
}
