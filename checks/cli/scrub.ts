/** Replace every occurrence of the API token in text written anywhere (the last line of defence). */
export function scrubber(token: string | undefined): (text: string) => string {
  if (!token || token.length < 4) return (text) => text;
  return (text) => text.split(token).join("[redacted]");
}
