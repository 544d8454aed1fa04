import { DateTime } from 'luxon';

/** Klaviyo prints times in UTC to the second with an explicit offset: `2022-11-08T00:00:00+00:00` (klaviyo.md §4). */
export const klaviyoTime = (ms: number): string => DateTime.fromMillis(ms, { zone: 'utc' }).startOf('second').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
