/**
 * The offset of the first character that makes `text` invalid JSON (RFC 8259), or -1 when it is
 * valid. Node 20's JSON.parse names no position for an unexpected token ("Unexpected token 'o',
 * ... is not valid JSON"), so errors about a file could not say where; this scanner can. It runs
 * only after JSON.parse has failed, and keeps its own stack (no recursion), so any nesting depth is
 * fine.
 */
export function jsonSyntaxErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const stack: ("object" | "array")[] = [];

  const space = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  /** A string at i; false when it is not one (i at the fault). */
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            return false;
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  const digits = (): boolean => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i > start;
  };
  const number = (): boolean => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return false;
    if (text[i] === ".") {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return false;
    }
    return true;
  };
  const literal = (word: string): boolean => {
    for (const ch of word) {
      if (text[i] !== ch) return false;
      i++;
    }
    return true;
  };
  /** An object member's key and colon; false at the fault. */
  const key = (): boolean => {
    space();
    if (!string()) return false;
    space();
    if (text[i] !== ":") return false;
    i++;
    return true;
  };

  // Expect a value; then what may follow it, until the text ends.
  for (;;) {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") i++;
      else {
        if (!key()) return i;
        stack.push("object");
        continue;
      }
    } else if (c === "[") {
      i++;
      space();
      if (text[i] === "]") i++;
      else {
        stack.push("array");
        continue;
      }
    } else if (c === '"') {
      if (!string()) return i;
    } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      if (!number()) return i;
    } else if (c === "t" || c === "f" || c === "n") {
      if (!literal(c === "t" ? "true" : c === "f" ? "false" : "null")) return i;
    } else return i;

    // After a value: close containers, or a comma for the next value.
    for (;;) {
      space();
      const top = stack[stack.length - 1];
      if (top === undefined) return i === n ? -1 : i;
      const next = text[i];
      if (next === ",") {
        i++;
        if (top === "object" && !key()) return i;
        break;
      }
      if ((top === "object" && next === "}") || (top === "array" && next === "]")) {
        i++;
        stack.pop();
        continue;
      }
      return i;
    }
  }
}
