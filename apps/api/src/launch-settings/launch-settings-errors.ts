// The launch settings' refusals, each carrying its HTTP answer.
import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { MAX_PRESETS_PER_APP } from '@vizportal/session-domain';

/** Values the app's current form refuses: a preset must be launchable when it is saved. */
export class InvalidPresetValuesError extends BadRequestException {
  constructor(problems: string[]) {
    super({ statusCode: 400, error: 'Bad Request', message: problems });
  }
}

export class TooManyPresetsError extends ConflictException {
  constructor(appTitle: string) {
    super(
      `You have ${MAX_PRESETS_PER_APP} presets for ${appTitle}, the most there may be. Delete one to save another.`,
    );
  }
}

/** None of this user's: someone else's presets are not theirs to know about. */
export class PresetNotFoundError extends NotFoundException {
  constructor(name: string) {
    super(`You have no preset "${name}" for this app`);
  }
}
