// What a job's VNC wrapper POSTs when its desktop is up (libs/job-templates ReadinessReport).
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ReadinessReportDto {
  @ApiProperty({
    example: '127.0.0.1',
    description: "The node's address as the job sees it; must match VNC_HOST_PATTERN",
  })
  @IsString()
  @MaxLength(253)
  host!: string;

  @ApiProperty({ example: 5921 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port!: number;

  @ApiProperty({ example: 'Xk3p9QwZ', description: 'The one-time VNC password (8 characters)' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,8}$/, { message: 'password must be 1-8 printable characters' })
  password!: string;

  @ApiProperty({ example: 21 })
  @IsInt()
  @Min(0)
  @Max(65535)
  display!: number;
}
