/** ANSI styling that is a no-op without colour (NO_COLOR, not a terminal). */
export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const plain = (text: string) => text;
    return { red: plain, yellow: plain, green: plain, cyan: plain, dim: plain, bold: plain };
  }
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org) or FORCE_COLOR asks for it. */
export function wantsColor(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return isTty;
}
