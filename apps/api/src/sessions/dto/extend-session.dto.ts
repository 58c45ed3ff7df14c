// POST /api/sessions/:id/extend: how much more time. The bounds that depend on the session (its
// partition's MaxTime, the site's limit) are checked by SessionExtender, with a sentence.
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class ExtendSessionDto {
  @ApiProperty({ description: 'Minutes to add to the time limit.', example: 60, minimum: 1, maximum: 10080 })
  @IsInt({ message: 'minutes must be a whole number of minutes' })
  @Min(1, { message: 'minutes must be at least 1' })
  @Max(10080, { message: 'minutes must be at most 10080 (a week)' })
  minutes!: number;
}
