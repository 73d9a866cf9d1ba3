/**
 * The words of reminders and overdue flags, in the user's language and time
 * zone. Activity types are labelled from the entity's metadata.
 */
import type { EntityDefinition, Locale } from '../../metadata/types.ts';
import type { ActivitySnapshot } from '../planned-activity.ts';
import type { UserProfile } from '../user-profile.ts';

export interface ReminderText {
  title: string;
  body: string;
  emailSubject: string;
  emailText: string;
}

function formatWhen(at: Date, user: UserProfile): string {
  const format = new Intl.DateTimeFormat(user.locale === 'ru' ? 'ru-RU' : 'en-GB', {
    timeZone: user.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return `${format.format(at)} (${user.timeZone})`;
}

export function typeLabel(entity: EntityDefinition | undefined, value: string | undefined, locale: Locale): string | undefined {
  if (!value) return undefined;
  const field = entity?.fields.find((candidate) => candidate.name === 'type');
  const option = field?.options?.find((candidate) => candidate.value === value);
  return option ? (option.label[locale] ?? option.label.en) : value;
}

export function reminderText(input: { activity: ActivitySnapshot & { plannedStart: Date }; user: UserProfile; entity: EntityDefinition | undefined; now: Date }): ReminderText {
  const { activity, user } = input;
  const when = formatWhen(activity.plannedStart, user);
  const minutes = Math.max(0, Math.round((activity.plannedStart.getTime() - input.now.getTime()) / 60_000));
  const kind = typeLabel(input.entity, activity.type, user.locale);
  const subject = activity.subject || (user.locale === 'ru' ? '(без темы)' : '(no subject)');
  const notes = activity.notes ? `\n\n${activity.notes}` : '';
  if (user.locale === 'ru') {
    const body = `${kind ? `${kind}: ` : ''}${subject} — начало ${when}, через ${minutes} мин.`;
    return {
      title: `Напоминание: ${subject}`,
      body,
      emailSubject: `Напоминание: ${subject} — ${when}`,
      emailText: `${user.name ? `${user.name}, здравствуйте!\n\n` : ''}${body}${notes}\n\n— Relata`,
    };
  }
  const body = `${kind ? `${kind}: ` : ''}${subject} starts ${when}, in ${minutes} min.`;
  return {
    title: `Reminder: ${subject}`,
    body,
    emailSubject: `Reminder: ${subject} at ${when}`,
    emailText: `${user.name ? `Hello ${user.name},\n\n` : ''}${body}${notes}\n\n— Relata`,
  };
}

export function overdueText(input: { activity: ActivitySnapshot & { plannedStart: Date }; user: UserProfile; entity: EntityDefinition | undefined }): { title: string; body: string } {
  const { activity, user } = input;
  const when = formatWhen(activity.plannedStart, user);
  const kind = typeLabel(input.entity, activity.type, user.locale);
  const subject = activity.subject || (user.locale === 'ru' ? '(без темы)' : '(no subject)');
  if (user.locale === 'ru') {
    return { title: `Просрочено: ${subject}`, body: `${kind ? `${kind}: ` : ''}${subject} было запланировано на ${when} и всё ещё не отмечено. Запишите результат или перенесите.` };
  }
  return { title: `Overdue: ${subject}`, body: `${kind ? `${kind}: ` : ''}${subject} was planned for ${when} and is still open. Record its result or reschedule it.` };
}
