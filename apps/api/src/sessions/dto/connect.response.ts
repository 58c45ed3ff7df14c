import { ApiProperty } from '@nestjs/swagger';

export class ConnectResponse {
  @ApiProperty({
    example: '/api/sessions/0b6f3f0e-3c1c-4c55-9a39-0f2d3cf1b9a1/vnc?token=…',
    description: 'The VNC WebSocket path, with the token',
  })
  path!: string;
  @ApiProperty({ description: 'Single-use; expires after VNC_CONNECT_TOKEN_TTL_SECONDS' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ description: "The desktop's one-time VNC password, for the owner's VNC client" })
  password!: string;
}

export class LogResponse {
  @ApiProperty({ description: "The end of the job's output log" }) text!: string;
  @ApiProperty({ description: 'True when older output was cut off' }) truncated!: boolean;
}
