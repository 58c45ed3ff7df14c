// Sessions per state from one grouped query, for the sessions gauge at scrape time.
import type { SessionState } from '@vizportal/session-domain';
import type { Repository } from 'typeorm';
import type { SessionEntity } from '../sessions/entities/session.entity';

export async function countSessionsByState(rows: Repository<SessionEntity>): Promise<Partial<Record<SessionState, number>>> {
  const grouped = await rows
    .createQueryBuilder('session')
    .select('session.state', 'state')
    .addSelect('COUNT(*)', 'count')
    .groupBy('session.state')
    .getRawMany<{ state: SessionState; count: string | number }>();
  return Object.fromEntries(grouped.map(({ state, count }) => [state, Number(count)]));
}
