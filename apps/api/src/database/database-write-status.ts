// Whether the database took the portal's last write. A full disk leaves reads working (SELECT 1
// still answers), so the health check cannot find it by pinging: the failures the API meets say so,
// and the next write that succeeds (any insert, update or delete; see DatabaseWriteSubscriber)
// clears it again.
import { Injectable } from '@nestjs/common';

export interface DatabaseWriteFailure {
  message: string;
  since: string;
}

@Injectable()
export class DatabaseWriteStatus {
  private failure: DatabaseWriteFailure | null = null;

  /** The failure since the last successful write, or null when writes work. */
  current(): DatabaseWriteFailure | null {
    return this.failure;
  }

  failed(message: string, at: Date = new Date()): void {
    this.failure = { message, since: this.failure?.since ?? at.toISOString() };
  }

  succeeded(): void {
    this.failure = null;
  }
}
