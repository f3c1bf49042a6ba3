/**
 * Text for a terminal or a notification: certificate subjects, SANs, file names and profile
 * names come from files other people made, and an ESC sequence in one of them would move the
 * cursor, retitle the terminal or hide the lines before it. Every control character (C0, DEL,
 * C1) and the bidi overrides are shown as escapes; newlines and tabs we put there ourselves stay
 * unless `keepLines` is false.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_LINES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function escapeControl(text: string, keepLines = true): string {
  return text.replace(keepLines ? CONTROL : CONTROL_AND_LINES, escapeOne);
}
