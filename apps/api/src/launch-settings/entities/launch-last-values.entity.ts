// The launch_last_values table: the values of each user's last accepted launch of each app.
import type { FormFieldValue } from '@vizportal/session-domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'launch_last_values' })
export class LaunchLastValuesEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  username!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  appId!: string;

  @Column({ name: 'fieldValues', type: 'simple-json' })
  values!: Record<string, FormFieldValue>;

  @Column({ type: Date })
  savedAt!: Date;
}
