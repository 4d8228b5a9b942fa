const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const KMS_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

/**
 * A date as KMS writes it in CloudTrail's responseElements (`Jun 20, 2025, 5:42:35 AM`,
 * UTC), or an ISO 8601 one; ms since the epoch, or null when it is neither.
 */
export function parseKmsDate(text: unknown): number | null {
  if (typeof text === 'number' && Number.isFinite(text)) return text < 1e11 ? text * 1000 : text;
  if (typeof text !== 'string') return null;
  const m = KMS_DATE.exec(text.trim());
  if (m) {
    const month = MONTHS.indexOf(m[1]!);
    if (month < 0) return null;
    let h = Number(m[4]) % 12;
    if (m[7] === 'PM') h += 12;
    return Date.UTC(Number(m[3]), month, Number(m[2]), h, Number(m[5]), Number(m[6]));
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
