import { ApiProperty } from '@nestjs/swagger';

export class MeDto {
  @ApiProperty({ example: 'alice' })
  username!: string;

  @ApiProperty({ example: false })
  isAdmin!: boolean;

  @ApiProperty({
    example: ['cae-users'],
    description: "The user's Unix groups as the site's access rules see them.",
    type: [String],
  })
  groups!: readonly string[];

  @ApiProperty({
    enum: ['local', 'header'],
    example: 'local',
    description: '`header`: signed in by the single sign-on proxy; there is no logout here.',
  })
  authMode!: 'local' | 'header';
}
