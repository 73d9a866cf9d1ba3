/**
 * IANA time zone names ("Europe/Moscow", "UTC"): the `time-zone` format of
 * text fields. A name is valid when this runtime's time zone data knows it
 * (Intl.DateTimeFormat accepts it — which also takes links such as
 * "Europe/Kiev", unlike Intl.supportedValuesOf, which lists canonical names
 * only and leaves out "UTC"), and it has the shape of a name: offsets such as
 * "+03:00", which newer runtimes accept, are not zone names.
 */
export const TIME_ZONE_FORMAT = 'time-zone';
export const TIME_ZONE_MESSAGE = 'must be an IANA time zone name, such as "Europe/Moscow" or "UTC"';

const NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const MAX_LENGTH = 64;

export function isTimeZoneName(value: string): boolean {
  if (value.length > MAX_LENGTH || !NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
