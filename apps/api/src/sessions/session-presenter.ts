// Sessions as the REST API and the socket show them: session-domain's SessionDto, with the site's
// settings that shape it (when the time-limit warning comes), so both say the same.
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Session, type SessionDto, type SessionDtoRules, toSessionDto } from '@vizportal/session-domain';
import type { AppConfig } from '../config/app-config';

@Injectable()
export class SessionPresenter {
  private readonly rules: SessionDtoRules;

  constructor(config: ConfigService<AppConfig, true>) {
    this.rules = { timeWarningMinutes: config.get('SESSION_TIME_WARNING_MINUTES', { infer: true }) };
  }

  dto(session: Session, now = new Date()): SessionDto {
    return toSessionDto(session, now, this.rules);
  }
}
