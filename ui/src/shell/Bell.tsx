/**
 * The notifications bell: the unread count (polled each minute), the latest
 * notifications (reminders of planned contacts…) and marking them read.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../lib/api.ts';
import { formatDate, t } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { Dropdown } from './Dropdown.tsx';
import { BellIcon } from './icons.tsx';

interface Notification {
  _id: string;
  kind: string;
  title: string;
  body?: string;
  link?: { entity: string; id: string };
  createdAt: string;
  isRead: boolean;
}

interface Page {
  items: Notification[];
  unreadCount: number;
}

export function Bell() {
  const [page, setPage] = useState<Page>({ items: [], unreadCount: 0 });
  const refresh = () =>
    get<Page>('/notifications?limit=20')
      .then(setPage)
      .catch(() => undefined);
  useEffect(() => {
    void refresh();
    const timer = setInterval(refresh, 60_000);
    return () => clearInterval(timer);
  }, []);
  const open = async (item: Notification, close: () => void) => {
    if (!item.isRead) await post(`/notifications/${item._id}/read`).catch(() => undefined);
    close();
    void refresh();
    if (item.link) navigate(`/e/${item.link.entity}/${item.link.id}`);
  };
  return (
    <Dropdown
      title={t('notifications')}
      label={
        <span>
          <BellIcon />{page.unreadCount > 0 && <span class="badge" aria-label={`${page.unreadCount}`}>{page.unreadCount}</span>}
        </span>
      }
    >
      {(close) => (
        <div style="min-width:300px">
          <div class="page-head" style="margin-bottom:4px">
            <b>{t('notifications')}</b>
            <span class="spacer" />
            <button type="button" class="ghost" onClick={() => void post('/notifications/read-all').then(refresh)}>{t('markAllRead')}</button>
          </div>
          {page.items.length === 0 && <p class="muted">{t('noNotifications')}</p>}
          <ul class="timeline">
            {page.items.map((item) => (
              <li key={item._id}>
                <span class="dot" style={item.isRead ? '' : 'background:var(--accent)'} />
                <button type="button" class="ghost" style="display:block;text-align:left;padding:0" onClick={() => void open(item, close)}>
                  <div style={item.isRead ? '' : 'font-weight:600'}>{item.title}</div>
                  {item.body && <div class="muted">{item.body}</div>}
                  <div class="faint">{formatDate(item.createdAt, true)}</div>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dropdown>
  );
}
