/**
 * Text that can be stored as typed. PostgreSQL refuses NUL in text (the insert fails: a 500 if
 * nothing checked it first), and a lone UTF-16 surrogate is silently replaced on the way in, so
 * both — and the other invisible control characters — are refused with a message instead.
 */
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;

export function isSafeText(value: string): boolean {
  return !UNSAFE.test(value);
}

export const SAFE_TEXT_MESSAGE = "This text contains invisible control characters. Please retype it.";
