/**
 * What the CLI prints to a terminal carries customer data (names, values, file names, reasons that
 * quote them). A control character in it would be obeyed by the terminal: colours, "clear screen",
 * a window title, a cursor move that hides a line. Every human-readable line goes through
 * `terminalText` on its way out (io.ts, main.ts), so each C0 and C1 control character but the newline,
 * and DEL, is shown as a visible escape instead. JSON output needs none: JSON.stringify escapes them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r' };

export function terminalText(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
